import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertmanagerPayload, dbAlert } from '../support/alertmanager.js';
import { createTestDatabase } from '../support/databases.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack/index.js';
import { BOT_TOKEN, REDIS_URL, RUNBOOKS_DIR, SIGNING_SECRET } from '../support/test-bot.js';
import { waitFor } from '../support/wait-for.js';
import { freePort } from '../support/free-port.js';

const ROOT = path.resolve(import.meta.dirname, '../..');


interface Run {
  child: ChildProcess;
  stdout: string;
  stderr: string;
  exited: Promise<number | null>;
}

/** Runs the bot as operators do (src/main.ts), with exactly the environment given. */
function runBot(env: Record<string, string>): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const run: Run = { child, stdout: '', stderr: '', exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))) };
  child.stdout?.on('data', (chunk: Buffer) => (run.stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (run.stderr += chunk.toString()));
  return run;
}

describe('starting and stopping the bot process', () => {
  let slack: FakeSlack;
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    slack = await startFakeSlack();
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await slack.close();
    await database.drop();
  });

  const baseEnv = () => ({
    DATABASE_URL: database.url,
    REDIS_URL,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.url,
    RUNBOOKS_DIR,
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
  });

  it('in production, refuses to start without DATABASE_URL, naming the variable and what is expected', async () => {
    const run = runBot({ NODE_ENV: 'production', SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET });
    expect(await run.exited).toBe(1);
    expect(run.stderr).toContain('DATABASE_URL is required with NODE_ENV=production: a Postgres connection string');
  });

  it('in production, refuses to start without a Slack token unless the sandbox is asked for', async () => {
    const run = runBot({ NODE_ENV: 'production', DATABASE_URL: database.url });
    expect(await run.exited).toBe(1);
    expect(run.stderr).toContain('set SLACK_MODE=sandbox, or set SLACK_BOT_TOKEN');
  });

  it('without a Slack token, starts the sandbox and says so loudly, creating its database when missing', async () => {
    const name = `incident_bot_sandbox_${Date.now().toString(36)}`;
    const url = new URL(database.url);
    url.pathname = `/${name}`;
    const port = await freePort();
    const run = runBot({ DATABASE_URL: url.toString(), REDIS_URL, RUNBOOKS_DIR, HOST: '127.0.0.1', PORT: String(port), QUEUE_PREFIX: name, LOG_LEVEL: 'warn' });
    try {
      await waitFor(() => run.stderr.includes('running the local Slack SANDBOX'), { timeoutMs: 20_000, what: 'the sandbox banner' });
      expect(run.stderr).toContain(`Open http://127.0.0.1:${port}/sandbox to try the bot`);
      expect((await fetch(`http://127.0.0.1:${port}/sandbox`)).status).toBe(200);
    } finally {
      run.child.kill('SIGTERM');
      expect(await run.exited).toBe(0);
      const admin = new URL(database.url);
      admin.pathname = '/postgres';
      const client = new pg.Client({ connectionString: admin.toString() });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    }
  });

  it('refuses to start with a broken runbook, naming the file and the reason', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'runbooks-'));
    await writeFile(path.join(dir, 'broken.md'), '---\nid: broken\ntitle: Broken\nseverity: critical\n---\n## Symptoms\nx\n');
    const run = runBot({ ...baseEnv(), PORT: '0', RUNBOOKS_DIR: dir });
    expect(await run.exited).toBe(1);
    expect(run.stderr).toContain(path.join(dir, 'broken.md'));
    expect(run.stderr).toContain('a runbook needs match rules');
  });

  it('names a missing database with the createdb command that creates it', async () => {
    const missing = database.url.replace(/\/([^/?]+)(\?|$)/, '/no_such_db_$1$2');
    // In production the bot does not create a missing database: it says how to.
    const run = runBot({ ...baseEnv(), PORT: '0', DATABASE_URL: missing, NODE_ENV: 'production' });
    expect(await run.exited).toBe(1);
    const name = new URL(missing).pathname.slice(1);
    expect(run.stderr.trim()).toBe(`incident-bot cannot start: database "${name}" does not exist on ${new URL(missing).hostname}:${new URL(missing).port || '5432'}: create it (createdb -h ${new URL(missing).hostname} -p ${new URL(missing).port || '5432'} -U ${new URL(missing).username || 'postgres'} ${name}) or point DATABASE_URL at an existing database`);
  });

  it('says plainly when Postgres refuses the connection', async () => {
    const port = await freePort();
    const run = runBot({ ...baseEnv(), PORT: '0', DATABASE_URL: `postgresql://postgres@127.0.0.1:${port}/incident_bot` });
    expect(await run.exited).toBe(1);
    expect(run.stderr.trim()).toBe(`incident-bot cannot start: cannot reach Postgres at 127.0.0.1:${port} (connection refused): is it running, and is DATABASE_URL right?`);
    expect(run.stdout).toContain('"level":"fatal"');
  });

  it('warns once in production that the Alertmanager route is open without ALERTMANAGER_TOKEN', async () => {
    const port = await freePort();
    const run = runBot({ ...baseEnv(), PORT: String(port), NODE_ENV: 'production' });
    await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/health`)).status === 200, { what: 'bot listening', timeoutMs: 30_000 });
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(run.stdout.match(/ALERTMANAGER_TOKEN is not set/g)).toHaveLength(1);
  });

  it('serves, then on SIGTERM finishes in-flight work and exits 0', async () => {
    const port = await freePort();
    const run = runBot({ ...baseEnv(), PORT: String(port), ROLE: 'all' });
    const url = `http://127.0.0.1:${port}`;
    await waitFor(async () => (await fetch(`${url}/health`)).status === 200, { what: 'bot listening', timeoutMs: 30_000 });
    const response = await fetch(`${url}/webhooks/alertmanager`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(alertmanagerPayload({ alerts: [dbAlert()] })) });
    expect(response.status).toBe(200);
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(run.stdout).toContain('shutting down');
    expect(run.stdout).toContain('"msg":"stopped"');
    // After shutdown, nothing listens any more.
    await expect(fetch(`${url}/health`)).rejects.toThrow();
    expect(run.stdout).not.toContain(SIGNING_SECRET);
    expect(run.stdout).not.toContain(BOT_TOKEN);
  });
});
