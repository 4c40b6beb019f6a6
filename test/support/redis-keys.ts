import { Redis } from 'ioredis';

/**
 * Removes every key under a queue prefix (queues, jobs, the Slack pacer's windows), so a test run
 * leaves nothing behind in Redis. Keys are all `<prefix>:…`; SCAN keeps Redis answering others.
 */
export async function removeRedisKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1_000);
      cursor = next;
      if (keys.length > 0) await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
