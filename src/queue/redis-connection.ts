import { Redis, type RedisOptions } from 'ioredis';

/**
 * Workers block on Redis and must never give up on a command (BullMQ requires
 * maxRetriesPerRequest: null). Producers in the request path must fail fast instead, so a
 * Redis outage cannot hold up a webhook that is already safe in Postgres.
 */
export function createRedis(url: string, role: 'worker' | 'producer', extra: RedisOptions = {}): Redis {
  const options: RedisOptions =
    role === 'worker'
      ? { maxRetriesPerRequest: null, enableReadyCheck: true }
      : { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2_000, commandTimeout: 2_000 };
  return new Redis(url, { ...options, lazyConnect: false, retryStrategy: (times) => Math.min(times * 200, 2_000), ...extra });
}
