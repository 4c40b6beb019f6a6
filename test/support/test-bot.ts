import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { Writable } from 'node:stream';
import { startBot, type RunningBot } from '../../src/app/start-bot.js';
import type { Clock } from '../../src/clock.js';
import { configSchema, loadConfigFile } from '../../src/config/config-file.js';
import { loadEnv } from '../../src/config/env.js';
import { createDb, type Db } from '../../src/db/client.js';
import { createLogger } from '../../src/log.js';
import { createTestDatabase } from './databases.js';
import { startFakeSlack, type FakeSlack } from './fake-slack/index.js';
import { removeRedisKeys } from './redis-keys.js';

export const SIGNING_SECRET = 'test-signing-secret-0123456789abcdef';
export const BOT_TOKEN = 'xoxb-test-token';
/** The suite's own Redis database (index 15), never the default 0; each bot also removes its keys when it stops. */
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/15';
export const RUNBOOKS_DIR = path.resolve(import.meta.dirname, '../../runbooks');
export const SHIPPED_CONFIG = path.resolve(import.meta.dirname, '../../incident-bot.yml');

/**
 * The shipped config file (its targets, with their fallback URLs), with a test's sections on top.
 * Storm mode is off unless a test turns it on: most tests open incidents faster than any real
 * team would, and only the storm tests are about that.
 */
async function testConfig(overrides: Record<string, unknown> = {}) {
  const shipped = await loadConfigFile(SHIPPED_CONFIG, {});
  const incidents = { storm_threshold: 0, ...(overrides.incidents as Record<string, unknown> | undefined) };
  return configSchema.parse({ targets: shipped.targets, ...overrides, incidents });
}

export interface TestBotOptions {
  env?: Record<string, string | undefined>;
  /** Raw config-file content (validated like the YAML file). */
  config?: Record<string, unknown>;
  /** Reuse a database and queue prefix: a second process of the same deployment, or a restart. */
  shareWith?: TestBot;
  slack?: FakeSlack;
  relayIntervalMs?: number;
  /** The bot's clock (the system clock when absent); a restart keeps it. */
  clock?: Clock;
  /** How often a refused token or an unreachable Slack is checked again. */
  slackRecheckMs?: number;
}

export interface TestBot {
  bot: RunningBot;
  url: string;
  slack: FakeSlack;
  db: Db;
  databaseUrl: string;
  queuePrefix: string;
  logs: string[];
  /** Stops the bot; the last bot of a database also drops it and closes the fake Slack. */
  stop(): Promise<void>;
  /** Stops the bot process and starts it again on the same database, queues and Slack. */
  restart(): Promise<void>;
  post(pathname: string, body: string | object, headers?: Record<string, string>): Promise<{ status: number; json: unknown; headers: Headers }>;
}

/** Starts a whole bot (api + worker) against real Postgres and Redis and a fake Slack. */
export async function startTestBot(options: TestBotOptions = {}): Promise<TestBot> {
  const shared = options.shareWith;
  const given = options.env?.DATABASE_URL ?? shared?.databaseUrl;
  const database = given ? undefined : await createTestDatabase();
  const databaseUrl = given ?? (database?.url as string);
  const slack = options.slack ?? shared?.slack ?? (await startFakeSlack());
  const queuePrefix = shared?.queuePrefix ?? `test-${randomBytes(4).toString('hex')}`;
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(chunk.toString());
      done();
    },
  });
  const env = loadEnv({
    DATABASE_URL: databaseUrl,
    REDIS_URL,
    PORT: '0',
    HOST: '127.0.0.1',
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.url,
    RUNBOOKS_DIR,
    LOG_LEVEL: 'debug',
    ...options.env,
  });
  const config = await testConfig(options.config);
  const launch = () => startBot({ env, log: createLogger(env.LOG_LEVEL, sink), config, queuePrefix, relayIntervalMs: options.relayIntervalMs ?? 500, slackRetries: 3, ...(options.slackRecheckMs ? { slackRecheckMs: options.slackRecheckMs } : {}), ...(options.clock ? { clock: options.clock } : {}) });
  const db = createDb(databaseUrl, 3);
  const testBot: TestBot = {
    bot: await launch(),
    url: '',
    slack,
    db,
    databaseUrl,
    queuePrefix,
    logs,
    async restart() {
      await testBot.bot.stop();
      testBot.bot = await launch();
      testBot.url = testBot.bot.url ?? '';
    },
    async stop() {
      await testBot.bot.stop();
      await db.$disconnect();
      await database?.drop();
      if (!shared) {
        if (!options.slack) await slack.close();
        await removeRedisKeys(REDIS_URL, queuePrefix);
      }
    },
    async post(pathname, body, headers = {}) {
      const response = await fetch(`${testBot.url}${pathname}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await response.text();
      let json: unknown = text;
      try {
        json = JSON.parse(text);
      } catch {
        // not JSON: keep the text
      }
      return { status: response.status, json, headers: response.headers };
    },
  };
  testBot.url = testBot.bot.url ?? '';
  return testBot;
}
