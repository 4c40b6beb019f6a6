import { LogLevel, WebClient, WebClientEvent } from '@slack/web-api';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics.js';
import { withoutBlindRetries } from './no-blind-retry.js';

/**
 * The Slack Web API client the worker uses. @slack/web-api retries network errors and 5xx with
 * backoff (except for calls that would act twice, see withoutBlindRetries). A 429 is waited out
 * by the paced fetch for the one method it applies to; a 429 that reaches the client itself (no
 * paced fetch) pauses every call of the client for Retry-After (rejectRateLimitedCalls: false).
 */
export function createSlackClient(options: { token: string; apiUrl: string; log: Logger; metrics: Metrics; retries?: number; fetch?: typeof fetch }): WebClient {
  const client = new WebClient(options.token, {
    slackApiUrl: options.apiUrl,
    logLevel: LogLevel.ERROR,
    rejectRateLimitedCalls: false,
    timeout: 30_000,
    fetch: withoutBlindRetries(options.fetch ?? fetch),
    retryConfig: { retries: options.retries ?? 5, factor: 2, minTimeout: 500, maxTimeout: 10_000, randomize: true },
  });
  client.on(WebClientEvent.RATE_LIMITED, (retryAfter: number, { url }: { url: string }) => {
    const method = url.split('/').pop() ?? 'unknown';
    options.log.warn({ method, retryAfter }, 'Slack rate limit: waiting Retry-After before retrying');
  });
  return client;
}

/** The Slack error code of a failed Web API call (`name_taken`, `channel_not_found`, …), if any. */
export function slackErrorCode(error: unknown): string | undefined {
  if (error && typeof error === 'object' && 'data' in error) {
    const data = (error as { data?: { error?: unknown } }).data;
    if (typeof data?.error === 'string') return data.error;
  }
  return undefined;
}

/** Slack errors that no retry will fix: the call is given up (and logged), not retried forever. */
const REFUSED_FOR_GOOD = new Set([
  'not_in_channel',
  'channel_not_found',
  'is_archived',
  'invalid_channel',
  'posting_to_channel_denied',
  'invalid_blocks',
  'invalid_blocks_format',
  'msg_too_long',
  'no_text',
  'restricted_action',
  'cannot_reply_to_message',
]);

/** The error code when a failed call is one Slack will refuse for good; undefined when a retry may help. */
export function refusedForGood(error: unknown): string | undefined {
  const code = slackErrorCode(error);
  return code !== undefined && REFUSED_FOR_GOOD.has(code) ? code : undefined;
}
