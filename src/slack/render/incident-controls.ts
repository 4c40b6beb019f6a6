import type { KnownBlock } from '@slack/types';
import type { Incident } from '../../db/client.js';
import { isEscalating } from '../../record/incident-status.js';

export const CONTROL = { acknowledge: 'incident-acknowledge', escalate: 'incident-escalate', resolve: 'incident-resolve' } as const;

/** Acknowledge, Escalate and Resolve, for an incident that is not resolved. */
export function renderIncidentControls(incident: Incident): KnownBlock[] {
  if (incident.status === 'resolved') return [];
  const value = incident.id;
  const elements: Extract<KnownBlock, { type: 'actions' }>['elements'] = [];
  if (isEscalating(incident.status)) elements.push({ type: 'button', action_id: CONTROL.acknowledge, text: { type: 'plain_text', text: '✋ Acknowledge', emoji: true }, style: 'primary', value });
  if (incident.policy) elements.push({ type: 'button', action_id: CONTROL.escalate, text: { type: 'plain_text', text: '⏫ Escalate', emoji: true }, value });
  elements.push({
    type: 'button',
    action_id: CONTROL.resolve,
    text: { type: 'plain_text', text: '🟢 Resolve', emoji: true },
    value,
    confirm: {
      title: { type: 'plain_text', text: 'Resolve this incident?' },
      text: { type: 'mrkdwn', text: 'Escalation stops and the alert group is free to open a new incident.' },
      confirm: { type: 'plain_text', text: 'Resolve' },
      deny: { type: 'plain_text', text: 'Cancel' },
    },
  });
  return [{ type: 'actions', block_id: 'incident-controls', elements }];
}
