import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertmanagerPayload } from '../support/alertmanager.js';
import { startTestBot, type TestBot } from '../support/test-bot.js';
import { waitFor } from '../support/wait-for.js';

const RETRY_AFTER_S = 10;

describe('a 429 holds back the method it answers, not every Slack call', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot();
  });
  afterAll(async () => {
    await bot.stop();
  });

  const fire = (alertname: string, status: 'firing' | 'resolved' = 'firing') =>
    bot.post('/webhooks/alertmanager', alertmanagerPayload({ alerts: [{ status, labels: { alertname, severity: 'warning' }, annotations: { summary: `${alertname} summary` } }] }));

  it('posts in an open incident’s channel while conversations.create waits out its Retry-After', async () => {
    expect((await fire('AlreadyOpen')).status).toBe(200);
    const open = await waitFor(() => bot.db.incident.findFirst({ where: { title: { contains: 'AlreadyOpen' }, messageTs: { not: null } } }), { what: 'the open incident' });
    const postsBefore = bot.slack.messagesIn(open.channelId as string).length;

    bot.slack.failNext('conversations.create', { retryAfter: RETRY_AFTER_S });
    expect((await fire('WaitsForCreate')).status).toBe(200);
    const limited = await waitFor(() => bot.slack.callsTo('conversations.create').find((call) => call.status === 429), { what: 'the 429' });

    // The open incident resolves meanwhile: its channel gets the resolution and its message the new state.
    expect((await fire('AlreadyOpen', 'resolved')).status).toBe(200);
    await waitFor(() => bot.slack.messagesIn(open.channelId as string).length > postsBefore, { what: 'the resolution post', timeoutMs: 30_000 });
    const posted = bot.slack.callsTo('chat.postMessage').filter((call) => call.ok && call.args.channel === open.channelId && call.at > limited.at);
    expect(posted.length).toBeGreaterThan(0);
    // It went out while conversations.create was still held back by Slack's Retry-After.
    expect(posted[0]?.at).toBeLessThan(limited.at + RETRY_AFTER_S * 1_000);
    expect(bot.slack.callsTo('conversations.create').filter((call) => call.at > limited.at)).toHaveLength(0);

    // The create honoured Retry-After, then went through once.
    const waiting = await waitFor(() => bot.db.incident.findFirst({ where: { title: { contains: 'WaitsForCreate' }, channelId: { not: null } } }), { what: 'the held channel', timeoutMs: 40_000 });
    const created = bot.slack.callsTo('conversations.create').filter((call) => call.ok && String(call.args.name).includes('waitsforcreate'));
    expect(created).toHaveLength(1);
    expect(created[0]?.at).toBeGreaterThanOrEqual(limited.at + RETRY_AFTER_S * 1_000 - 50);
    expect(waiting.channelName).toBe(created[0]?.args.name);
  }, 60_000);
});
