import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActionInputError, ActionTargetError } from '../../src/actions/action-result.js';
import { executeAction } from '../../src/actions/execute-action.js';
import { action, context, rejection, target } from './support/action-context.js';
import { freePort } from '../support/free-port.js';
import { REDIS_URL } from '../support/test-bot.js';

const prefix = `action-test-${randomBytes(4).toString('hex')}`;
let redis: Redis;

beforeAll(() => {
  redis = new Redis(REDIS_URL);
});
afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

const cache = () => target({ type: 'redis', url: REDIS_URL });
const command = (raw: Record<string, unknown>) => action({ type: 'redis', ...raw });

describe('redis actions', () => {
  it('answers PING', async () => {
    const result = await executeAction(command({ command: 'ping' }), context(cache()));
    expect(result).toMatchObject({ ok: true, summary: 'PONG', figures: { reply: 'PONG', latencyMs: expect.any(Number) } });
  });

  it('reads INFO with figures for known fields', async () => {
    const memory = await executeAction(command({ command: 'info', section: 'memory' }), context(cache()));
    expect(memory.ok).toBe(true);
    expect(memory.figures.used_memory_human).toEqual(expect.any(String));
    expect(memory.figures.maxmemory_policy).toEqual(expect.any(String));
    expect(memory.output).toContain('# Memory');
    const replication = await executeAction(command({ command: 'info', section: 'replication' }), context(cache()));
    expect(replication.figures.role).toBe('master');
    const clients = await executeAction(command({ command: 'info', section: 'clients' }), context(cache()));
    expect(clients.figures.connected_clients).toBeGreaterThanOrEqual(1);
  });

  it('measures list, sorted set and stream lengths, the key filled from a label', async () => {
    await redis.rpush(`${prefix}:digest:wait`, 'a', 'b', 'c');
    await redis.zadd(`${prefix}:z`, 1, 'a', 2, 'b');
    await redis.xadd(`${prefix}:s`, '*', 'f', 'v');
    const llen = await executeAction(command({ command: 'llen', key: `${prefix}:{{labels.queue}}:wait` }), context(cache(), { labels: { queue: 'digest' } }));
    expect(llen).toMatchObject({ ok: true, summary: `${prefix}:digest:wait: 3`, figures: { length: 3, exists: true } });
    expect((await executeAction(command({ command: 'zcard', key: `${prefix}:z` }), context(cache()))).figures.length).toBe(2);
    expect((await executeAction(command({ command: 'xlen', key: `${prefix}:s` }), context(cache()))).figures.length).toBe(1);
    const missing = await executeAction(command({ command: 'llen', key: `${prefix}:nothing` }), context(cache()));
    expect(missing.summary).toContain('(no such key)');
  });

  it('reports a key of another type as a failed result', async () => {
    await redis.set(`${prefix}:string`, 'x');
    const result = await executeAction(command({ command: 'llen', key: `${prefix}:string` }), context(cache()));
    expect(result.ok).toBe(false);
    expect(result.summary).toContain('WRONGTYPE');
  });

  it('refuses an unsafe label in the key', async () => {
    const error = await rejection(executeAction(command({ command: 'llen', key: `${prefix}:{{labels.queue}}` }), context(cache(), { labels: { queue: 'a b' } })));
    expect(error).toBeInstanceOf(ActionInputError);
  });

  it('counts the jobs of a BullMQ queue', async () => {
    const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    const queue = new Queue('emails', { connection, prefix });
    try {
      await queue.add('send', { n: 1 });
      await queue.add('send', { n: 2 });
      await queue.add('later', { n: 3 }, { delay: 60_000 });
      const result = await executeAction(command({ command: 'queue-counts', queue: 'emails', prefix }), context(cache()));
      expect(result.ok).toBe(true);
      expect(result.figures).toMatchObject({ waiting: 2, delayed: 1, active: 0, failed: 0, completed: 0, isPaused: false });
      expect(result.summary).toBe(`${prefix}:emails: 2 waiting, 0 active, 1 delayed, 0 failed`);
      await queue.pause();
      const paused = await executeAction(command({ command: 'queue-counts', queue: 'emails', prefix }), context(cache()));
      expect(paused.figures.isPaused).toBe(true);
      expect(paused.summary).toContain('(paused)');
    } finally {
      await queue.obliterate({ force: true });
      await queue.close();
      connection.disconnect();
    }
  });

  it('throws ActionTargetError when Redis is down, without showing the password', async () => {
    const down = target({ type: 'redis', url: `redis://:r3dis-pw-77@127.0.0.1:${await freePort()}` });
    const error = await rejection(executeAction(command({ command: 'ping' }), context(down)));
    expect(error).toBeInstanceOf(ActionTargetError);
    expect(error.message).not.toContain('r3dis-pw-77');
  });
});
