import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { alertmanagerPayload, dbAlert } from '../support/alertmanager.js';
import { clockStartingAt } from '../support/clock.js';
import { REDIS_URL, startTestBot, type TestBot } from '../support/test-bot.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { waitFor } from '../support/wait-for.js';
import { startBotBehindPostgresProxy, type BotBehindProxy } from '../support/postgres-behind-proxy.js';

/** The day the bot's clock reads in the Slack-failure tests: the channel names carry it. */
const OPENED_ON = '2026-11-24T10:00:00Z';

async function health(bot: TestBot) {
  const response = await fetch(`${bot.url}/health`);
  return { status: response.status, body: (await response.json()) as { status: string; dependencies: Record<string, string> } };
}

describe('when Redis is unavailable', () => {
  let proxy: TcpProxy;
  let bot: TestBot;
  beforeAll(async () => {
    proxy = await new TcpProxy('127.0.0.1', Number(new URL(REDIS_URL).port || 6379)).start();
    bot = await startTestBot({ env: { REDIS_URL: proxy.urlFor(REDIS_URL) } });
  });
  afterAll(async () => {
    await proxy.up();
    await bot.stop();
    await proxy.down();
  });

  it('still stores and acknowledges the alert, reports degraded health, and queues the work once Redis is back', async () => {
    await waitFor(async () => (await health(bot)).body.status === 'healthy', { what: 'healthy at start' });
    await proxy.down();
    const response = await bot.post('/webhooks/alertmanager', alertmanagerPayload({ alerts: [dbAlert()] }));
    expect(response.status).toBe(200);
    expect(await bot.db.webhookDelivery.count({ where: { processedAt: null } })).toBe(1);
    const degraded = await health(bot);
    expect(degraded.status).toBe(200);
    expect(degraded.body).toMatchObject({ status: 'degraded', dependencies: { database: 'up', redis: 'down' } });
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(await bot.db.incident.count()).toBe(0);
    // The outage is one warning, not a line per worker and reconnect attempt.
    const loud = (line: string) => ['warn', 'error', 'fatal'].includes((JSON.parse(line) as { level: string }).level);
    const background = bot.logs.filter(loud).filter((line) => !line.includes('"requestId"'));
    expect(background.filter((line) => /redis|worker error|relay/i.test(line))).toEqual([expect.stringContaining('Redis cannot be reached')]);

    await proxy.up();
    const incident = await waitFor(() => bot.db.incident.findFirst({ where: { messageTs: { not: null } } }), { what: 'incident posted after Redis returned', timeoutMs: 25_000 });
    expect(bot.slack.messagesIn(incident.channelId as string).length).toBeGreaterThan(0);
    expect(bot.logs.filter((line) => line.includes('Redis is back; queued work resumes'))).toHaveLength(1);
  });
});

describe('when Postgres is unavailable', () => {
  let proxy: TcpProxy;
  let bot: TestBot;
  let behind: BotBehindProxy;
  beforeAll(async () => {
    behind = await startBotBehindPostgresProxy();
    ({ bot, postgres: proxy } = behind);
  });
  afterAll(async () => {
    await behind.stop();
  });

  it('answers 503 so that Alertmanager retries, and reports unhealthy', async () => {
    await proxy.down();
    const response = await bot.post('/webhooks/alertmanager', alertmanagerPayload({ alerts: [dbAlert()] }));
    expect(response.status).toBe(503);
    expect(response.json).toMatchObject({ error: { code: 'UNAVAILABLE', details: { reason: 'database_unavailable', retryable: true } } });
    const unhealthy = await health(bot);
    expect(unhealthy.status).toBe(503);
    expect(unhealthy.body).toMatchObject({ status: 'unhealthy', dependencies: { database: 'down' } });

    // Alertmanager's retry after Postgres is back is accepted and opens the incident.
    await proxy.up();
    const retry = await waitFor(async () => {
      const attempt = await bot.post('/webhooks/alertmanager', alertmanagerPayload({ alerts: [dbAlert()] }));
      return attempt.status === 200 ? attempt : undefined;
    }, { what: 'retry accepted' });
    expect(retry.json).toMatchObject({ status: 'accepted' });
    await waitFor(() => bot.db.incident.findFirst({ where: { messageTs: { not: null } } }), { what: 'incident posted' });
  });
});

describe('when Slack fails', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot({ clock: clockStartingAt(OPENED_ON) });
  });
  afterEach(() => bot.slack.reset());
  afterAll(async () => {
    await bot.stop();
  });

  it('picks a free variant on name_taken, waits out a 429, and retries a 500 until the message is posted', async () => {
    const taken = 'inc-20261124-checkout-latency-is-high';
    // Someone made a channel of that name by hand: it is not the bot's to adopt.
    bot.slack.createChannel({ name: taken, creator: 'U0SOMEONE1' });
    bot.slack.failNext('conversations.create', { retryAfter: 1, times: 1 });
    bot.slack.failNext('chat.postMessage', { status: 500, times: 6 });
    const payload = alertmanagerPayload({ alerts: [{ labels: { alertname: 'CheckoutLatencyHigh', service: 'checkout', severity: 'warning' }, annotations: { summary: 'Checkout latency is high' } }] });
    expect((await bot.post('/webhooks/alertmanager', payload)).status).toBe(200);

    const incident = await waitFor(() => bot.db.incident.findFirst({ where: { messageTs: { not: null } } }), { what: 'incident message after Slack recovered', timeoutMs: 25_000 });
    expect(incident.channelName).toBe(`${taken}-2`);
    const creates = bot.slack.callsTo('conversations.create');
    const rateLimited = creates.find((call) => call.status === 429);
    expect(rateLimited).toBeDefined();
    const afterLimit = creates.find((call) => call.ok);
    // Retry-After: 1 was honoured before the next attempt.
    expect((afterLimit?.at ?? 0) - (rateLimited?.at ?? 0)).toBeGreaterThanOrEqual(950);
    expect(bot.slack.callsTo('chat.postMessage').filter((call) => call.status === 500)).toHaveLength(6);
    expect(bot.slack.messagesIn(incident.channelId as string).filter((message) => !message.thread_ts)).toHaveLength(1);
  });
});
