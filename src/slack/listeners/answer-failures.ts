import type { AnyMiddlewareArgs, Middleware, RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Deps } from '../../deps.js';
import { ephemeral } from './incident-button-press.js';

export const FAILURE_ANSWER = '⚠️ That did not go through: the bot hit an error (it is logged). It may not have been done: check with `/incident status`, then try again.';

/** Who sent a command or pressed a button or submitted a modal, when the payload says. */
function userOf(body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const record = body as { user_id?: unknown; user?: { id?: unknown } };
  if (typeof record.user_id === 'string') return record.user_id;
  return typeof record.user?.id === 'string' ? record.user.id : undefined;
}

/**
 * Global middleware: a command, button or modal whose listener fails (the database timing out at
 * 3 a.m.) tells the person so, ephemerally (or by direct message for a modal), instead of leaving
 * them to wonder. The error then goes on to the app's error handler, which logs it.
 */
export function answerFailures(deps: Pick<Deps, 'log'>): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    try {
      await args.next();
    } catch (error) {
      const { respond, client } = args as AnyMiddlewareArgs & { respond?: RespondFn; client: WebClient };
      const userId = userOf(args.body);
      const told = respond
        ? respond(ephemeral(FAILURE_ANSWER))
        : userId && args.body && (args.body as { type?: unknown }).type === 'view_submission'
          ? client.chat.postMessage({ channel: userId, text: FAILURE_ANSWER })
          : undefined;
      await told?.catch((answerError: unknown) => deps.log.warn({ err: answerError, userId }, 'could not tell the user their request failed'));
      throw error;
    }
  };
}
