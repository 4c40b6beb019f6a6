import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import pg from 'pg';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { startBot, type RunningBot } from '../../src/app/start-bot.js';
import { configSchema } from '../../src/config/config-file.js';
import { interpolateEnv } from '../../src/config/interpolate-env.js';
import { loadEnv } from '../../src/config/env.js';
import { createLogger } from '../../src/log.js';
import { startBuiltBot } from './built-bot.js';
import { startFakeSlack, type CallRecord, type FakeSlack, type FakeSlackOptions } from '../../test/support/fake-slack/index.js';

export const ADMIN_PG_URL = process.env.BENCH_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const RUNBOOKS_DIR = path.resolve(import.meta.dirname, '../../runbooks');
/** The shipped config file: its targets (with their fallback URLs) are what the runbooks' actions name. */
export const SHIPPED_CONFIG = path.resolve(import.meta.dirname, '../../incident-bot.yml');

export type Role = 'all' | 'api' | 'worker';

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

/** What every bench bot has around it: its own database and queue prefix, and the fake Slack. */
interface BenchGround {
  database: string;
  queuePrefix: string;
  slack: FakeSlack;
  listeners: Set<SlackCallListener>;
  /** Steps run once, in reverse order of setup, however many callers (the run itself, a SIGINT) ask. */
  cleanups: (() => Promise<unknown>)[];
  cleanup(): Promise<void>;
}

async function prepareGround(slackOptions?: FakeSlackOptions): Promise<BenchGround> {
  const database = `incident_bot_bench_${randomBytes(5).toString('hex')}`;
  const queuePrefix = `bench-${randomBytes(4).toString('hex')}`;
  await admin(`CREATE DATABASE "${database}"`);
  const cleanups: (() => Promise<unknown>)[] = [];
  let cleaning: Promise<void> | undefined;
  const cleanup = () =>
    (cleaning ??= (async () => {
      for (const step of [...cleanups].reverse()) await step().catch((error: unknown) => console.error('bench cleanup:', error));
    })());
  cleanups.push(() => admin(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`));
  cleanups.push(() => deleteQueueKeys(queuePrefix));
  try {
    const slack = await startFakeSlack(slackOptions);
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
    return { database, queuePrefix, slack, listeners, cleanups, cleanup };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

/** The bot's environment for a bench ground (loadEnv parses it in process; a child gets it as is). */
function benchEnv(ground: BenchGround, options: BenchBotOptions, port: string): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl(ground.database),
    REDIS_URL,
    PORT: port,
    HOST: '127.0.0.1',
    SLACK_BOT_TOKEN: 'xoxb-test-token',
    SLACK_SIGNING_SECRET: BENCH_SIGNING_SECRET,
    SLACK_API_URL: ground.slack.url,
    RUNBOOKS_DIR: options.runbooksDir ?? RUNBOOKS_DIR,
    LOG_LEVEL: options.logLevel ?? 'warn',
    ROLE: options.role,
    QUEUE_PREFIX: ground.queuePrefix,
  };
}

/** The parts of a bench bot that read Postgres and watch the fake Slack, however the bot runs. */
async function observe(ground: BenchGround): Promise<Omit<BenchBot, 'role' | 'url' | 'bot'>> {
  const probe = new pg.Client({ connectionString: databaseUrl(ground.database) });
  await probe.connect();
  ground.cleanups.push(() => probe.end());
  const count = async (sql: string) => Number((await probe.query<{ n: string }>(sql)).rows[0]?.n ?? 0);
  return {
    slack: ground.slack,
    database: ground.database,
    queuePrefix: ground.queuePrefix,
    onSlackCall(listener) {
      ground.listeners.add(listener);
      return () => ground.listeners.delete(listener);
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
    stop: () => ground.cleanup(),
  };
}

/**
 * Starts the whole bot as `main.ts` would (startBot migrates a fresh database), against real
 * Postgres and Redis and the project's fake Slack. `role: 'api'` starts the HTTP intake only,
 * so no worker competes with it for CPU or database connections.
 */
export async function startBenchBot(options: BenchBotOptions): Promise<BenchBot> {
  const ground = await prepareGround(options.slackOptions);
  try {
    const env = loadEnv(benchEnv(ground, options, '0'));
    const bot = await startBot({
      env,
      // Warnings and errors go to stderr so they cannot garble the result table.
      log: createLogger(env.LOG_LEVEL, process.stderr),
      // As the tests do: the shipped targets, everything else default (no escalation policies)
      // unless the caller gives config sections (its targets are added to the shipped ones).
      config: await benchConfig(options.config),
      queuePrefix: ground.queuePrefix,
      relayIntervalMs: options.relayIntervalMs ?? 5_000,
    });
    let stopped = false;
    ground.cleanups.push(async () => {
      if (!stopped) await bot.stop();
      stopped = true;
    });
    if (!bot.url) throw new Error('the bot has no HTTP listener');
    return { role: options.role, url: bot.url, bot, ...(await observe(ground)) };
  } catch (error) {
    await ground.cleanup();
    throw error;
  }
}

/** A bench bot in a process of its own, for figures of that process alone (its memory). */
export interface BenchBotProcess extends Omit<BenchBot, 'bot'> {
  pid: number;
  /** The process's resident set now and its high-water mark, from /proc (bytes). */
  memory(): Promise<{ rss: number; peakRss: number }>;
}

/**
 * Starts the bot as `npm start` does (node dist/src/main.js, built by `npm run build`), with the
 * bench's database, queue prefix and fake Slack, and a config file of the same sections as
 * startBenchBot's. Its log (warnings and errors) goes to the bench's stderr.
 */
export async function startBenchBotProcess(options: Omit<BenchBotOptions, 'relayIntervalMs'> & { workers?: number }): Promise<BenchBotProcess> {
  const ground = await prepareGround(options.slackOptions);
  try {
    const dir = await mkdtemp(path.join(tmpdir(), 'bench-bot-'));
    ground.cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const configFile = path.join(dir, 'incident-bot.yml');
    await writeFile(configFile, JSON.stringify(await rawBenchConfig(options.config)));
    const start = (role: Role, readyPath?: string) =>
      startBuiltBot({
        cwd: path.dirname(SHIPPED_CONFIG),
        env: (port) => ({ PATH: process.env.PATH ?? '', NODE_ENV: 'production', CONFIG_FILE: configFile, ...benchEnv(ground, { ...options, role }, String(port)) }),
        ...(readyPath ? { readyPath } : {}),
      });
    const bot = await start(options.role, '/health');
    ground.cleanups.push(() => bot.stop());
    // Worker processes of the same deployment beside it (ROLE=worker: no HTTP listener).
    for (let i = 0; i < (options.workers ?? 0); i++) {
      const worker = await start('worker');
      ground.cleanups.push(() => worker.stop());
    }
    return { role: options.role, url: bot.url, pid: bot.pid, memory: () => processMemory(bot.pid), ...(await observe(ground)) };
  } catch (error) {
    await ground.cleanup();
    throw error;
  }
}

/** VmRSS and VmHWM of a process, from /proc/<pid>/status (Linux). */
async function processMemory(pid: number): Promise<{ rss: number; peakRss: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN) * 1024;
  return { rss: kb('VmRSS'), peakRss: kb('VmHWM') };
}

/**
 * The config sections of a bench bot, as a config file holds them: the shipped targets with the
 * caller's sections over them (`targets` merge by name). Grouping by service and storm mode are
 * off unless asked for: these benchmarks open many alert groups of one service on purpose, and
 * measure each one's own incident.
 */
async function rawBenchConfig(overrides: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const shipped = z.object({ targets: z.record(z.string(), z.unknown()).optional() }).parse(parseYaml(await readFile(SHIPPED_CONFIG, 'utf8')));
  const { targets, incidents, ...rest } = overrides;
  return {
    ...rest,
    incidents: { group_by: [], storm_threshold: 0, ...(incidents as Record<string, unknown> | undefined) },
    targets: { ...shipped.targets, ...(targets as Record<string, unknown> | undefined) },
  };
}

/** The bench config parsed as the bot parses its file (with no environment: the targets' fallbacks). */
async function benchConfig(overrides: Record<string, unknown> = {}) {
  const raw = interpolateEnv(await rawBenchConfig(overrides), {}, (problems) => new Error(`bench config: ${problems.join('; ')}`));
  return configSchema.parse(raw);
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
