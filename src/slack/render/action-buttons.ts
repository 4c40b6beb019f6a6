import type { KnownBlock, Button } from '@slack/types';
import { RUN_ACTION_PREFIX, encodeActionButton } from '../../actions/action-button-value.js';
import type { RunbookAction } from '../../runbooks/runbook-schema.js';
import { truncate } from './block-kit.js';
import { escapeMrkdwn } from './mrkdwn.js';

const PER_ACTIONS_BLOCK = 25;

function button(incidentId: string, action: RunbookAction): Button {
  const base: Button = {
    type: 'button',
    action_id: `${RUN_ACTION_PREFIX}${action.id}`,
    text: { type: 'plain_text', text: truncate(action.label, 75), emoji: true },
    value: encodeActionButton({ incidentId, actionId: action.id }),
  };
  if (action.kind === 'diagnostic') return base;
  // Slack shows the confirmation dialog before the click reaches the bot.
  return {
    ...base,
    style: 'danger',
    confirm: {
      title: { type: 'plain_text', text: 'Run this mitigation?' },
      text: { type: 'mrkdwn', text: truncate(escapeMrkdwn(action.confirm ?? `Run "${action.label}" now? It changes production.`), 300) },
      confirm: { type: 'plain_text', text: 'Run it' },
      deny: { type: 'plain_text', text: 'Cancel' },
      style: 'danger',
    },
  };
}

function group(incidentId: string, kind: RunbookAction['kind'], actions: RunbookAction[]): KnownBlock[] {
  if (actions.length === 0) return [];
  const title = kind === 'diagnostic' ? '🔍 *Diagnostics*: run on a worker, results in the thread' : '🛠️ *Mitigations*: responders only, asks for confirmation';
  const blocks: KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: title } }];
  for (let i = 0; i < actions.length; i += PER_ACTIONS_BLOCK) {
    blocks.push({ type: 'actions', block_id: `${kind}-${i / PER_ACTIONS_BLOCK}`, elements: actions.slice(i, i + PER_ACTIONS_BLOCK).map((action) => button(incidentId, action)) });
  }
  return blocks;
}

/** The runbook's actions as buttons, diagnostics and mitigations in blocks of their own. */
export function renderActionButtons(incidentId: string, actions: RunbookAction[]): KnownBlock[] {
  return [...group(incidentId, 'diagnostic', actions.filter((action) => action.kind === 'diagnostic')), ...group(incidentId, 'mitigation', actions.filter((action) => action.kind === 'mitigation'))];
}
