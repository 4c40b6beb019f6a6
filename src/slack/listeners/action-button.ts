import type { App } from '@slack/bolt';
import { z } from 'zod';
import { decodeActionButton, RUN_ACTION_PREFIX } from '../../actions/action-button-value.js';
import { requestAction, type RequestOutcome } from '../../actions/request-action.js';
import type { Deps } from '../../deps.js';

/** The parts of a block_actions payload this listener relies on. */
const pressSchema = z.object({
  type: z.literal('block_actions'),
  trigger_id: z.string().min(1),
  user: z.object({ id: z.string().min(1) }),
  actions: z.array(z.object({ action_id: z.string(), value: z.string().optional(), action_ts: z.string() })).min(1),
});

function answer(outcome: RequestOutcome): string | undefined {
  switch (outcome.kind) {
    case 'queued':
    case 'duplicate':
      return undefined;
    case 'busy':
      return `*${outcome.label}* is already queued or running for this incident; its result will appear in the thread.`;
    case 'refused':
      return `Only responders may run mitigations such as *${outcome.label}*: the people in this incident's escalation policy and the config file's \`responders\`. Ask one of them, or an operator to add you.`;
    case 'unknown':
      return `This button cannot run: ${outcome.reason}. Use \`/incident runbook\` to post the current buttons.`;
  }
}

/** Runbook action buttons: acknowledged at once; the run is recorded and queued after the ack. */
export function registerActionButtons(app: App, deps: Deps): void {
  app.action(new RegExp(`^${RUN_ACTION_PREFIX}`), async ({ ack, body, respond }) => {
    await ack();
    const press = pressSchema.safeParse(body);
    const action = press.success ? press.data.actions[0] : undefined;
    const value = decodeActionButton(action?.value);
    const log = deps.log.child({ component: 'action-button', actionId: action?.action_id });
    if (!press.success || !action || !value || action.action_id !== `${RUN_ACTION_PREFIX}${value.actionId}`) {
      log.warn({ problem: press.success ? 'button value' : press.error.message }, 'refused a malformed action press');
      await respond({ response_type: 'ephemeral', replace_original: false, text: 'This button is malformed and did not run anything.' });
      return;
    }
    const outcome = await requestAction(deps, { incidentId: value.incidentId, actionId: value.actionId, userId: press.data.user.id, pressKey: press.data.trigger_id });
    log.info({ incidentId: value.incidentId, userId: press.data.user.id, outcome: outcome.kind }, 'action pressed');
    const text = answer(outcome);
    if (text) await respond({ response_type: 'ephemeral', replace_original: false, text });
  });
}
