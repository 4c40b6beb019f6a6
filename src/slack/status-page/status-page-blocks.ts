import type { KnownBlock } from '@slack/types';
import type { StatusPageConfig } from '../../config/status-page-config.js';
import { OUTAGE_STATES, statusLabel } from '../../status-page/public-statuses.js';
import type { PublishForm } from '../../status-page/publish-form.js';

export const PUBLISH_CHOICE = 'publish';
export const NOT_AFFECTED = 'operational';
/** Block ids of the status page inputs; a component's state select is `sp_component_<position>`. */
export const SP_BLOCK = { publish: 'sp_publish', title: 'sp_title', message: 'sp_message', component: 'sp_component_' } as const;

const option = (text: string, value: string) => ({ text: { type: 'plain_text' as const, text }, value });

/**
 * The status page part of the update form and of `/incident statuspage publish`: public title,
 * public message and each component's state. Public text is typed here, never copied from the
 * incident, so nothing internal reaches the page.
 */
export function statusPageBlocks(page: StatusPageConfig, form: PublishForm, options: { withToggle: boolean }): KnownBlock[] {
  const states = [option('Operational (not affected)', NOT_AFFECTED), ...OUTAGE_STATES.map((state) => option(statusLabel(state), state))];
  const blocks: KnownBlock[] = [{ type: 'divider' }];
  if (options.withToggle) {
    const toggle = option('Publish to the status page', PUBLISH_CHOICE);
    blocks.push({
      type: 'input',
      block_id: SP_BLOCK.publish,
      optional: true,
      label: { type: 'plain_text', text: 'Status page' },
      element: { type: 'checkboxes', action_id: 'choice', options: [{ ...toggle, description: { type: 'plain_text', text: `Shown publicly at ${page.public_url.slice(0, 60)}` } }] },
    });
  } else {
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `Shown publicly at ${page.public_url.slice(0, 100)}: only what you type here.` }] });
  }
  blocks.push(
    {
      type: 'input',
      block_id: SP_BLOCK.title,
      optional: options.withToggle,
      label: { type: 'plain_text', text: 'Public title' },
      hint: { type: 'plain_text', text: 'What customers see, e.g. "Elevated API error rates". Not the internal title.' },
      element: { type: 'plain_text_input', action_id: 'text', max_length: 200, ...(form.current ? { initial_value: form.current.title } : {}) },
    },
    {
      type: 'input',
      block_id: SP_BLOCK.message,
      optional: true,
      label: { type: 'plain_text', text: 'Public message' },
      hint: { type: 'plain_text', text: 'Empty: a standard sentence for the status.' },
      element: { type: 'plain_text_input', action_id: 'text', multiline: true, max_length: 3_000 },
    },
  );
  if (page.components.length > 0) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: '*Affected components*: each one’s state on the page.' } });
  page.components.slice(0, 20).forEach((component, index) => {
    const state = form.components.find((entry) => entry.name === component.name)?.status ?? NOT_AFFECTED;
    blocks.push({
      type: 'input',
      block_id: `${SP_BLOCK.component}${index}`,
      label: { type: 'plain_text', text: component.name.slice(0, 150) },
      element: { type: 'static_select', action_id: 'state', options: states, initial_option: states.find((entry) => entry.value === state) ?? states[0] },
    });
  });
  return blocks;
}
