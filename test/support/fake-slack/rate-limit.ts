/**
 * Rate limits modelled on Slack's documented tiers (docs.slack.dev/apis/web-api/rate-limits):
 *
 * | Tier   | Limit          | Notes                                                         |
 * |--------|----------------|---------------------------------------------------------------|
 * | Tier 1 | 1+ per minute  | "A small amount of burst behavior is tolerated."             |
 * | Tier 2 | 20+ per minute | "allowing for occasional bursts of more requests"             |
 * | Tier 3 | 50+ per minute | "Sporadic bursts are welcome."                                |
 * | Tier 4 | 100+ per minute| "generous burst behavior"                                     |
 * | chat.postMessage | 1 per second per channel | "Short bursts >1 allowed." (special tier)   |
 *
 * Limits apply "per API method per workspace per app", i.e. per token here (and per channel for
 * chat.postMessage). Each key gets a token bucket: `limit` requests per `perMs`, holding at most `burst`
 * tokens (default: `limit`), so a quiet client may burst up to `burst` calls before being paced.
 * `timeScale` shrinks every period (timeScale 60 turns 20/minute into 20/second) so tests stay fast.
 */

export interface RateLimitRule {
  /** Requests allowed per period. */
  limit: number;
  /** Period in (unscaled) milliseconds. */
  perMs: number;
  /** Bucket capacity: how many calls may be made back to back after a quiet period. Default: `limit`. */
  burst?: number;
  /** `channel`: one bucket per channel argument (chat.postMessage); `method`: one per method. */
  scope?: 'method' | 'channel';
}

export const TIERS = {
  tier1: { limit: 1, perMs: 60_000 },
  tier2: { limit: 20, perMs: 60_000 },
  tier3: { limit: 50, perMs: 60_000 },
  tier4: { limit: 100, perMs: 60_000 },
} as const satisfies Record<string, RateLimitRule>;

export type TierName = keyof typeof TIERS;

/**
 * Slack documents that short bursts above 1/s per channel are allowed but not how many; 5 is the fake's choice.
 */
export const POST_MESSAGE_BURST = 5;

/** Default rules (tier assignments as documented on each method's page). */
export const DEFAULT_RATE_LIMITS: Readonly<Record<string, RateLimitRule>> = {
  'conversations.create': TIERS.tier2,
  'conversations.setTopic': TIERS.tier2,
  'conversations.setPurpose': TIERS.tier2,
  'conversations.archive': TIERS.tier2,
  'pins.add': TIERS.tier2,
  // docs.slack.dev lists usergroups.users.list as Tier 2 (20+/min), not Tier 3.
  'usergroups.users.list': TIERS.tier2,
  'usergroups.users.update': TIERS.tier2,
  'conversations.invite': TIERS.tier3,
  'chat.update': TIERS.tier3,
  'users.lookupByEmail': TIERS.tier3,
  'users.conversations': TIERS.tier3,
  'conversations.history': TIERS.tier3,
  'chat.postMessage': { limit: 1, perMs: 1_000, burst: POST_MESSAGE_BURST, scope: 'channel' },
};

/** `true` = the defaults; a map = the defaults with per-method overrides (a tier name, a rule, or `false` = off). */
export type RateLimitConfig = boolean | Record<string, RateLimitRule | TierName | false>;

export function resolveRateLimits(config: RateLimitConfig | undefined): Map<string, RateLimitRule> {
  const rules = new Map<string, RateLimitRule>();
  if (!config) return rules;
  for (const [method, rule] of Object.entries(DEFAULT_RATE_LIMITS)) rules.set(method, rule);
  if (config === true) return rules;
  for (const [method, rule] of Object.entries(config)) {
    if (rule === false) rules.delete(method);
    else rules.set(method, typeof rule === 'string' ? TIERS[rule] : rule);
  }
  return rules;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly rules: ReadonlyMap<string, RateLimitRule>,
    private readonly timeScale: number,
    private readonly now: () => number,
  ) {
    if (!(timeScale > 0)) throw new Error(`timeScale must be > 0, got ${timeScale}`);
  }

  get enabled(): boolean {
    return this.rules.size > 0;
  }

  /** Takes one token for this call, or says how long to wait (whole seconds, at least 1, as Slack sends). */
  check(method: string, token: string, channel: string | undefined): RateDecision {
    const rule = this.rules.get(method);
    if (!rule) return { allowed: true };
    const key = rule.scope === 'channel' ? `${token}|${method}|${channel ?? ''}` : `${token}|${method}`;
    const capacity = rule.burst ?? rule.limit;
    const msPerToken = rule.perMs / this.timeScale / rule.limit;
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: capacity, updatedAt: now };
    bucket.tokens = Math.min(capacity, bucket.tokens + (now - bucket.updatedAt) / msPerToken);
    bucket.updatedAt = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    const waitMs = (1 - bucket.tokens) * msPerToken;
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
  }

  reset(): void {
    this.buckets.clear();
  }
}
