import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../src/config/config-file.js';
import { loadRunbooks } from '../../src/runbooks/load-runbooks.js';
import { alertmanagerPayload, dbAlert } from '../support/alertmanager.js';
import { buttonsOf } from '../support/slack-interactions.js';
import { RUNBOOKS_DIR, SHIPPED_CONFIG, startTestBot, type TestBot } from '../support/test-bot.js';
import { waitFor } from '../support/wait-for.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

describe('a config file that defines only some of the shipped runbooks\' targets', () => {
  let bot: TestBot;
  beforeAll(async () => {
    const shipped = await loadConfigFile(SHIPPED_CONFIG, {});
    // An operator who has wired only their database.
    bot = await startTestBot({ config: { targets: { 'app-db': shipped.targets['app-db'] } } });
  });
  afterAll(async () => {
    await bot.stop();
  });

  it('starts, warns once naming the actions left out and their targets', () => {
    const warnings = bot.logs.filter((line) => line.includes('left out because the config file does not define'));
    expect(warnings).toHaveLength(1);
    const warning = JSON.parse(warnings[0] ?? '{}') as { level: string; msg: string; unwired: { runbookId: string; actionId: string; target: string }[] };
    expect(warning.level).toBe('warn');
    expect(warning.msg).toContain('targets api, cache, metrics, ops, queue-redis');
    expect(warning.msg).toMatch(/metrics \(\d+ actions in [a-z-, ]*db-connection-failures/);
    // Each action left out is named in the line's fields.
    expect(warning.unwired).toContainEqual({ runbookId: 'db-connection-failures', actionId: 'pause-jobs', target: 'ops' });
    expect(warning.unwired.every((action) => action.target !== 'app-db')).toBe(true);
  });

  it('shows the runbook of an alert and only the buttons of actions whose targets exist', async () => {
    const response = await bot.post('/webhooks/alertmanager', alertmanagerPayload({ alerts: [dbAlert()] }));
    expect(response.status).toBe(200);
    const incident = await waitFor(() => bot.db.incident.findFirst({ where: { messageTs: { not: null } } }), { what: 'incident message' });
    const shippedRunbook = (await loadRunbooks(RUNBOOKS_DIR)).find((candidate) => candidate.id === incident.runbookId);
    const wired = shippedRunbook?.actions.filter((action) => action.target === 'app-db') ?? [];
    expect(wired.length).toBeGreaterThan(0);
    expect(wired.length).toBeLessThan(shippedRunbook?.actions.length ?? 0);
    const [message] = bot.slack.messagesIn(incident.channelId ?? '');
    const buttons = buttonsOf(message?.blocks).map((button) => button.action_id).filter((id) => id.startsWith('run-action:'));
    expect(buttons).toEqual(wired.map((action) => `run-action:${action.id}`));
    const text = JSON.stringify(message?.blocks);
    expect(text).toContain('Symptoms');
  });
});

describe('npm run runbooks:check with a partial config file', () => {
  const run = async (args: string[], env: Record<string, string>) =>
    promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/app/check-runbooks-cli.ts', ...args], { cwd: ROOT, env: { ...process.env, ...env } }).then(
      ({ stdout }) => ({ code: 0, stdout }),
      (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: `${error.stdout}${error.stderr}` }),
    );

  it('lists the actions left out, and fails only with --strict', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'partial-config-'));
    const configFile = path.join(dir, 'incident-bot.yml');
    await writeFile(configFile, 'targets:\n  app-db: { type: postgres, url: "postgresql://127.0.0.1:5432/app" }\n');
    const lenient = await run([], { CONFIG_FILE: configFile, RUNBOOKS_DIR });
    expect(lenient.code).toBe(0);
    expect(lenient.stdout).toMatch(/left out {2}runbooks\/db-connection-failures\.md {2}action "[a-z0-9-]+": target "metrics" is not defined/);
    expect(lenient.stdout).toContain('runbooks valid');
    const strict = await run(['--strict'], { CONFIG_FILE: configFile, RUNBOOKS_DIR });
    expect(strict.code).toBe(1);
    expect(strict.stdout).toMatch(/error {2}runbooks\/.*target "ops" is not defined/);
  });
});
