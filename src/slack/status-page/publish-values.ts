import { z } from 'zod';
import type { StatusPageConfig } from '../../config/status-page-config.js';
import { outageStateSchema } from '../../status-page/public-statuses.js';
import type { ComponentState } from '../../status-page/status-snapshot.js';
import { NOT_AFFECTED, PUBLISH_CHOICE, SP_BLOCK } from './status-page-blocks.js';

const text = z.object({ text: z.object({ value: z.string().nullish() }) }).optional();
const stateValues = z.object({ state: z.object({ selected_option: z.object({ value: z.union([outageStateSchema, z.literal(NOT_AFFECTED)]) }).nullish() }) }).optional();
const toggle = z.object({ choice: z.object({ selected_options: z.array(z.object({ value: z.string() })).nullish() }) }).optional();

export interface PublishValues {
  publish: boolean;
  title: string;
  message: string;
  components: ComponentState[];
}

/** The status page inputs of a submitted view (`view.state.values`); an error names the block it belongs to. */
export function publishValues(page: StatusPageConfig, values: Record<string, unknown>, options: { withToggle: boolean }): { ok: true; values: PublishValues } | { ok: false; errors: Record<string, string> } {
  const publish = options.withToggle ? (toggle.safeParse(values[SP_BLOCK.publish]).data?.choice.selected_options ?? []).some((choice) => choice.value === PUBLISH_CHOICE) : true;
  const title = text.safeParse(values[SP_BLOCK.title]).data?.text.value?.trim() ?? '';
  const message = text.safeParse(values[SP_BLOCK.message]).data?.text.value?.trim() ?? '';
  const components: ComponentState[] = [];
  page.components.slice(0, 20).forEach((component, index) => {
    const status = stateValues.safeParse(values[`${SP_BLOCK.component}${index}`]).data?.state.selected_option?.value;
    if (status && status !== NOT_AFFECTED) components.push({ name: component.name, status });
  });
  if (publish && !title) return { ok: false, errors: { [SP_BLOCK.title]: 'Give the public title customers will read; the internal title is never published.' } };
  return { ok: true, values: { publish, title, message, components } };
}
