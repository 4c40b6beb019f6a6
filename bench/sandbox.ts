/**
 * Sandbox benchmark: what someone trying the bot waits for.
 *
 * 1. Start: from starting the bot the way `npm start` does (node dist/src/main.js, no Slack token,
 *    a database that does not exist yet) to GET /sandbox answering 200. Run `npm run build` first
 *    (npm start's prestart does); the build is not timed.
 * 2. Alert: in headless Chromium on the page, from clicking *Fire a sample alert* to the incident
 *    message rendered (the runbook's title in the new channel), for several shipped runbooks.
 *
 *   npm run build && npm run bench:sandbox [-- --alerts 5]
 *
 * Aims (printed, never enforced): start under 10 s, alert under 1 s.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { launchChromium } from '../test/support/sandbox-bot.js';
import { startBuiltBot } from './support/built-bot.js';
import { positiveInt } from './support/cli-options.js';
import { ms, summarize } from './support/stats.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const ADMIN_URL = process.env.BENCH_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const RUNBOOKS = ['http-5xx-surge', 'db-connection-failures', 'redis-unavailable', 'job-queue-backlog', 'slow-database', 'stale-cache', 'deploy-regression'];

const { values: args } = parseArgs({ options: { alerts: { type: 'string', default: '5' } } });
const alerts = positiveInt('alerts', args.alerts);

async function main(): Promise<void> {
  const database = `bench_sandbox_${randomBytes(4).toString('hex')}`;
  const adminUrl = new URL(ADMIN_URL);
  const databaseUrl = new URL(`/${database}`, adminUrl).toString();
  const bot = await startBuiltBot({
    cwd: ROOT,
    env: (port) => ({ ...process.env, SLACK_BOT_TOKEN: '', SLACK_APP_TOKEN: '', SLACK_MODE: '', NODE_ENV: 'development', DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1', QUEUE_PREFIX: database, LOG_LEVEL: 'warn' }),
    readyPath: '/sandbox',
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const { url, startMs } = bot;

  const chromium = await launchChromium();
  const samples: number[] = [];
  try {
    const page = await chromium.browser.newPage();
    await page.goto(`${url}/sandbox`);
    await page.locator('#channel-name').filter({ hasText: '#general' }).waitFor();
    for (let i = 0; i < alerts; i++) {
      const runbook = RUNBOOKS[i % RUNBOOKS.length] ?? 'http-5xx-surge';
      await page.locator('#runbook').selectOption(runbook);
      // Alerts group by service: each sample gets its own, so each opens a new incident.
      await page.locator('#labels').fill(`service=bench-${i + 1}`);
      const title = (await page.locator('#runbook option:checked').textContent())?.split(' · ')[0] ?? '';
      const before = await page.locator('#channels li').count();
      const clicked = performance.now();
      await page.getByRole('button', { name: 'Fire a sample alert' }).click();
      await page.locator('#channels li').nth(before).waitFor({ timeout: 30_000 });
      await page.locator('#messages .block.header', { hasText: title }).first().waitFor({ timeout: 30_000 });
      samples.push(performance.now() - clicked);
    }
  } finally {
    await chromium.close();
    await bot.stop();
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await admin.end();
  }
  const s = summarize(samples);
  console.log(`sandbox start (process start → GET /sandbox 200, new database): ${ms(startMs)} (aim < 10 s)`);
  console.log(`fire a sample alert → incident message rendered in Chromium, ${s.count} alerts: p50 ${ms(s.p50)}, max ${ms(s.max)} (aim < 1 s)`);
  console.log(`  each, in order (the first includes the bot's first incident after start): ${samples.map((sample) => ms(sample)).join(', ')}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
