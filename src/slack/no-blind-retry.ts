import { AbortError } from './p-retry-abort.js';

/** Calls that are not idempotent: sent twice, they post twice. */
const NOT_IDEMPOTENT = new Set(['chat.postMessage']);

/** Whether the call carries message metadata: a post the bot can look for after a lost answer. */
function carriesMetadata(body: unknown): boolean {
  if (body instanceof URLSearchParams) return body.has('metadata');
  if (typeof body !== 'string') return false;
  if (body.startsWith('{')) return body.includes('"metadata"');
  return new URLSearchParams(body).has('metadata');
}

/** A call whose answer was lost after Slack may have acted on it. */
export class SlackAnswerLostError extends Error {
  override name = 'SlackAnswerLostError';
}

/**
 * A fetch that keeps the Slack client from retrying a marked post blindly: when the connection
 * drops or a 5xx comes back, Slack may already have posted the message, so the call fails at once
 * and the caller looks for it (by its metadata) before posting again. Posts without metadata
 * (direct messages) keep the client's own retries. A 429 is a refusal before acting; the paced
 * fetch waits it out.
 */
export function withoutBlindRetries(inner: typeof fetch): typeof fetch {
  return async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const method = new URL(url).pathname.split('/').pop() ?? '';
    if (!NOT_IDEMPOTENT.has(method) || !carriesMetadata(init?.body)) return inner(input, init);
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
