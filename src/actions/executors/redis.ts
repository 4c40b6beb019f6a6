import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { Target } from '../../config/config-file.js';
import type { RunbookAction } from '../../runbooks/runbook-schema.js';
import { ActionInputError, type ActionContext, type ActionResult } from '../action-result.js';
import { fillTemplate } from '../templates/fill-template.js';
import { unreachable } from './unreachable.js';

type RedisAction = Extract<RunbookAction, { type: 'redis' }>;
type RedisTarget = Extract<Target, { type: 'redis' }>;

const INFO_FIGURES = [
  'redis_version',
  'role',
  'uptime_in_seconds',
  'connected_clients',
  'blocked_clients',
  'used_memory_human',
  'maxmemory_human',
  'maxmemory_policy',
  'mem_fragmentation_ratio',
  'evicted_keys',
  'expired_keys',
  'keyspace_hits',
  'keyspace_misses',
  'rejected_connections',
  'rdb_last_bgsave_status',
  'aof_last_write_status',
];
const TRANSIENT_REPLY = /^(LOADING|BUSY|MASTERDOWN|TRYAGAIN|CLUSTERDOWN)/;
const QUEUE_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'failed', 'completed', 'paused'] as const;

/** One read-only Redis command on a connection of its own, closed afterwards. */
export async function runRedis(action: RedisAction, target: RedisTarget, ctx: ActionContext): Promise<ActionResult> {
  const key = action.key === undefined ? undefined : fillTemplate(action.key, ctx.labels);
  const client = new Redis(target.url, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    connectTimeout: ctx.timeoutMs,
    retryStrategy: () => null,
    enableOfflineQueue: false,
    connectionName: 'incident-bot-action',
  });
  client.on('error', () => undefined);
  const close = () => client.disconnect();
  ctx.signal.addEventListener('abort', close, { once: true });
  try {
    await client.connect().catch((error: unknown) => {
      throw unreachable(error, 'Redis', ctx.signal);
    });
    const started = performance.now();
    const outcome = await run(action, key, client).catch((error: unknown): ActionResult => {
      // A reply error (WRONGTYPE, NOPERM …) answers the check; a busy or loading server is worth a retry.
      if (error instanceof Error && error.name === 'ReplyError' && !TRANSIENT_REPLY.test(error.message) && !ctx.signal.aborted) {
        return { ok: false, summary: `${key ? `${key}: ` : ''}${error.message}`, figures: {}, output: error.message };
      }
      throw unreachable(error, 'Redis', ctx.signal);
    });
    outcome.figures.latencyMs = Math.round(performance.now() - started);
    return outcome;
  } finally {
    ctx.signal.removeEventListener('abort', close);
    client.disconnect();
  }
}

async function run(action: RedisAction, key: string | undefined, client: Redis): Promise<ActionResult> {
  switch (action.command) {
    case 'ping': {
      const reply = await client.ping();
      return { ok: reply === 'PONG', summary: reply, figures: { reply }, output: reply };
    }
    case 'info': {
      const text = action.section ? await client.info(action.section) : await client.info();
      const fields = new Map(text.split(/\r?\n/).flatMap((line) => (/^[a-z_0-9]+:/.test(line) ? [[line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1)] as const] : [])));
      const figures: ActionResult['figures'] = {};
      for (const name of INFO_FIGURES) {
        const value = fields.get(name);
        if (value !== undefined) figures[name] = /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
      }
      const shown = Object.entries(figures).slice(0, 4).map(([name, value]) => `${name} ${value}`);
      const summary = fields.size === 0 ? `no fields in section ${JSON.stringify(action.section ?? '')}` : shown.join(', ') || `${fields.size} fields`;
      return { ok: true, summary, figures, output: text.trim() };
    }
    case 'llen':
    case 'zcard':
    case 'xlen': {
      if (!key) throw new ActionInputError(`redis ${action.command} needs a key`);
      const length = await client[action.command](key);
      const exists = length > 0 || (await client.exists(key)) === 1;
      const summary = `${key}: ${length}${exists ? '' : ' (no such key)'}`;
      return { ok: true, summary, figures: { length, exists }, output: `${action.command.toUpperCase()} ${key} → ${length}` };
    }
    case 'queue-counts': {
      if (!action.queue) throw new ActionInputError('redis queue-counts needs a queue');
      return queueCounts(client, action.queue, action.prefix ?? 'bull');
    }
  }
}

async function queueCounts(client: Redis, name: string, prefix: string): Promise<ActionResult> {
  const queue = new Queue(name, { connection: client, prefix });
  queue.on('error', () => undefined);
  try {
    const counts = await queue.getJobCounts(...QUEUE_STATES);
    const paused = await queue.isPaused();
    const figures: ActionResult['figures'] = { ...counts, isPaused: paused };
    const summary = `${prefix}:${name}${paused ? ' (paused)' : ''}: ${['waiting', 'active', 'delayed', 'failed'].map((state) => `${counts[state] ?? 0} ${state}`).join(', ')}`;
    const output = [`queue ${prefix}:${name}${paused ? ' (paused)' : ''}`, ...QUEUE_STATES.map((state) => `${state}: ${counts[state] ?? 0}`)].join('\n');
    return { ok: true, summary, figures, output };
  } finally {
    await queue.close().catch(() => undefined);
  }
}
