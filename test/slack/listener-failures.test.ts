import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack/index.js';
import { FAILURE_ANSWER } from '../../src/slack/listeners/answer-failures.js';
import { alertmanagerPayload, dbAlert } from '../support/alertmanager.js';
import { startBotBehindPostgresProxy, type BotBehindProxy } from '../support/postgres-behind-proxy.js';
import { startResponseSink } from '../support/response-url-sink.js';
import { blockActionsPayload, buttonsOf, postInteraction } from '../support/slack-interactions.js';
import { signedHeaders, slashCommandBody } from '../support/slack-signing.js';
import type { TcpProxy } from '../support/tcp-proxy.js';
import { SIGNING_SECRET, startTestBot, type TestBot } from '../support/test-bot.js';
import { waitFor } from '../support/wait-for.js';

describe('a command or button that fails while Postgres is away', () => {
  let proxy: TcpProxy;
  let bot: TestBot;
  let behind: BotBehindProxy;
  let sink: Awaited<ReturnType<typeof startResponseSink>>;
  beforeAll(async () => {
    sink = await startResponseSink();
    behind = await startBotBehindPostgresProxy();
    ({ bot, postgres: proxy } = behind);
  });
  afterAll(async () => {
    await behind.stop();
    await sink.close();
  });

  async function command(text: string, channelId: string, userId: string): Promise<number> {
    const body = slashCommandBody({ text, channelId, userId, responseUrl: `${sink.url}/commands/${encodeURIComponent(text)}` });
    return (await fetch(`${bot.url}/slack/events`, { method: 'POST', headers: signedHeaders(SIGNING_SECRET, body), body })).status;
  }

  it('tells the person it did not go through, and works once Postgres is back', async () => {
    await bot.post('/webhooks/alertmanager', alertmanagerPayload({ alerts: [dbAlert()] }));
    const incident = await waitFor(() => bot.db.incident.findFirst({ where: { messageTs: { not: null } } }), { what: 'incident posted' });
    const channelId = incident.channelId as string;
    const message = bot.slack.messagesIn(channelId).find((candidate) => candidate.ts === incident.messageTs);
    const acknowledge = buttonsOf(message?.blocks).find((button) => button.action_id === 'incident-acknowledge');
    if (!acknowledge) throw new Error('no Acknowledge button');

    await proxy.down();
    // Slack got its acknowledgement in time either way: the failure comes after, through response_url.
    expect(await command('ack', channelId, 'U0ONCALL')).toBe(200);
    const failed = await waitFor(() => sink.received.find((entry) => entry.path === '/commands/ack'), { what: 'failure answer to /incident ack', timeoutMs: 20_000 });
    expect(failed.body).toMatchObject({ response_type: 'ephemeral', text: FAILURE_ANSWER });

    const press = await postInteraction(bot.url, SIGNING_SECRET, blockActionsPayload({ userId: 'U0ONCALL', channelId, messageTs: incident.messageTs as string, button: acknowledge, responseUrl: `${sink.url}/button/ack` }));
    expect(press.status).toBe(200);
    const pressed = await waitFor(() => sink.received.find((entry) => entry.path === '/button/ack'), { what: 'failure answer to the button', timeoutMs: 20_000 });
    expect(pressed.body).toMatchObject({ response_type: 'ephemeral', replace_original: false, text: FAILURE_ANSWER });

    await proxy.up();
    await waitFor(async () => {
      await command('ack', channelId, 'U0ONCALL');
      return (await bot.db.incident.findUniqueOrThrow({ where: { id: incident.id } })).status === 'acknowledged';
    }, { what: 'acknowledged once Postgres is back', timeoutMs: 20_000, intervalMs: 1_000 });
  });
});

describe('a modal Slack will not open', () => {
  let bot: TestBot;
  let sink: Awaited<ReturnType<typeof startResponseSink>>;
  beforeAll(async () => {
    sink = await startResponseSink();
    bot = await startTestBot({ config: { escalation: { default: { levels: [{ level: 'L1', notify: ['U0ONCALL'], ack_timeout: '1h' }, { level: 'L2', notify: ['U0LEAD'] }] } } } });
  });
  afterAll(async () => {
    await bot.stop();
    await sink.close();
  });

  it('is tried a few times while the trigger is fresh, then the person is told', async () => {
    await bot.post('/webhooks/alertmanager', alertmanagerPayload({ alerts: [dbAlert()] }));
    const incident = await waitFor(() => bot.db.incident.findFirst({ where: { messageTs: { not: null } } }), { what: 'incident posted' });
    const message = bot.slack.messagesIn(incident.channelId as string).find((candidate) => candidate.ts === incident.messageTs);
    const escalate = buttonsOf(message?.blocks).find((button) => button.action_id === 'incident-escalate');
    if (!escalate) throw new Error('no Escalate button');

    bot.slack.failNext('views.open', { status: 500, times: 10 });
    const press = await postInteraction(
      bot.url,
      SIGNING_SECRET,
      blockActionsPayload({ userId: 'U0ONCALL', channelId: incident.channelId as string, messageTs: incident.messageTs as string, button: escalate, responseUrl: `${sink.url}/escalate`, triggerId: bot.slack.issueTriggerId() }),
    );
    expect(press.status).toBe(200);
    const told = await waitFor(() => sink.received.find((entry) => entry.path === '/escalate'), { what: 'failure answer', timeoutMs: 15_000 });
    expect(told.body).toMatchObject({ response_type: 'ephemeral', text: FAILURE_ANSWER });
    // One call and two retries: not @slack/web-api's default of ten, long after the trigger expired.
    expect(bot.slack.callsTo('views.open')).toHaveLength(3);
  });
});

describe('starting while Slack cannot be reached', () => {
  let slack: FakeSlack;
  let bot: TestBot;
  let sink: Awaited<ReturnType<typeof startResponseSink>>;
  beforeAll(async () => {
    sink = await startResponseSink();
    slack = await startFakeSlack();
    // Slack's own outage: auth.test fails for the start and the first requests.
    slack.failNext('auth.test', { status: 503, times: 4 });
    bot = await startTestBot({ slack });
  });
  afterAll(async () => {
    await bot.stop();
    await slack.close();
    await sink.close();
  });

  it('keeps serving, and answers commands once Slack is back', async () => {
    // Long enough for Bolt's start-up auth.test and its retries to have failed, had it made one.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const health = await fetch(`${bot.url}/health`);
    expect(health.status).toBe(200);
    const answer = await waitFor(async () => {
      const body = slashCommandBody({ text: 'help', channelId: 'CGENERAL', responseUrl: `${sink.url}/help` });
      const response = await fetch(`${bot.url}/slack/events`, { method: 'POST', headers: signedHeaders(SIGNING_SECRET, body), body });
      return response.status === 200 ? ((await response.json()) as { text?: string }) : undefined;
    }, { what: '/incident help answered', timeoutMs: 30_000, intervalMs: 500 });
    expect(answer.text).toContain('/incident status');
    expect(slack.callsTo('auth.test').filter((call) => call.ok)).toHaveLength(1);
  });
});
