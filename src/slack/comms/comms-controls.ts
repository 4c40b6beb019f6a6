import type { App } from '@slack/bolt';
import { z } from 'zod';
import type { Deps } from '../../deps.js';
import { postUpdate } from '../../comms/post-update.js';
import { snoozeUpdate } from '../../comms/snooze-update.js';
import { updateStatusSchema, type UpdateStatus } from '../../comms/update-status.js';
import { ephemeral, incidentButtonPress, MALFORMED_PRESS } from '../listeners/incident-button-press.js';
import { UPDATE_CONTROL } from './comms-labels.js';
import { openUpdateModal } from './open-update-modal.js';
import { NEXT_UPDATE_CHOICES, UPDATE_MODAL } from './update-modal.js';
import { publishIncident } from '../../status-page/publish-incident.js';
import { escapeMrkdwn } from '../render/mrkdwn.js';
import { publishValues, type PublishValues } from '../status-page/publish-values.js';

const selected = <T extends z.ZodType>(value: T) => z.object({ selected_option: z.object({ value }).nullish() });
const text = z.object({ text: z.object({ value: z.string().nullish() }) });

const submissionSchema = z.object({
  user: z.object({ id: z.string().min(1) }),
  view: z.object({
    private_metadata: z.uuid(),
    state: z.object({
      values: z.object({
        status: z.object({ status: selected(updateStatusSchema) }),
        summary: text,
        impact: text.optional(),
        next: z.object({ next: selected(z.enum(NEXT_UPDATE_CHOICES)) }).optional(),
      }),
    }),
  }),
});

const rawValues = z.object({ view: z.object({ state: z.object({ values: z.record(z.string(), z.unknown()) }) }) });

/** Publishes with the update; a refusal (a component no longer configured) is told to the person. */
async function publishWithUpdate(deps: Deps, incidentId: string, by: string, status: UpdateStatus, values: PublishValues, tell: (text: string) => Promise<unknown>): Promise<void> {
  const outcome = await publishIncident(deps, incidentId, { by, source: 'slack', title: values.title, body: values.message, status, components: values.components });
  if (outcome.kind !== 'invalid') return;
  deps.log.warn({ incidentId, reason: outcome.reason }, 'status page publish refused');
  await tell(`Your update was posted but nothing was published on the status page: ${escapeMrkdwn(outcome.reason)}. Run \`/incident statuspage publish\` to try again.`);
}

/** Post update and Snooze 30m on an update reminder, and the update modal's submission. */
export function registerCommsControls(app: App, deps: Deps): void {
  // views.open must follow the click within 3 seconds (trigger_id expires): one query, then the call.
  app.action(UPDATE_CONTROL.post, async ({ ack, body, client, respond }) => {
    await ack();
    const press = incidentButtonPress.safeParse(body);
    if (!press.success) return void (await respond(ephemeral(MALFORMED_PRESS)));
    const opened = await openUpdateModal(deps, press.data.actions[0]?.value as string, (view) => client.views.open({ trigger_id: press.data.trigger_id, view }));
    if (!opened) await respond(ephemeral('This incident no longer exists.'));
  });

  app.action(UPDATE_CONTROL.snooze, async ({ ack, body, respond }) => {
    await ack();
    const press = incidentButtonPress.safeParse(body);
    if (!press.success) return void (await respond(ephemeral(MALFORMED_PRESS)));
    const outcome = await snoozeUpdate(deps, press.data.actions[0]?.value as string, press.data.user.id);
    if (outcome.kind === 'resolved') await respond(ephemeral('This incident is resolved: no more updates are due.'));
    else if (outcome.kind === 'no_cadence') await respond(ephemeral('No update is due for this incident.'));
    else if (outcome.kind === 'not_found') await respond(ephemeral('This incident no longer exists.'));
  });

  app.view(UPDATE_MODAL, async ({ ack, body, client }) => {
    const submission = submissionSchema.safeParse(body);
    if (!submission.success) {
      deps.log.warn({ issues: submission.error.issues.slice(0, 3) }, 'malformed update modal submission');
      await ack({ response_action: 'errors', errors: { summary: 'This form could not be read; close it and run `/incident update` again.' } });
      return;
    }
    const values = submission.data.view.state.values;
    const summary = values.summary.text.value?.trim();
    const page = deps.config.status_page;
    const publish = page ? publishValues(page, rawValues.parse(body).view.state.values, { withToggle: true }) : undefined;
    const errors = { ...(summary ? {} : { summary: 'Say what is happening: it is the update people read.' }), ...(publish && !publish.ok ? publish.errors : {}) };
    if (!summary || Object.keys(errors).length > 0) {
      await ack({ response_action: 'errors', errors });
      return;
    }
    await ack();
    const next = values.next?.next.selected_option?.value;
    const status = values.status.status.selected_option?.value;
    // The public page first: customers are waiting for it, and the update's Slack posts queue anyway.
    if (publish?.ok && publish.values.publish) await publishWithUpdate(deps, submission.data.view.private_metadata, submission.data.user.id, status ?? 'investigating', publish.values, (text) => client.chat.postMessage({ channel: submission.data.user.id, text }));
    const outcome = await postUpdate(deps, submission.data.view.private_metadata, {
      by: submission.data.user.id,
      source: 'slack',
      summary,
      ...(status ? { status } : {}),
      ...(values.impact?.text.value?.trim() ? { impact: values.impact.text.value.trim() } : {}),
      ...(next && next !== 'default' ? { nextUpdateInMs: Number(next) * 60_000 } : {}),
    });
    if (outcome.kind === 'not_found') await client.chat.postMessage({ channel: submission.data.user.id, text: 'That incident no longer exists: the update was not posted.' });
  });
}
