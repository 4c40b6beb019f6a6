import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertmanagerPayload } from '../support/alertmanager.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack/index.js';
import { startTestBot, type TestBot } from '../support/test-bot.js';
import { waitFor } from '../support/wait-for.js';

const GROUPS = 200;
const ALERTS_PER_GROUP = 10;
const SERVICES = 40;
const THRESHOLD = 10;

/** 200 alert groups (5 per service) of 10 alerts each, as Alertmanager would send them in a storm. */
function stormPayloads() {
  return Array.from({ length: GROUPS }, (_g, group) =>
    alertmanagerPayload({
      groupLabels: { alertname: `StormAlert${group}` },
      alerts: Array.from({ length: ALERTS_PER_GROUP }, (_a, i) => ({
        labels: { alertname: `StormAlert${group}`, service: `svc-${group % SERVICES}`, severity: 'warning', instance: `host-${i}` },
        annotations: { summary: `Storm alert ${group}` },
      })),
    }),
  );
}

async function postAll(bot: TestBot, payloads: ReturnType<typeof stormPayloads>, concurrency: number): Promise<number[]> {
  const statuses: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < payloads.length) {
        const payload = payloads[next++];
        statuses.push((await bot.post('/webhooks/alertmanager', payload as object)).status);
      }
    }),
  );
  return statuses;
}

describe('an alert storm', () => {
  let slack: FakeSlack;
  let bot: TestBot;
  beforeAll(async () => {
    // Slack's own rate tiers, at their real speed: a burst over them would be answered 429.
    slack = await startFakeSlack({ rateLimits: true });
    bot = await startTestBot({ slack, config: { incidents: { storm_threshold: THRESHOLD, storm_window: '1m', group_by: ['service'] } } });
  });
  afterAll(async () => {
    await bot.stop();
    await slack.close();
  });

  it('of 2,000 alerts over 200 groups opens no more incidents than configured, stores every alert, and stays within Slack limits', async () => {
    const statuses = await postAll(bot, stormPayloads(), 16);
    expect(statuses.filter((status) => status === 200)).toHaveLength(GROUPS);
    expect(await bot.db.webhookDelivery.count()).toBe(GROUPS);

    await waitFor(async () => (await bot.db.webhookDelivery.count({ where: { processedAt: null } })) === 0, { what: 'every delivery correlated', timeoutMs: 60_000 });
    expect(await bot.db.alert.count()).toBe(GROUPS * ALERTS_PER_GROUP);
    await waitFor(async () => (await bot.db.incident.count({ where: { messageTs: null } })) === 0 && (await bot.db.channelPost.count({ where: { postedAt: null } })) === 0, { what: 'Slack caught up', timeoutMs: 60_000 });

    const incidents = await bot.db.incident.findMany({ orderBy: { openedAt: 'asc' } });
    const storm = incidents.filter((incident) => incident.correlationKey === 'storm');
    expect(storm).toHaveLength(1);
    expect(incidents.length).toBeLessThanOrEqual(THRESHOLD + 1);
    // Every alert is on some incident's timeline.
    expect(await bot.db.alert.count({ where: { incidentId: null } })).toBe(0);
    expect(await bot.db.timelineEvent.count({ where: { type: 'alert.received' } })).toBe(GROUPS * ALERTS_PER_GROUP);
    // Groups of a service that already had an incident joined it; the rest joined the storm.
    const joined = await bot.db.incidentKey.groupBy({ by: ['incidentId'], _count: { _all: true } });
    expect(joined.reduce((sum, row) => sum + row._count._all, 0) + (incidents.length - 1)).toBe(GROUPS);

    const creates = slack.callsTo('conversations.create');
    expect(creates.filter((call) => call.ok)).toHaveLength(incidents.length);
    expect(creates.filter((call) => call.status === 429)).toHaveLength(0);
    expect(slack.peakPerMinute('conversations.create')).toBeLessThanOrEqual(20);
    expect(slack.calls.filter((call) => call.status === 429)).toHaveLength(0);

    const stormChannel = storm[0]?.channelId as string;
    const stormMessage = slack.messagesIn(stormChannel).find((message) => message.ts === storm[0]?.messageTs);
    expect(stormMessage?.text).toContain('Alert storm');
    const announced = slack.messagesIn(stormChannel).filter((message) => /new alerts? firing/.test(message.text ?? ''));
    expect(announced.length).toBeGreaterThan(0);
    expect(announced.length).toBeLessThan(GROUPS / 2);
  }, 180_000);
});

describe('Slack rate tiers', () => {
  let slack: FakeSlack;
  let bot: TestBot;
  beforeAll(async () => {
    // A 2-second window stands for Slack's minute; the fake refuses a 6th create within it.
    slack = await startFakeSlack({ rateLimits: { 'conversations.create': { limit: 5, perMs: 2_000 } } });
    bot = await startTestBot({ slack, config: { incidents: { group_by: [] }, slack: { rate_limits: { 'conversations.create': { max: 5, window: '2s' } } } } });
  });
  afterAll(async () => {
    await bot.stop();
    await slack.close();
  });

  it('pace conversations.create across the whole bot instead of being answered 429', async () => {
    await Promise.all(
      Array.from({ length: 12 }, (_v, i) =>
        bot.post('/webhooks/alertmanager', alertmanagerPayload({ alerts: [{ labels: { alertname: `Paced${i}`, severity: 'warning' }, annotations: { summary: `Paced ${i}` } }] })),
      ),
    );
    await waitFor(async () => (await bot.db.incident.count({ where: { channelId: { not: null } } })) === 12, { what: 'twelve channels', timeoutMs: 30_000 });
    // Unpaced, 7 of these 12 concurrent creates would be refused: the fake allows 5 in 2 s.
    const creates = slack.callsTo('conversations.create');
    expect(creates.filter((call) => call.ok)).toHaveLength(12);
    expect(creates.filter((call) => call.status === 429)).toHaveLength(0);
  });
});
