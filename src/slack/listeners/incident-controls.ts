import type { App } from '@slack/bolt';
import { z } from 'zod';
import { ephemeral, incidentButtonPress, MALFORMED_PRESS } from './incident-button-press.js';
import type { Deps } from '../../deps.js';
import { acknowledgeIncident } from '../../escalation/acknowledge-incident.js';
import { escalateManually } from '../../escalation/escalate-manually.js';
import { escalationChoices } from '../../escalation/escalation-choices.js';
import { resolveIncident } from '../../incidents/resolve-incident.js';
import { ackAnswer, escalateAnswer, resolveAnswer } from '../commands/outcome-answers.js';
import { ESCALATE_MODAL, escalateModal } from '../render/escalate-modal.js';
import { CONTROL } from '../render/incident-controls.js';

const submissionSchema = z.object({
  user: z.object({ id: z.string().min(1) }),
  view: z.object({
    private_metadata: z.uuid(),
    state: z.object({
      values: z.object({
        reason: z.object({ reason: z.object({ value: z.string().nullish() }) }),
        level: z.object({ level: z.object({ selected_option: z.object({ value: z.string() }).nullish() }) }).optional(),
      }),
    }),
  }),
});

/** Acknowledge, Escalate (with its modal) and Resolve on the incident message. */
export function registerIncidentControls(app: App, deps: Deps): void {
  const refuseMalformed = async (respond: (message: ReturnType<typeof ephemeral>) => Promise<unknown>) => respond(ephemeral(MALFORMED_PRESS));

  app.action(CONTROL.acknowledge, async ({ ack, body, respond }) => {
    await ack();
    const press = incidentButtonPress.safeParse(body);
    if (!press.success) return void (await refuseMalformed(respond));
    const outcome = await acknowledgeIncident(deps, press.data.actions[0]?.value as string, press.data.user.id, 'slack');
    const text = ackAnswer(outcome);
    if (text) await respond(ephemeral(text));
  });

  app.action(CONTROL.resolve, async ({ ack, body, respond }) => {
    await ack();
    const press = incidentButtonPress.safeParse(body);
    if (!press.success) return void (await refuseMalformed(respond));
    const text = resolveAnswer(await resolveIncident(deps, press.data.actions[0]?.value as string, { actor: press.data.user.id, source: 'slack' }));
    if (text) await respond(ephemeral(text));
  });

  // A modal must open within 3 seconds of the click (trigger_id expires), so this is the one
  // Slack call made right after the ack rather than on the queue.
  app.action(CONTROL.escalate, async ({ ack, body, client, respond }) => {
    await ack();
    const press = incidentButtonPress.safeParse(body);
    if (!press.success) return void (await refuseMalformed(respond));
    const choices = await escalationChoices(deps, press.data.actions[0]?.value as string);
    if (!choices) return void (await respond(ephemeral('This incident has no escalation policy.')));
    await client.views.open({ trigger_id: press.data.trigger_id, view: escalateModal(choices.incidentId, choices.title, choices.levels, choices.level) });
  });

  app.view(ESCALATE_MODAL, async ({ ack, body, client }) => {
    const submission = submissionSchema.safeParse(body);
    const reason = submission.success ? submission.data.view.state.values.reason.reason.value?.trim() : undefined;
    if (!submission.success || !reason) {
      await ack({ response_action: 'errors', errors: { reason: 'Say why you escalate: it goes on the timeline and to the people paged.' } });
      return;
    }
    await ack();
    const selected = submission.data.view.state.values.level?.level.selected_option?.value;
    const outcome = await escalateManually(deps, submission.data.view.private_metadata, { userId: submission.data.user.id, level: selected ? Number(selected) : undefined, reason, source: 'slack' });
    const text = escalateAnswer(outcome);
    if (text) await client.chat.postMessage({ channel: submission.data.user.id, text });
  });
}
