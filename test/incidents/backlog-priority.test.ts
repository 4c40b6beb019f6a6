import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertmanagerPayload, dbAlert } from '../support/alertmanager.js';
import { startTestBot, type TestBot } from '../support/test-bot.js';
import { waitFor } from '../support/wait-for.js';

const GROUPS = 20;
// Slack's Tier 2 (20 channels a minute) would make this test wait on channel creation, which it is not about.
const config = { incidents: { group_by: [] }, slack: { rate_limits: { 'conversations.create': { max: 1000, window: '1m' }, 'conversations.setTopic': { max: 1000, window: '1m' } } } };
const UPDATES_PER_GROUP = 6;

/** A notification of a noisy group: its current alerts, the newest instance joining them. */
function noisy(group: number, instances: number) {
  return alertmanagerPayload({
    groupLabels: { alertname: `Noisy${group}` },
    alerts: Array.from({ length: instances }, (_v, i) => dbAlert({ instance: `host-${i}:9100`, labels: { alertname: `Noisy${group}`, service: `svc-${group}`, severity: 'warning' }, annotations: { summary: `Noisy group ${group}` } })),
  });
}

async function postAll(bot: TestBot, payloads: object[], concurrency: number): Promise<number[]> {
  const statuses: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < payloads.length) statuses.push((await bot.post('/webhooks/alertmanager', payloads[next++] as object)).status);
    }),
  );
  return statuses;
}

describe('a backlog of updates and a new critical alert group', () => {
  let api: TestBot;
  let worker: TestBot | undefined;
  beforeAll(async () => {
    // The HTTP intake on its own, so the backlog builds while no worker runs, as it does when
    // deliveries come faster than a worker correlates them.
    api = await startTestBot({ env: { ROLE: 'api' }, config });
  });
  afterAll(async () => {
    await worker?.stop();
    await api.stop();
  });

  it('opens the critical incident ahead of the backlog, and correlates every delivery with every change on the timeline', async () => {
    // Twenty groups with an incident each.
    worker = await startTestBot({ shareWith: api, env: { ROLE: 'worker' }, config });
    expect(await postAll(api, Array.from({ length: GROUPS }, (_v, group) => noisy(group, 1)), 8)).toEqual(Array(GROUPS).fill(200));
    await waitFor(async () => (await api.db.incident.count({ where: { messageTs: { not: null } } })) === GROUPS, { what: 'an incident per group', timeoutMs: 60_000 });
    await worker.stop();
    worker = undefined;

    // Then a burst: every group grows, notification by notification; last, a new critical group.
    const burst = Array.from({ length: UPDATES_PER_GROUP }, (_u, update) => Array.from({ length: GROUPS }, (_v, group) => noisy(group, update + 2))).flat();
    expect(await postAll(api, burst, 16)).toEqual(Array(burst.length).fill(200));
    const critical = alertmanagerPayload({ groupLabels: { alertname: 'CheckoutDown' }, alerts: [dbAlert({ labels: { alertname: 'CheckoutDown', service: 'checkout', severity: 'critical' }, annotations: { summary: 'Checkout is down' } })] });
    expect((await api.post('/webhooks/alertmanager', critical)).status).toBe(200);

    worker = await startTestBot({ shareWith: api, env: { ROLE: 'worker' }, config });
    await waitFor(async () => (await api.db.webhookDelivery.count({ where: { processedAt: null } })) === 0, { what: 'every delivery correlated', timeoutMs: 60_000 });
    await waitFor(async () => (await api.db.incident.count({ where: { messageTs: null } })) === 0 && (await api.db.channelPost.count({ where: { postedAt: null } })) === 0, { what: 'Slack caught up', timeoutMs: 60_000 });

    const opened = await api.db.incident.findFirstOrThrow({ where: { title: 'Checkout is down' } });
    expect(opened.severity).toBe('critical');
    expect(api.slack.messagesIn(opened.channelId as string).some((message) => message.text?.includes(`INC-${opened.number}`))).toBe(true);
    expect(await api.db.incident.count()).toBe(GROUPS + 1);

    // Every alert instance on its incident and on its timeline, once.
    const alerts = GROUPS * (UPDATES_PER_GROUP + 1) + 1;
    expect(await api.db.alert.count({ where: { incidentId: { not: null } } })).toBe(alerts);
    expect(await api.db.timelineEvent.count({ where: { type: 'alert.received' } })).toBe(alerts);
    for (const group of [0, GROUPS - 1]) {
      const incident = await api.db.incident.findFirstOrThrow({ where: { title: `Noisy group ${group}` } });
      expect(await api.db.alert.count({ where: { incidentId: incident.id } })).toBe(UPDATES_PER_GROUP + 1);
    }

    // Sent last, correlated near the first: the new critical group went ahead of the backlog
    // (a worker takes 8 groups at once; first in, first out it would have been the very last).
    const criticalDelivery = await api.db.webhookDelivery.findFirstOrThrow({ where: { groupKey: { contains: 'CheckoutDown' } } });
    const groupsDoneLater = await api.db.$queryRaw<{ n: bigint }[]>`
      SELECT count(DISTINCT group_key) AS n FROM webhook_deliveries WHERE processed_at > ${criticalDelivery.processedAt}`;
    expect(Number(groupsDoneLater[0]?.n)).toBeGreaterThanOrEqual(GROUPS / 2);
  }, 180_000);
});
