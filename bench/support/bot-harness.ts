import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import pg from 'pg';
import { startBot, type RunningBot } from '../../src/app/start-bot.js';
import { configSchema, loadConfigFile } from '../../src/config/config-file.js';
import { loadEnv } from '../../src/config/env.js';
import { createLogger } from '../../src/log.js';
import { startFakeSlack, type CallRecord, type FakeSlack, type FakeSlackOptions } from '../../test/support/fake-slack/index.js';

export const ADMIN_PG_URL = process.env.BENCH_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const RUNBOOKS_DIR = path.resolve(import.meta.dirname, '../../runbooks');
/** The shipped config file: its targets (with their fallback URLs) are what the runbooks' actions name. */
export const SHIPPED_CONFIG = path.resolve(import.meta.dirname, '../../incident-bot.yml');

export type Role = 'all' | 'api';

/** The Slack signing secret the bench bots verify `/slack/events` requests with. */
export const BENCH_SIGNING_SECRET = 'bench-secret';

export interface BenchBotOptions {
  role: Role;
  logLevel?: string;
  relayIntervalMs?: number;
  /** Raw config-file sections over the shipped targets (validated like the YAML file); `targets` are merged into the shipped ones. */
  config?: Record<string, unknown>;
  /** Runbooks directory; the shipped runbooks by default. */
  runbooksDir?: string;
  /** Options of the fake Slack (rate limits, latency …). */
  slackOptions?: FakeSlackOptions;
}

export interface PersistedCounts {
  deliveries: number;
  processedDeliveries: number;
  alerts: number;
  incidents: number;
  incidentsWithMessage: number;
  incidentsWithRunbook: number;
  runbookPostedEvents: number;
}

/** A Slack call as the fake recorded it, with the monotonic time it was recorded at. */
export type SlackCallListener = (call: CallRecord, at: number) => void;

export interface BenchBot {
  role: Role;
  url: string;
  bot: RunningBot;
  slack: FakeSlack;
  database: string;
  queuePrefix: string;
  /** Called synchronously whenever the fake Slack logs a call (when it has handled it, just before answering). */
  onSlackCall(listener: SlackCallListener): () => void;
  counts(): Promise<PersistedCounts>;
  /** Work accepted but not yet in Slack: deliveries not correlated, incidents without their message. */
  backlog(): Promise<{ deliveries: number; incidents: number }>;
  stop(): Promise<void>;
}

async function admin<T>(sql: string, url = ADMIN_PG_URL): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

function databaseUrl(name: string): string {
  const url = new URL(ADMIN_PG_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * Starts the whole bot as `main.ts` would (startBot migrates a fresh database), against real
 * Postgres and Redis and the project's fake Slack. `role: 'api'` starts the HTTP intake only,
 * so no worker competes with it for CPU or database connections.
 */
export async function startBenchBot(options: BenchBotOptions): Promise<BenchBot> {
  const database = `incident_bot_bench_${randomBytes(5).toString('hex')}`;
  const queuePrefix = `bench-${randomBytes(4).toString('hex')}`;
  await admin(`CREATE DATABASE "${database}"`);
  const cleanups: (() => Promise<unknown>)[] = [];
  // Once only, in reverse order of setup, however many callers (the run itself, a SIGINT) ask.
  let cleaning: Promise<void> | undefined;
  const cleanup = () =>
    (cleaning ??= (async () => {
      for (const step of [...cleanups].reverse()) await step().catch((error: unknown) => console.error('bench cleanup:', error));
    })());
  cleanups.push(() => admin(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`));
  cleanups.push(() => deleteQueueKeys(queuePrefix));
  try {
    const slack = await startFakeSlack(options.slackOptions);
    cleanups.push(() => slack.close());

    // Every call the fake logs goes through this array's push (dispatcher.record): hook it to
    // timestamp calls as they happen instead of polling.
    const listeners = new Set<SlackCallListener>();
    const calls = slack.calls as CallRecord[];
    const push = calls.push.bind(calls);
    calls.push = (...items: CallRecord[]) => {
      const at = performance.now();
      const length = push(...items);
      for (const item of items) for (const listener of listeners) listener(item, at);
      return length;
    };

    const env = loadEnv({
      DATABASE_URL: databaseUrl(database),
      REDIS_URL,
      PORT: '0',
      HOST: '127.0.0.1',
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_SIGNING_SECRET: BENCH_SIGNING_SECRET,
      SLACK_API_URL: slack.url,
      RUNBOOKS_DIR: options.runbooksDir ?? RUNBOOKS_DIR,
      LOG_LEVEL: options.logLevel ?? 'warn',
      ROLE: options.role,
    });
    const bot = await startBot({
      env,
      // Warnings and errors go to stderr so they cannot garble the result table.
      log: createLogger(env.LOG_LEVEL, process.stderr),
      // As the tests do: the shipped targets, everything else default (no escalation policies)
      // unless the caller gives config sections (its targets are added to the shipped ones).
      config: await benchConfig(options.config),
      queuePrefix,
      relayIntervalMs: options.relayIntervalMs ?? 5_000,
    });
    let stopped = false;
    cleanups.push(async () => {
      if (!stopped) await bot.stop();
      stopped = true;
    });
    if (!bot.url) throw new Error('the bot has no HTTP listener');

    const probe = new pg.Client({ connectionString: databaseUrl(database) });
    await probe.connect();
    cleanups.push(() => probe.end());
    const count = async (sql: string) => Number((await probe.query<{ n: string }>(sql)).rows[0]?.n ?? 0);

    return {
      role: options.role,
      url: bot.url,
      bot,
      slack,
      database,
      queuePrefix,
      onSlackCall(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      async counts() {
        return {
          deliveries: await count('SELECT count(*) AS n FROM webhook_deliveries'),
          processedDeliveries: await count('SELECT count(*) AS n FROM webhook_deliveries WHERE processed_at IS NOT NULL'),
          alerts: await count('SELECT count(*) AS n FROM alerts'),
          incidents: await count('SELECT count(*) AS n FROM incidents'),
          incidentsWithMessage: await count('SELECT count(*) AS n FROM incidents WHERE message_ts IS NOT NULL'),
          incidentsWithRunbook: await count('SELECT count(*) AS n FROM incidents WHERE runbook_id IS NOT NULL'),
          runbookPostedEvents: await count("SELECT count(*) AS n FROM timeline_events WHERE type = 'runbook.posted'"),
        };
      },
      async backlog() {
        return {
          deliveries: await count('SELECT count(*) AS n FROM webhook_deliveries WHERE processed_at IS NULL'),
          incidents: await count('SELECT count(*) AS n FROM incidents WHERE message_ts IS NULL'),
        };
      },
      async stop() {
        await cleanup();
      },
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

/**
 * The shipped targets with the caller's config sections over them; `targets` merge by name.
 * Grouping by service and storm mode are off unless asked for: these benchmarks open many alert
 * groups of one service on purpose, and measure each one's own incident.
 */
async function benchConfig(overrides: Record<string, unknown> = {}) {
  const shipped = (await loadConfigFile(SHIPPED_CONFIG, {})).targets;
  const { targets, incidents, ...rest } = overrides;
  return configSchema.parse({
    ...rest,
    incidents: { group_by: [], storm_threshold: 0, ...(incidents as Record<string, unknown> | undefined) },
    targets: { ...shipped, ...(targets as Record<string, unknown> | undefined) },
  });
}

/** BullMQ keys of this run (Redis runs without persistence, but a long-lived server would keep them). */
async function deleteQueueKeys(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [nextCursor, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = nextCursor;
      if (keys.length > 0) await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
