import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertmanagerPayload, dbAlert } from '../support/alertmanager.js';
import { startTestBot, type TestBot } from '../support/test-bot.js';
import { waitFor } from '../support/wait-for.js';

// Notifications that arrive together are stored by one INSERT (group commit); each sender must
// still get its own answer, as if it had been alone.
describe('notifications that arrive together', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot();
  });
  afterAll(async () => {
    await bot.stop();
  });

  const notification = (group: number, instance: number, annotations: Record<string, string> = {}) =>
    alertmanagerPayload({ groupLabels: { alertname: 'ApiDatabaseUnavailable', service: `svc-${group}` }, alerts: [dbAlert({ instance: `api-${instance}:8080`, labels: { service: `svc-${group}` }, annotations })] });

  it('stores every one and answers each with its own delivery, and every group gets its incident', async () => {
    const sent = Array.from({ length: 40 }, (_, n) => notification(n % 4, n));
    const responses = await Promise.all(sent.map((body) => bot.post('/webhooks/alertmanager', body)));
    expect(responses.map((response) => response.status)).toEqual(sent.map(() => 200));
    const ids = responses.map((response) => (response.json as { deliveryId: string }).deliveryId);
    expect(new Set(ids).size).toBe(40);
    const stored = await bot.db.webhookDelivery.findMany({ where: { id: { in: ids } }, select: { id: true, payload: true } });
    const byId = new Map(stored.map((row) => [row.id, row.payload]));
    ids.forEach((id, n) => expect(byId.get(id)).toEqual(sent[n]));
    const incidents = await waitFor(async () => {
      const rows = await bot.db.incident.findMany({ select: { groupKey: true, _count: { select: { alerts: true } } } });
      return rows.length === 4 && rows.every((row) => row._count.alerts === 10) ? rows : undefined;
    }, { what: 'four incidents with ten alerts each' });
    expect(incidents).toHaveLength(4);
  });

  it('answers a redelivery sent beside its original as a duplicate of it', async () => {
    const original = notification(7, 1);
    const responses = await Promise.all([original, notification(7, 2), original, notification(8, 1)].map((body) => bot.post('/webhooks/alertmanager', body)));
    expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 200]);
    const answers = responses.map((response) => response.json as { status: string; deliveryId: string });
    expect(answers.map((answer) => answer.status).sort()).toEqual(['accepted', 'accepted', 'accepted', 'duplicate']);
    expect(answers[0]!.deliveryId).toBe(answers[2]!.deliveryId);
    expect(await bot.db.webhookDelivery.count({ where: { id: answers[0]!.deliveryId } })).toBe(1);
  });

  it('stores a notification with a NUL character beside those sent with it', async () => {
    // jsonb cannot hold the NUL character: it is stored as U+FFFD, and its neighbours as they came.
    const withNul = notification(9, 1, { description: 'bad \u0000 byte' });
    const sent = [notification(9, 2), withNul, notification(9, 3), notification(10, 1)];
    const responses = await Promise.all(sent.map((body) => bot.post('/webhooks/alertmanager', body)));
    expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 200]);
    const ids = responses.map((response) => (response.json as { deliveryId: string }).deliveryId);
    const stored = new Map((await bot.db.webhookDelivery.findMany({ where: { id: { in: ids } }, select: { id: true, payload: true } })).map((row) => [row.id, row.payload]));
    expect(stored.size).toBe(4);
    expect(stored.get(ids[1]!)).toMatchObject({ alerts: [{ annotations: { description: 'bad \uFFFD byte' } }] });
    for (const n of [0, 2, 3]) expect(stored.get(ids[n]!)).toEqual(sent[n]);
  });
});
