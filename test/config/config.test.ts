import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configSchema, loadConfigFile } from '../../src/config/config-file.js';
import { checkRunbookPolicies } from '../../src/escalation/check-policies.js';
import { parseRunbook } from '../../src/runbooks/parse-runbook.js';
import { loadEnv } from '../../src/config/env.js';

const minimal = { DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/x', SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' };

async function configFile(text: string): Promise<string> {
  const file = path.join(await mkdtemp(path.join(tmpdir(), 'config-')), 'incident-bot.yml');
  await writeFile(file, text);
  return file;
}

describe('environment', () => {
  it('applies the documented defaults', () => {
    expect(loadEnv(minimal)).toMatchObject({ REDIS_URL: 'redis://127.0.0.1:6379', PORT: 3000, HOST: '0.0.0.0', SLACK_API_URL: 'https://slack.com/api/', RUNBOOKS_DIR: './runbooks', CONFIG_FILE: './incident-bot.yml', LOG_LEVEL: 'info', ROLE: 'all', ACTION_CONCURRENCY: 16, SLACK_CONCURRENCY: 8 });
  });

  it('takes worker concurrency from the environment, refusing zero', () => {
    expect(loadEnv({ ...minimal, ACTION_CONCURRENCY: '32', SLACK_CONCURRENCY: '4' })).toMatchObject({ ACTION_CONCURRENCY: 32, SLACK_CONCURRENCY: 4 });
    expect(() => loadEnv({ ...minimal, ACTION_CONCURRENCY: '0' })).toThrow(/ACTION_CONCURRENCY/);
  });

  it('names every missing or invalid variable and what is expected', () => {
    expect(() => loadEnv({ NODE_ENV: 'production', SLACK_BOT_TOKEN: 'xoxp-user-token', PORT: 'eighty' })).toThrow(
      expect.objectContaining({
        message: expect.stringMatching(/DATABASE_URL is required[\s\S]*PORT[\s\S]*SLACK_BOT_TOKEN must be a bot token starting with xoxb-[\s\S]*SLACK_SIGNING_SECRET is required unless Socket Mode/),
      }),
    );
  });

  it('runs the sandbox when no Slack token is set, outside production, on a local database by default', () => {
    const env = loadEnv({});
    expect(env).toMatchObject({ SLACK_MODE: 'sandbox', DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/incident_bot', SANDBOX_ALLOW_REMOTE: false });
    expect(env.SLACK_SIGNING_SECRET).toMatch(/^[0-9a-f]{48}$/);
    expect(loadEnv({ ...minimal }).SLACK_MODE).toBe('slack');
    expect(loadEnv({ ...minimal, SLACK_MODE: 'sandbox', SANDBOX_ALLOW_REMOTE: 'true' })).toMatchObject({ SLACK_MODE: 'sandbox', SANDBOX_ALLOW_REMOTE: true });
  });

  it('in production, a missing token is an error unless SLACK_MODE=sandbox is explicit', () => {
    expect(() => loadEnv({ NODE_ENV: 'production', DATABASE_URL: minimal.DATABASE_URL })).toThrow(/SLACK_MODE[\s\S]*SLACK_MODE=sandbox/);
    expect(() => loadEnv({ NODE_ENV: 'production', SLACK_MODE: 'sandbox' })).toThrow(/DATABASE_URL is required with NODE_ENV=production/);
    expect(loadEnv({ NODE_ENV: 'production', SLACK_MODE: 'sandbox', DATABASE_URL: minimal.DATABASE_URL }).SLACK_MODE).toBe('sandbox');
    expect(() => loadEnv({ SLACK_MODE: 'slack', DATABASE_URL: minimal.DATABASE_URL })).toThrow(/SLACK_BOT_TOKEN is required/);
  });

  it('needs no signing secret in Socket Mode, but a proper app token', () => {
    expect(loadEnv({ ...minimal, SLACK_SIGNING_SECRET: undefined, SLACK_APP_TOKEN: 'xapp-1-A' }).SLACK_APP_TOKEN).toBe('xapp-1-A');
    expect(() => loadEnv({ ...minimal, SLACK_APP_TOKEN: 'xoxb-wrong' })).toThrow(/SLACK_APP_TOKEN must be an app-level token/);
  });
});

describe('config file', () => {
  it('is optional: a missing file means defaults', async () => {
    const config = await loadConfigFile('/nonexistent/incident-bot.yml');
    expect(config.incidents).toMatchObject({ channel_prefix: 'inc', grouping_window: 300_000, reopen_window: 3_600_000, auto_resolve: true });
    expect(config.reviews.due_after).toBe(48 * 3_600_000);
  });

  it('takes ${VAR} from the environment and refuses a variable that is not set', async () => {
    const file = await configFile('targets:\n  api: { type: http, url: "http://api:8080", headers: { Authorization: "Bearer ${OPS_TOKEN}" } }\n');
    const config = await loadConfigFile(file, { OPS_TOKEN: 'abc' });
    expect(config.targets.api).toMatchObject({ headers: { Authorization: 'Bearer abc' } });
    await expect(loadConfigFile(file, {})).rejects.toThrow(`${file}: targets.api.headers.Authorization: uses \${OPS_TOKEN}, but the environment variable OPS_TOKEN is not set`);
  });

  it('says what a number variable expects instead of "received NaN"', () => {
    const error = (() => {
      try {
        loadEnv({ WORKER_LOCK_MS: '5s', SLACK_CONCURRENCY: 'many' });
      } catch (caught) {
        return caught as Error;
      }
      return undefined;
    })();
    expect(error?.message).toContain('WORKER_LOCK_MS must be a whole number of milliseconds, such as 6000 (not a duration such as 6s)');
    expect(error?.message).toContain('SLACK_CONCURRENCY must be a whole number from 1 to 64');
    expect(error?.message).not.toContain('NaN');
  });

  it('names every variable that is not set at once, not one start at a time', async () => {
    const example = path.resolve(import.meta.dirname, '../../incident-bot.example.yml');
    const error = await loadConfigFile(example, {}).then(() => undefined, (caught: unknown) => caught as Error);
    const missing = [...(error?.message ?? '').matchAll(/the environment variable (\w+) is not set/g)].map((match) => match[1]);
    expect(new Set(missing).size).toBeGreaterThanOrEqual(3);
    expect(error?.message).toContain(`${missing.length} environment variables are not set`);
  });

  it('names the file, path and reason for an invalid value', async () => {
    const file = await configFile('incidents:\n  grouping_window: soon\nescalation:\n  default:\n    levels:\n      - { level: L2, notify: [U1AB], ack_timeout: 5m }\n');
    const error = await loadConfigFile(file).then(() => undefined, (caught: unknown) => caught as Error);
    expect(error?.message).toContain(file);
    expect(error?.message).toContain('incidents.grouping_window: "soon" is not a positive duration');
    expect(error?.message).toContain('escalation.default.levels.0.level: levels must be L1, L2, L3 in order');
  });

  it('defaults the update cadence and the roles, and takes them from the file', async () => {
    const defaults = await loadConfigFile('/nonexistent/incident-bot.yml');
    expect(defaults.updates.remind_every).toEqual({ critical: 1_800_000, major: 3_600_000, minor: 14_400_000 });
    expect(Object.keys(defaults.roles)).toEqual(['commander', 'comms', 'scribe']);
    const file = await configFile('updates:\n  remind_every: { critical: 15m }\nroles:\n  commander: Runs it.\n  liaison: Talks to the customer.\n');
    const config = await loadConfigFile(file);
    expect(config.updates.remind_every).toEqual({ critical: 900_000 });
    expect(config.roles).toEqual({ commander: 'Runs it.', liaison: 'Talks to the customer.' });
    const bad = await configFile('updates:\n  remind_every: { critical: often }\nroles:\n  Big Boss: Shouts.\n');
    const error = await loadConfigFile(bad).then(() => undefined, (caught: unknown) => caught as Error);
    expect(error?.message).toContain('updates.remind_every.critical: "often" is not a positive duration');
    expect(error?.message).toContain('roles.Big Boss: role names use lowercase letters');
  });

  it('refuses invalid YAML with the reason', async () => {
    const file = await configFile('incidents: [unclosed\n');
    await expect(loadConfigFile(file)).rejects.toThrow(/invalid YAML/);
  });

  it('accepts the example shipped with the project', async () => {
    const example = path.resolve(import.meta.dirname, '../../incident-bot.example.yml');
    const env = { OPS_API_TOKEN: 'ops-token', APP_DATABASE_URL: 'postgresql://app@db:5432/app', APP_REDIS_URL: 'redis://cache:6379' };
    const config = await loadConfigFile(example, env);
    expect(Object.keys(config.escalation)).toContain('default');
  });

  it.each([
    ['an unknown level', '      - { level: L4, notify: [U1AB], ack_timeout: 5m }\n', 'escalation.default.levels.0.level: must be L1, L2 or L3'],
    ['levels out of order', '      - { level: L1, notify: [U1AB], ack_timeout: 5m }\n      - { level: L3, notify: [U2AB] }\n', 'escalation.default.levels.1.level: levels must be L1, L2, L3 in order: expected L2, found L3'],
    ['a negative duration', '      - { level: L1, notify: [U1AB], ack_timeout: -5m }\n      - { level: L2, notify: [U2AB] }\n', 'escalation.default.levels.0.ack_timeout: "-5m" is not a positive duration'],
    ['a level with nobody to notify', '      - { level: L1, notify: [], ack_timeout: 5m }\n', 'escalation.default.levels.0.notify: a level needs at least one person or group to notify'],
    ['a wait missing before the next level', '      - { level: L1, notify: [U1AB] }\n      - { level: L2, notify: [U2AB] }\n', 'escalation.default.levels.0.ack_timeout: is required on every level but the last'],
    ['something that is not a Slack user or group', '      - { level: L1, notify: [alice@example.com], ack_timeout: 5m }\n', 'must be a Slack user ID (U…, W…) or user group ID (S…)'],
  ])('refuses an escalation policy with %s', async (_name, levels, reason) => {
    const file = await configFile(`escalation:\n  default:\n    levels:\n${levels}`);
    const error = await loadConfigFile(file).then(() => undefined, (caught: unknown) => caught as Error);
    expect(error?.message).toContain(file);
    expect(error?.message).toContain(reason);
  });

  it('refuses a runbook that names a policy the config file does not define', () => {
    const runbook = parseRunbook('runbooks/payments.md', '---\nid: payments\ntitle: Payments\nescalation: payments-team\nmatch:\n  - service: payments\n---\n## Symptoms\nx\n');
    expect(() => checkRunbookPolicies([runbook], configSchema.parse({ escalation: { default: { levels: [{ level: 'L1', notify: ['U1AB'] }] } } }))).toThrow(
      'runbooks/payments.md: escalation policy "payments-team" is not defined in the config file\'s escalation section (defined: default)',
    );
    expect(checkRunbookPolicies([], configSchema.parse({}))).toEqual([expect.stringContaining('no escalation policy named "default"')]);
  });
});
