import type { KnownBlock, View } from '@slack/types';
import { UPDATE_STATUSES, type UpdateStatus } from '../../comms/update-status.js';
import { escapeMrkdwn } from '../render/mrkdwn.js';
import { updateStatusLabel } from './comms-labels.js';

export const UPDATE_MODAL = 'status-update-modal';

/** "Next update in" choices (minutes); `default` is the cadence of the incident's severity. */
export const NEXT_UPDATE_CHOICES = ['default', '15', '30', '60', '120', '240'] as const;

const option = (text: string, value: string) => ({ text: { type: 'plain_text' as const, text }, value });

/** The stakeholder update modal: status, what is happening, impact, next update in (and `extra` blocks: the status page's). */
export function updateModal(incidentId: string, reference: string, title: string, status: UpdateStatus, extra: KnownBlock[] = []): View {
  const statuses = UPDATE_STATUSES.map((value) => option(updateStatusLabel(value), value));
  const next = NEXT_UPDATE_CHOICES.map((value) => option(value === 'default' ? 'The usual cadence' : Number(value) < 60 ? `${value} minutes` : `${Number(value) / 60} h`, value));
  return {
    type: 'modal',
    callback_id: UPDATE_MODAL,
    private_metadata: incidentId,
    title: { type: 'plain_text', text: 'Stakeholder update' },
    submit: { type: 'plain_text', text: 'Post' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*${reference}* ${escapeMrkdwn(title.slice(0, 200))}\nPosted in the channel, the announcement thread and to subscribers.` } },
      { type: 'input', block_id: 'status', label: { type: 'plain_text', text: 'Status' }, element: { type: 'static_select', action_id: 'status', options: statuses, initial_option: option(updateStatusLabel(status), status) } },
      { type: 'input', block_id: 'summary', label: { type: 'plain_text', text: 'What is happening' }, element: { type: 'plain_text_input', action_id: 'text', multiline: true, max_length: 3_000 } },
      { type: 'input', block_id: 'impact', optional: true, label: { type: 'plain_text', text: 'Impact' }, element: { type: 'plain_text_input', action_id: 'text', multiline: true, max_length: 1_000 } },
      { type: 'input', block_id: 'next', label: { type: 'plain_text', text: 'Next update in' }, element: { type: 'static_select', action_id: 'next', options: next, initial_option: next[0] } },
      ...extra,
    ],
  };
}
