import type { Redis } from 'ioredis';
import type { Logger } from '../log.js';
import { AbortError } from './p-retry-abort.js';

export interface RateRule {
  max: number;
  windowMs: number;
  /** Counted per channel (chat.postMessage: about one a second per channel). */
  perChannel?: boolean;
}

/** Slack's documented rate tiers for the methods the bot calls (api.slack.com/apis/rate-limits). */
export const SLACK_TIERS: Record<string, RateRule> = {
  'conversations.create': { max: 20, windowMs: 60_000 },
  'conversations.setTopic': { max: 20, windowMs: 60_000 },
  'conversations.archive': { max: 20, windowMs: 60_000 },
  'pins.add': { max: 20, windowMs: 60_000 },
  'usergroups.users.list': { max: 20, windowMs: 60_000 },
  'conversations.invite': { max: 50, windowMs: 60_000 },
  'chat.update': { max: 50, windowMs: 60_000 },
  'users.lookupByEmail': { max: 50, windowMs: 60_000 },
  'users.info': { max: 100, windowMs: 60_000 },
  'files.getUploadURLExternal': { max: 100, windowMs: 60_000 },
  'files.completeUploadExternal': { max: 100, windowMs: 60_000 },
  // One a second per channel, with the short bursts Slack allows.
  'chat.postMessage': { max: 5, windowMs: 5_000, perChannel: true },
};

// A sliding window in a sorted set, timed by Redis itself so every process agrees: take a slot
// and answer 0, or answer how many milliseconds until a slot frees. KEYS[2] is set while Slack's
// own Retry-After holds this method (or this channel's posts) back: nobody calls until it expires.
// ARGV[2] = 0 means no tier is paced here, only Retry-After.
const TAKE_SLOT = `
local held = redis.call('PTTL', KEYS[2])
if held > 0 then return held end
if tonumber(ARGV[2]) == 0 then return 0 end
local now = redis.call('TIME')
local ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local window = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ms - window)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[2]) then
  redis.call('ZADD', KEYS[1], ms, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return tonumber(oldest[2]) + window - ms + 1
`;

function methodOf(input: string | URL | Request): string {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  return new URL(url).pathname.split('/').pop() ?? '';
}

function channelOf(body: unknown): string {
  if (typeof body === 'string') return new URLSearchParams(body).get('channel') ?? (body.startsWith('{') ? String((JSON.parse(body) as { channel?: unknown }).channel ?? '') : '');
  if (body instanceof URLSearchParams) return body.get('channel') ?? '';
  return '';
}

/** A paced call that would wait longer than this gives its worker slot back and is retried later. */
const MAX_WAIT_MS = 15_000;

/** Thrown when Slack's rate tier would hold a call too long: the job is retried with backoff. */
export class SlackPacedError extends Error {
  override name = 'SlackPacedError';
}

// The pacer's refusal must not be retried inside the client: it is a p-retry AbortError.

/** Seconds in a 429's Retry-After (Slack always sends it); 1 when absent or unreadable. */
function retryAfterMs(response: Response): number {
  const seconds = Number.parseInt(response.headers.get('retry-after') ?? '', 10);
  return (Number.isFinite(seconds) && seconds >= 0 ? seconds : 1) * 1_000;
}

/** A body that can be sent again (the client's form and JSON bodies); uploads are not retried here. */
function resendable(body: unknown): boolean {
  return body === undefined || body === null || typeof body === 'string' || body instanceof URLSearchParams;
}

/**
 * A fetch for the Slack Web API client that keeps every process of the bot within Slack's rate
 * tiers, so a storm is slowed down here instead of being answered 429 by Slack. A 429 holds back
 * only what it applies to (the method; for chat.postMessage, that channel's posts), for every
 * process, for its Retry-After, and the call is sent again after it: the Slack client, which
 * would pause every call of the process, never sees it. When Redis cannot be reached the call
 * goes ahead unpaced and a 429 is waited out in this call alone.
 */
export function pacedFetch(redis: Redis, prefix: string, log: Logger, rules: Record<string, RateRule> = SLACK_TIERS, onRateLimited?: (method: string, retryAfterMs: number) => void): typeof fetch {
  let sequence = 0;
  return async (input, init) => {
    const method = methodOf(input);
    const rule = rules[method];
    const key = `${prefix}:slack-pace:${method}${rule?.perChannel ? `:${channelOf(init?.body)}` : ''}`;
    // Time waited, on the monotonic timer (a duration, not business time).
    const started = performance.now();
    // Retry-After as this call saw it, for when Redis cannot hold the method back for everyone.
    let heldUntil = 0;
    for (;;) {
      const wait = Math.max(heldUntil - performance.now(), await slotWait(redis, key, rule, `${process.pid}-${++sequence}-${Math.random()}`, log, method));
      if (wait > 0) {
        // In a burst, waiting out a whole Tier 2 minute here would hold a worker slot that other
        // incidents' messages need: give it back and let the job retry with backoff instead.
        if (performance.now() - started + wait > MAX_WAIT_MS) throw new AbortError(new SlackPacedError(`${method} is at Slack's rate limit for the next ${Math.ceil(wait / 1000)} s`));
        await new Promise((resolve) => setTimeout(resolve, Math.min(wait, 1_000)));
        continue;
      }
      const response = await fetch(input, init);
      if (response.status !== 429 || !resendable(init?.body)) return response;
      const hold = retryAfterMs(response);
      onRateLimited?.(method, hold);
      log.warn({ method, retryAfterMs: hold }, 'Slack rate limit: holding this method back for Retry-After');
      heldUntil = performance.now() + hold;
      await redis.set(`${key}:held`, '1', 'PX', Math.max(1, hold)).catch(() => undefined);
    }
  };
}

/** Milliseconds to wait before this call may go (0: go now); 0 when Redis cannot be asked. */
async function slotWait(redis: Redis, key: string, rule: RateRule | undefined, member: string, log: Logger, method: string): Promise<number> {
  try {
    return Number(await redis.eval(TAKE_SLOT, 2, key, `${key}:held`, String(rule?.windowMs ?? 0), String(rule?.max ?? 0), member));
  } catch (error) {
    log.debug({ err: error, method }, 'Slack pacing unavailable; calling unpaced');
    return 0;
  }
}
