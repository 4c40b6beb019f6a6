import type { View } from '@slack/types';
import type { StatusPageConfig } from '../../config/status-page-config.js';
import { UPDATE_STATUSES } from '../../comms/update-status.js';
import type { PublishForm } from '../../status-page/publish-form.js';
import { statusLabel } from '../../status-page/public-statuses.js';
import { escapeMrkdwn } from '../render/mrkdwn.js';
import { statusPageBlocks } from './status-page-blocks.js';

export const PUBLISH_MODAL = 'status-page-publish-modal';

const option = (text: string, value: string) => ({ text: { type: 'plain_text' as const, text }, value });

/** `/incident statuspage publish`: the status page part of the update form on its own, with the public status. */
export function publishModal(page: StatusPageConfig, form: PublishForm, reference: string): View {
  const statuses = UPDATE_STATUSES.map((value) => option(statusLabel(value), value));
  const initial = statuses.find((entry) => entry.value === form.current?.status) ?? statuses[0];
  return {
    type: 'modal',
    callback_id: PUBLISH_MODAL,
    private_metadata: form.id,
    title: { type: 'plain_text', text: 'Publish to status page' },
    submit: { type: 'plain_text', text: 'Publish' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*${reference}* ${escapeMrkdwn(form.title.slice(0, 200))}${form.current ? `\nOn the page as “${escapeMrkdwn(form.current.title)}”${form.current.hidden ? ' (hidden)' : ''}: this posts a new public update.` : ''}` } },
      { type: 'input', block_id: 'status', label: { type: 'plain_text', text: 'Public status' }, element: { type: 'static_select', action_id: 'status', options: statuses, ...(initial ? { initial_option: initial } : {}) } },
      ...statusPageBlocks(page, form, { withToggle: false }),
    ],
  };
}
