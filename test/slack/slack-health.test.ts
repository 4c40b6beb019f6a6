import { afterAll, describe, expect, it } from 'vitest';
import { alertmanagerPayload, dbAlert } from '../support/alertmanager.js';
import { startFakeSlack } from '../support/fake-slack/index.js';
import { freePort } from '../support/free-port.js';
import { BOT_TOKEN, startTestBot, type TestBot } from '../support/test-bot.js';
import { waitFor } from '../support/wait-for.js';

const RECHECK_MS = 300;

type Health = { status: string; dependencies: { database: string; redis: string; slack: string } };

/** /health once Postgres and Redis answer it (a loaded machine may miss a probe's deadline). */
async function health(bot: TestBot): Promise<Health> {
  return waitFor(async () => {
    const body = (await (await fetch(`${bot.url}/health`)).json()) as Health;
    return body.dependencies.database === 'up' && body.dependencies.redis === 'up' ? body : undefined;
  }, { what: '/health with Postgres and Redis up' });
}

async function metric(bot: TestBot, line: string): Promise<number | undefined> {
  const text = await (await fetch(`${bot.url}/metrics`)).text();
  const found = text.split('\n').find((candidate) => candidate.startsWith(`${line} `));
  return found === undefined ? undefined : Number(found.split(' ').pop());
}

const refusalLines = (bot: TestBot) => bot.logs.filter((line) => line.includes('Slack refuses the bot'));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Slack refusing the token', () => {
  const bots: TestBot[] = [];
  afterAll(async () => {
    for (const bot of bots) await bot.stop();
  });

  it('shows at start, holds the work back without a retry loop, and resumes once fixed, without a restart', async () => {
    const slack = await startFakeSlack();
    slack.refuseToken(BOT_TOKEN, 'invalid_auth');
    const bad = Date.now();
    const bot = await startTestBot({ slack, slackRecheckMs: RECHECK_MS });
    bots.push(bot);

    // At once: /health, one log line naming the variable to fix, a metric.
    expect(await health(bot)).toMatchObject({ status: 'degraded', dependencies: { slack: 'unauthorized' } });
    expect(refusalLines(bot)).toHaveLength(1);
    const line = JSON.parse(refusalLines(bot)[0] ?? '{}') as { level: string; msg: string };
    expect(line.level).toBe('error');
    expect(line.msg).toContain('invalid_auth');
    expect(line.msg).toContain('SLACK_BOT_TOKEN');
    expect(await metric(bot, 'incident_bot_slack_refusals_total{error="invalid_auth"}')).toBe(1);
    expect(await metric(bot, 'incident_bot_slack_connection{state="unauthorized"}')).toBe(1);

    // An alert is still accepted; its Slack work waits.
    expect((await bot.post('/webhooks/alertmanager', alertmanagerPayload({ alerts: [dbAlert()] }))).status).toBe(200);
    await waitFor(() => bot.db.incident.findFirst(), { what: 'incident recorded' });
    await sleep(2_000);
    const badMs = Date.now() - bad;
    const callsWhileBad = slack.calls.filter((call) => call.method !== 'auth.test');
    expect(callsWhileBad).toHaveLength(0);
    // Only the slow check of the token: the one at start, then at most one per RECHECK_MS.
    expect(slack.callsTo('auth.test').length).toBeLessThanOrEqual(Math.floor(badMs / RECHECK_MS) + 1);
    expect(refusalLines(bot)).toHaveLength(1);
    expect(bot.logs.filter((entry) => entry.includes('job failed'))).toHaveLength(0);

    // Fixed (the app reinstalled): the pending channel appears and /health is up, no restart.
    slack.acceptToken(BOT_TOKEN);
    const incident = await waitFor(() => bot.db.incident.findFirst({ where: { messageTs: { not: null } } }), { what: 'incident message after the fix', timeoutMs: 10_000 });
    expect(slack.channels.get(incident.channelId ?? '')).toBeDefined();
    expect(await health(bot)).toMatchObject({ status: 'healthy', dependencies: { slack: 'up' } });
    expect(bot.logs.some((entry) => entry.includes('Slack accepts the bot again'))).toBe(true);
  });

  it('holds back work that meets a refusal in flight (a revoked token), counted under the real Slack method', async () => {
    const bot = await startTestBot({ slackRecheckMs: RECHECK_MS });
    bots.push(bot);
    expect(await health(bot)).toMatchObject({ status: 'healthy', dependencies: { slack: 'up' } });
    bot.slack.refuseToken(BOT_TOKEN, 'token_revoked');
    expect((await bot.post('/webhooks/alertmanager', alertmanagerPayload({ alerts: [dbAlert()] }))).status).toBe(200);
    await waitFor(async () => (await health(bot)).dependencies.slack === 'unauthorized', { what: 'slack unauthorized' });
    await sleep(1_500);
    // One call met the refusal; nothing else was sent while it held.
    expect(bot.slack.calls.filter((call) => call.method !== 'auth.test' && !call.ok)).toHaveLength(1);
    expect(await metric(bot, 'incident_bot_slack_api_errors_total{method="conversations.create",error="token_revoked"}')).toBe(1);
    expect(refusalLines(bot)).toHaveLength(1);
    expect(refusalLines(bot)[0]).toContain('reinstall the app');
    bot.slack.acceptToken(BOT_TOKEN);
    await waitFor(() => bot.db.incident.findFirst({ where: { messageTs: { not: null } } }), { what: 'incident message after the fix', timeoutMs: 10_000 });
    expect((await health(bot)).dependencies.slack).toBe('up');
  });

  it('holds work back while a scope is missing, naming the scope, and resumes once the token carries it', async () => {
    const bot = await startTestBot({ slackRecheckMs: RECHECK_MS });
    bots.push(bot);
    const granted = ['chat:write', 'commands', 'files:write', 'users:read', 'usergroups:read', 'reactions:read', 'channels:history'];
    bot.slack.setScopes(granted);
    bot.slack.failNext('conversations.create', { error: 'missing_scope', extra: { needed: 'channels:manage', provided: granted.join(',') } });
    expect((await bot.post('/webhooks/alertmanager', alertmanagerPayload({ alerts: [dbAlert()] }))).status).toBe(200);
    await waitFor(async () => (await health(bot)).dependencies.slack === 'unauthorized', { what: 'slack unauthorized' });
    expect(refusalLines(bot)).toHaveLength(1);
    expect(refusalLines(bot)[0]).toContain('lacks the scope channels:manage');
    // auth.test passes meanwhile, but the token still lacks the scope: the work keeps waiting.
    await sleep(1_000);
    expect(bot.slack.callsTo('conversations.create')).toHaveLength(1);
    expect(await bot.db.incident.count({ where: { channelId: { not: null } } })).toBe(0);
    bot.slack.setScopes([...granted, 'channels:manage']);
    await waitFor(() => bot.db.incident.findFirst({ where: { messageTs: { not: null } } }), { what: 'incident message once the scope is granted', timeoutMs: 10_000 });
    expect((await health(bot)).dependencies.slack).toBe('up');
  });

  it('says at start when Slack cannot be reached, and reports it down', async () => {
    const port = await freePort();
    const bot = await startTestBot({ env: { SLACK_API_URL: `http://127.0.0.1:${port}/api/` }, slackRecheckMs: 60_000 });
    bots.push(bot);
    expect(await health(bot)).toMatchObject({ status: 'degraded', dependencies: { slack: 'down' } });
    expect(bot.logs.filter((line) => line.includes('Slack cannot be reached'))).toHaveLength(1);
  });
});
