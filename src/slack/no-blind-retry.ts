import { AbortError } from './p-retry-abort.js';

/** Calls that are not idempotent: sent twice, they post twice. */
const NOT_IDEMPOTENT = new Set(['chat.postMessage']);

/** A call whose answer was lost after Slack may have acted on it. */
export class SlackAnswerLostError extends Error {
  override name = 'SlackAnswerLostError';
}

/**
 * A fetch that keeps the Slack client from retrying a non-idempotent call blindly: when the
 * connection drops or a 5xx comes back, Slack may already have posted the message, so the call
 * fails at once and the caller (whose retry first looks for what the earlier attempt did) decides.
 * A 429 is a refusal before acting and is still retried by the client.
 */
export function withoutBlindRetries(inner: typeof fetch): typeof fetch {
  return async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const method = new URL(url).pathname.split('/').pop() ?? '';
    if (!NOT_IDEMPOTENT.has(method)) return inner(input, init);
    let response: Response;
    try {
      response = await inner(input, init);
    } catch (error) {
      if (error instanceof AbortError) throw error;
      throw new AbortError(new SlackAnswerLostError(`${method}: the connection failed before Slack answered (${error instanceof Error ? error.message : String(error)})`));
    }
    if (response.status >= 500) throw new AbortError(new SlackAnswerLostError(`${method}: Slack answered ${response.status}; it may have acted`));
    return response;
  };
}
