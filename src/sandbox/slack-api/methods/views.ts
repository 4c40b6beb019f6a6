/**
 * views.open — opening a modal in exchange for a trigger_id.
 */
import { z } from 'zod';
import { fail, jsonArg, ok, optString, parseArgs } from '../args.js';
import { formatViolation } from '../block-kit-limits.js';
import { validateModalView } from '../validate-blocks.js';
import type { JsonObject } from '../types.js';
import type { MethodTable } from './context.js';

/** "The expected format for the trigger_id argument is "132456.7890123.abcdef"." */
const TRIGGER_FORMAT = /^\d+\.\d+\.[0-9a-f]+$/;
/** Trigger ids expire three seconds after the interaction that produced them. */
export const TRIGGER_TTL_MS = 3000;
/** "view_too_large: Error returned if the provided view is greater than 250kb." */
const MAX_VIEW_BYTES = 250 * 1024;

function isObj(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export const viewMethods: MethodTable = {
  'views.open': (ctx) => {
    const schema = z.object({ trigger_id: optString, interactivity_pointer: optString, view: jsonArg });
    const parsed = parseArgs(schema, ctx.args);
    if (!parsed.success) return parsed.result;
    const trigger = parsed.data.trigger_id ?? parsed.data.interactivity_pointer;
    if (!trigger) return fail('invalid_arguments', { response_metadata: { messages: ['invalid `trigger_id`'] } });
    if (!TRIGGER_FORMAT.test(trigger)) return fail('invalid_trigger_id');
    if (ctx.state.exchangedTriggers.has(trigger)) return fail('exchanged_trigger_id');
    const issuedAt = ctx.state.issuedTriggers.get(trigger);
    if (issuedAt !== undefined && ctx.state.nowMs() - issuedAt > TRIGGER_TTL_MS) return fail('expired_trigger_id');

    const view = parsed.data.view;
    if (!isObj(view)) {
      return fail('invalid_arguments', {
        response_metadata: { messages: ['[ERROR] failed to match all allowed schemas [json-pointer:/view]'] },
      });
    }
    if (Buffer.byteLength(JSON.stringify(view)) > MAX_VIEW_BYTES) return fail('view_too_large');
    // Slack answers view problems with invalid_arguments and the pointers in response_metadata.messages.
    const violations = validateModalView(view, { actionIdScope: ctx.config.actionIdScope });
    if (violations.length > 0) {
      return fail('invalid_arguments', {
        response_metadata: { messages: violations.map((v) => `[ERROR] ${formatViolation(v)}`) },
      });
    }
    const externalId = typeof view.external_id === 'string' ? view.external_id : '';
    if (externalId && ctx.state.views.some((v) => v.view.external_id === externalId)) {
      return fail('duplicate_external_id');
    }

    ctx.state.exchangedTriggers.add(trigger);
    const id = ctx.state.newId('V');
    const opened: JsonObject = {
      ...view,
      id,
      team_id: ctx.bot.teamId,
      private_metadata: view.private_metadata ?? '',
      callback_id: view.callback_id ?? '',
      external_id: externalId,
      state: { values: {} },
      hash: `${ctx.state.nowSeconds()}.${id.toLowerCase()}`,
      clear_on_close: view.clear_on_close ?? false,
      notify_on_close: view.notify_on_close ?? false,
      root_view_id: id,
      previous_view_id: null,
      app_id: ctx.bot.appId,
      bot_id: ctx.bot.botId,
    };
    ctx.state.views.push({ id, triggerId: trigger, view: opened, openedAt: ctx.state.nowMs() });
    return ok({ view: opened });
  },
};
