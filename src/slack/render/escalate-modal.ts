import type { View } from '@slack/types';
import { escapeMrkdwn } from './mrkdwn.js';

export const ESCALATE_MODAL = 'escalate-modal';

/** The modal the Escalate button opens: a reason, and optionally the level to go to. */
export function escalateModal(incidentId: string, title: string, levels: number, current: number): View {
  const options = Array.from({ length: levels }, (_v, i) => i + 1)
    .filter((level) => level > current)
    .map((level) => ({ text: { type: 'plain_text' as const, text: `L${level}` }, value: String(level) }));
  return {
    type: 'modal',
    callback_id: ESCALATE_MODAL,
    private_metadata: incidentId,
    title: { type: 'plain_text', text: 'Escalate incident' },
    submit: { type: 'plain_text', text: 'Escalate' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*${escapeMrkdwn(title.slice(0, 200))}*\nCurrently at L${current}.` } },
      ...(options.length > 0
        ? [{ type: 'input' as const, block_id: 'level', optional: true, label: { type: 'plain_text' as const, text: 'Level (default: the next one)' }, element: { type: 'static_select' as const, action_id: 'level', options } }]
        : []),
      { type: 'input', block_id: 'reason', label: { type: 'plain_text', text: 'Reason' }, element: { type: 'plain_text_input', action_id: 'reason', multiline: true, max_length: 500 } },
    ],
  };
}
