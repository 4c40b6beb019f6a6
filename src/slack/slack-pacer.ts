import { createRequire } from 'node:module';
import type { Redis } from 'ioredis';
import type { Logger } from '../log.js';

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
// and answer 0, or answer how many milliseconds until the oldest slot frees.
const TAKE_SLOT = `
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

// @slack/web-api retries every failed call (p-retry) except a p-retry AbortError; the pacer's
// refusal must not be retried inside the client, so it is wrapped in the very AbortError class
// the client checks with instanceof: loaded from the client's own dependencies.
const requireFromWebApi = createRequire(createRequire(import.meta.url).resolve('@slack/web-api'));
const { AbortError } = requireFromWebApi('p-retry') as { AbortError: new (error: Error) => Error };

/**
 * A fetch for the Slack Web API client that keeps every process of the bot within Slack's rate
 * tiers, so a storm is slowed down here instead of being answered 429 by Slack. When Redis cannot
 * be reached the call goes ahead unpaced (the client still honours Retry-After).
 */
export function pacedFetch(redis: Redis, prefix: string, log: Logger, rules: Record<string, RateRule> = SLACK_TIERS): typeof fetch {
  let sequence = 0;
  return async (input, init) => {
    const method = methodOf(input);
    const rule = rules[method];
    if (rule) {
      const key = `${prefix}:slack-pace:${method}${rule.perChannel ? `:${channelOf(init?.body)}` : ''}`;
      // Time waited, on the monotonic timer (a duration, not business time).
      const started = performance.now();
      for (;;) {
        let wait: number;
        try {
          wait = Number(await redis.eval(TAKE_SLOT, 1, key, String(rule.windowMs), String(rule.max), `${process.pid}-${++sequence}-${Math.random()}`));
        } catch (error) {
          log.debug({ err: error, method }, 'Slack pacing unavailable; calling unpaced');
          break;
        }
        if (wait <= 0) break;
        // In a burst, waiting out a whole Tier 2 minute here would hold a worker slot that other
        // incidents' messages need: give it back and let the job retry with backoff instead.
        if (performance.now() - started + wait > MAX_WAIT_MS) throw new AbortError(new SlackPacedError(`${method} is at Slack's rate limit for the next ${Math.ceil(wait / 1000)} s`));
        await new Promise((resolve) => setTimeout(resolve, Math.min(wait, 1_000)));
      }
    }
    return fetch(input, init);
  };
}
