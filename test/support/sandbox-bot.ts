import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { chromium, type BrowserContext } from 'playwright-core';
import { startBot, type RunningBot } from '../../src/app/start-bot.js';
import { configSchema, loadConfigFile } from '../../src/config/config-file.js';
import { loadEnv } from '../../src/config/env.js';
import { createLogger } from '../../src/log.js';
import { createTestDatabase } from './databases.js';
import { removeRedisKeys } from './redis-keys.js';
import { REDIS_URL, RUNBOOKS_DIR, SHIPPED_CONFIG } from './test-bot.js';

export interface SandboxBot {
  bot: RunningBot;
  url: string;
  logs: string[];
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A bot in sandbox mode (no Slack token) on its own database and queue prefix, with the shipped
 * config's targets; `config` adds sections of the config file (responders, escalation, schedules…).
 */
export async function startSandboxBot(options: { targets?: Record<string, unknown>; env?: Record<string, string>; config?: Record<string, unknown> } = {}): Promise<SandboxBot> {
  const database = await createTestDatabase();
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(chunk.toString());
      done();
    },
  });
  const env = loadEnv({ DATABASE_URL: database.url, REDIS_URL, PORT: '0', HOST: '127.0.0.1', RUNBOOKS_DIR, LOG_LEVEL: 'debug', ...options.env });
  const shipped = await loadConfigFile(SHIPPED_CONFIG, {});
  const config = configSchema.parse({ incidents: { storm_threshold: 0 }, ...options.config, targets: { ...shipped.targets, ...options.targets } });
  const queuePrefix = `sandbox-${randomBytes(4).toString('hex')}`;
  const launch = () => startBot({ env, log: createLogger(env.LOG_LEVEL, sink), config, queuePrefix, relayIntervalMs: 500, slackRetries: 1 });
  const handle: SandboxBot = {
    bot: await launch(),
    url: '',
    logs,
    async restart() {
      await handle.bot.stop();
      handle.bot = await launch();
      handle.url = handle.bot.url ?? '';
    },
    async stop() {
      await handle.bot.stop();
      await database.drop();
      await removeRedisKeys(REDIS_URL, queuePrefix);
    },
  };
  handle.url = handle.bot.url ?? '';
  return handle;
}

/** Debian's headless Chromium, driven by playwright-core, with a profile of its own. */
export async function launchChromium(viewport = { width: 1280, height: 800 }): Promise<{ browser: BrowserContext; close(): Promise<void> }> {
  const profile = mkdtempSync(path.join(tmpdir(), 'sandbox-chromium-'));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    viewport,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  return {
    browser,
    close: async () => {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
