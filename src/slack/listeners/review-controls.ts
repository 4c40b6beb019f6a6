import type { App } from '@slack/bolt';
import { z } from 'zod';
import { ephemeral, incidentButtonPress, MALFORMED_PRESS } from './incident-button-press.js';
import type { Deps } from '../../deps.js';
import { completeReview } from '../../review/complete-review.js';
import { HUMAN_SECTIONS } from '../../review/human-sections.js';
import { sectionsToEdit } from '../../review/sections-to-edit.js';
import { saveReviewSections } from '../../review/save-review-sections.js';
import { completeAnswer } from '../commands/outcome-answers.js';
import { REVIEW_MODAL, reviewModal, reviewModalMetadata, sectionHash, SECTION_MAX, type ReviewModalMetadata } from '../render/review-modal.js';
import { REVIEW_CONTROL } from '../render/review-summary.js';

const submissionSchema = z.object({
  user: z.object({ id: z.string().min(1) }),
  view: z.object({
    private_metadata: z.string().max(3_000),
    state: z.object({ values: z.record(z.string(), z.object({ text: z.object({ value: z.string().nullish() }) })) }),
  }),
});

/** Edit review (its modal) and Mark done, on the review's summary message. */
export function registerReviewControls(app: App, deps: Deps): void {
  // views.open must follow the click within 3 seconds (trigger_id expires): one query, then the call.
  app.action(REVIEW_CONTROL.edit, async ({ ack, body, client, respond }) => {
    await ack();
    const press = incidentButtonPress.safeParse(body);
    if (!press.success) return void (await respond(ephemeral(MALFORMED_PRESS)));
    const incidentId = press.data.actions[0]?.value as string;
    const editing = await sectionsToEdit(deps, incidentId, SECTION_MAX);
    if (!editing) return void (await respond(ephemeral('There is no review for this incident yet.')));
    await client.views.open({ trigger_id: press.data.trigger_id, view: reviewModal(incidentId, editing.reference, editing.title, editing.sections) });
  });

  app.action(REVIEW_CONTROL.done, async ({ ack, body, respond }) => {
    await ack();
    const press = incidentButtonPress.safeParse(body);
    if (!press.success) return void (await respond(ephemeral(MALFORMED_PRESS)));
    const text = completeAnswer(await completeReview(deps, press.data.actions[0]?.value as string, press.data.user.id));
    if (text) await respond(ephemeral(text));
  });

  app.view(REVIEW_MODAL, async ({ ack, body, client }) => {
    const submission = submissionSchema.safeParse(body);
    const metadata = submission.success ? parseMetadata(submission.data.view.private_metadata) : undefined;
    if (!submission.success || !metadata) {
      deps.log.warn({ issues: submission.success ? 'private_metadata' : submission.error.issues.slice(0, 3) }, 'malformed review modal submission');
      await ack({ response_action: 'errors', errors: { [HUMAN_SECTIONS[0].key]: 'This form could not be read; close it and press Edit review again.' } });
      return;
    }
    await ack();
    const userId = submission.data.user.id;
    // Only what this person changed is saved: a box left as it was shown keeps what it holds now,
    // even if someone else saved that section meanwhile.
    const edited: Record<string, string> = {};
    for (const section of HUMAN_SECTIONS) {
      const value = submission.data.view.state.values[section.key]?.text.value ?? '';
      if (sectionHash(value) !== metadata.shown[section.key]) edited[section.key] = value;
    }
    try {
      const outcome = await saveReviewSections(deps, metadata.incidentId, userId, edited);
      if (outcome.kind === 'no_review') await client.chat.postMessage({ channel: userId, text: 'That review no longer exists: nothing was saved.' });
    } catch (error) {
      // The modal is closed already: give the person back what they wrote rather than lose it.
      deps.log.error({ err: error, incidentId: metadata.incidentId, userId }, 'could not save review edits');
      const text = Object.entries(edited).map(([key, value]) => `*${HUMAN_SECTIONS.find((section) => section.key === key)?.title ?? key}*\n\`\`\`${value}\`\`\``).join('\n');
      await client.chat.postMessage({ channel: userId, text: `Your review edits could not be saved (the bot could not reach its database). Here is what you wrote; press Edit review again in a moment:\n${text}`.slice(0, 39_000) });
    }
  });
}

function parseMetadata(text: string): ReviewModalMetadata | undefined {
  try {
    const parsed = reviewModalMetadata.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
