import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { correlatePending } from '../../src/incidents/correlate-pending.js';
import { batchFromDelivery } from '../../src/ingest/batch-from-delivery.js';
import { alertmanagerPayload, dbAlert } from '../support/alertmanager.js';
import { SENTRY_SECRET, issuePayload, postSentry } from '../support/sentry.js';
import { startTestBot, type TestBot } from '../support/test-bot.js';

/** A notification of a growing group: its current alerts, the newest instance joining them. */
function growing(instances: number) {
  return alertmanagerPayload({ alerts: Array.from({ length: instances }, (_v, i) => dbAlert({ instance: `api-${i + 1}:8080` })) });
}

describe('a correlation pass', () => {
  let api: TestBot;
  beforeAll(async () => {
    // The intake alone: the deliveries wait, and each pass below is run by the test.
    api = await startTestBot({ env: { ROLE: 'api', SENTRY_CLIENT_SECRET: SENTRY_SECRET }, config: { incidents: { group_by: [] } } });
  });
  afterAll(async () => {
    await api.stop();
  });

  it('takes a group’s pending notifications within its limits, leaves the rest to the next pass, and loses no change', async () => {
    for (let instances = 1; instances <= 5; instances++) expect((await api.post('/webhooks/alertmanager', growing(instances))).status).toBe(200);
    const { groupKey } = await api.db.webhookDelivery.findFirstOrThrow();
    expect(groupKey).not.toBeNull();
    const pass = (limits?: { deliveries: number; bytes: number }) => correlatePending(api.bot.deps, groupKey as string, batchFromDelivery, limits);

    // A byte limit below any payload: the first notification is taken whatever its size, alone.
    expect(await pass({ deliveries: 500, bytes: 1 })).toMatchObject({ processed: 1, opened: 1, more: true });
    // The bytes are counted through each notification: exactly two fit.
    const sizes = await api.db.$queryRaw<{ bytes: number }[]>`SELECT octet_length(payload::text) AS bytes FROM webhook_deliveries WHERE processed_at IS NULL ORDER BY received_at, seq, id LIMIT 2`;
    expect(await pass({ deliveries: 500, bytes: sizes.reduce((sum, row) => sum + Number(row.bytes), 0) })).toMatchObject({ processed: 2, opened: 0, more: true });
    expect(await pass({ deliveries: 1, bytes: 8 * 1024 * 1024 })).toMatchObject({ processed: 1, more: true });
    expect(await pass()).toMatchObject({ processed: 1, more: false });
    expect(await pass()).toMatchObject({ processed: 0, more: false });

    const incidents = await api.db.incident.findMany();
    expect(incidents).toHaveLength(1);
    const received = await api.db.timelineEvent.findMany({ where: { incidentId: incidents[0]?.id, type: 'alert.received' }, orderBy: { at: 'asc' } });
    expect(received.map((event) => (event.data as { labels?: Record<string, string> }).labels?.instance)).toEqual(['api-1:8080', 'api-2:8080', 'api-3:8080', 'api-4:8080', 'api-5:8080']);
    expect(await api.db.alert.count({ where: { incidentId: incidents[0]?.id, status: 'firing' } })).toBe(5);
    expect(await api.db.webhookDelivery.count({ where: { processedAt: null } })).toBe(0);
  });

  it('closes, on a resolution, the instances that earlier notifications of the same pass brought', async () => {
    const groupKey = 'sentry:issue:4507213398';
    const pass = () => correlatePending(api.bot.deps, groupKey, batchFromDelivery);
    expect((await postSentry(api, 'issue', issuePayload({ action: 'created' }))).status).toBe(200);
    expect(await pass()).toMatchObject({ processed: 1, opened: 1 });

    // A regression (a new instance, at lastSeen), then the issue resolved: correlated together.
    expect((await postSentry(api, 'issue', issuePayload({ action: 'unresolved', lastSeen: '2026-11-24T05:42:03.551000+00:00' }))).status).toBe(200);
    expect((await postSentry(api, 'issue', issuePayload({ action: 'resolved' }))).status).toBe(200);
    expect(await pass()).toMatchObject({ processed: 2, more: false });

    const alerts = await api.db.alert.findMany({ where: { fingerprint: groupKey }, orderBy: { startsAt: 'asc' } });
    expect(alerts.map((alert) => [alert.startsAt.toISOString(), alert.status])).toEqual([
      ['2026-11-24T03:00:12.417Z', 'resolved'],
      ['2026-11-24T05:42:03.551Z', 'resolved'],
    ]);
    const incident = await api.db.incident.findFirstOrThrow({ where: { groupKey } });
    expect(incident.status).toBe('resolved');
  });
});
