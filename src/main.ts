import { startBot } from './app/start-bot.js';
import { describeStartFailure } from './app/start-failure.js';
import { warnOfOpenRoutes } from './app/warn-of-open-routes.js';
import { ConfigError } from './config/config-error.js';
import { loadEnv } from './config/env.js';
import { MigrationError } from './db/migrate.js';
import { createLogger } from './log.js';

const SHUTDOWN_GRACE_MS = 25_000;

async function main(): Promise<void> {
  let env;
  try {
    env = loadEnv();
  } catch (error) {
    console.error(`incident-bot cannot start: ${(error as Error).message}`);
    process.exit(1);
  }
  const log = createLogger(env.LOG_LEVEL);
  let bot;
  warnOfOpenRoutes(env, log);
  try {
    bot = await startBot({ env, log, defaultMetrics: true });
  } catch (error) {
    const reason = describeStartFailure(error, env);
    // The stack helps only when the failure is not one of the known kinds.
    if (error instanceof ConfigError || error instanceof MigrationError) log.fatal(`cannot start: ${reason}`);
    else log.fatal({ err: error }, `cannot start: ${reason}`);
    console.error(`incident-bot cannot start: ${reason}`);
    process.exit(1);
  }
  if (bot.deps.env.SLACK_MODE === 'sandbox' && bot.url) printSandboxBanner(`${bot.url}/sandbox`);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: no new requests, finishing in-flight work');
    setTimeout(() => {
      log.error('shutdown took too long; exiting');
      process.exit(1);
    }, SHUTDOWN_GRACE_MS).unref();
    bot.stop().then(
      () => {
        log.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

/** Said loudly, on the terminal and not only in the JSON log: this is not talking to Slack. */
function printSandboxBanner(url: string): void {
  const lines = ['Slack is not configured (no SLACK_BOT_TOKEN): running the local Slack SANDBOX.', `Open ${url} to try the bot. Not for production.`];
  const width = Math.max(...lines.map((line) => line.length));
  const rule = `+${'-'.repeat(width + 2)}+`;
  console.error(['', rule, ...lines.map((line) => `| ${line.padEnd(width)} |`), rule, ''].join('\n'));
}

void main();
