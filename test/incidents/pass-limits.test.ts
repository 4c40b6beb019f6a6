import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { correlatePending } from '../../src/incidents/correlate-pending.js';
import { batchFromDelivery } from '../../src/ingest/batch-from-delivery.js';
import { alertmanagerPayload, dbAlert } from '../support/alertmanager.js';
import { startTestBot, type TestBot } from '../support/test-bot.js';

/** A notification of a growing group: its current alerts, the newest instance joining them. */
function growing(instances: number) {
  return alertmanagerPayload({ alerts: Array.from({ length: instances }, (_v, i) => dbAlert({ instance: `api-${i + 1}:8080` })) });
}

describe('a correlation pass', () => {
  let api: TestBot;
  beforeAll(async () => {
    // The intake alone: the deliveries wait, and each pass below is run by the test.
    api = await startTestBot({ env: { ROLE: 'api' }, config: { incidents: { group_by: [] } } });
  });
  afterAll(async () => {
    await api.stop();
  });

  it('takes a group’s pending notifications within its limits, leaves the rest to the next pass, and loses no change', async () => {
    for (let instances = 1; instances <= 4; instances++) expect((await api.post('/webhooks/alertmanager', growing(instances))).status).toBe(200);
    const { groupKey } = await api.db.webhookDelivery.findFirstOrThrow();
    expect(groupKey).not.toBeNull();
    const pass = (limits?: { deliveries: number; bytes: number }) => correlatePending(api.bot.deps, groupKey as string, batchFromDelivery, limits);

    // A byte limit below any payload: the first notification is taken whatever its size, alone.
    expect(await pass({ deliveries: 500, bytes: 1 })).toMatchObject({ processed: 1, opened: 1, more: true });
    expect(await pass({ deliveries: 2, bytes: 8 * 1024 * 1024 })).toMatchObject({ processed: 2, opened: 0, more: true });
    expect(await pass()).toMatchObject({ processed: 1, opened: 0, more: false });
    expect(await pass()).toMatchObject({ processed: 0, more: false });

    const incidents = await api.db.incident.findMany();
    expect(incidents).toHaveLength(1);
    const received = await api.db.timelineEvent.findMany({ where: { incidentId: incidents[0]?.id, type: 'alert.received' }, orderBy: { at: 'asc' } });
    expect(received.map((event) => (event.data as { labels?: Record<string, string> }).labels?.instance)).toEqual(['api-1:8080', 'api-2:8080', 'api-3:8080', 'api-4:8080']);
    expect(await api.db.alert.count({ where: { incidentId: incidents[0]?.id, status: 'firing' } })).toBe(4);
    expect(await api.db.webhookDelivery.count({ where: { processedAt: null } })).toBe(0);
  });
});
