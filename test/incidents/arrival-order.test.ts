import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { correlatePending } from '../../src/incidents/correlate-pending.js';
import { batchFromDelivery } from '../../src/ingest/batch-from-delivery.js';
import { alertmanagerPayload, dbAlert } from '../support/alertmanager.js';
import { startTestBot, type TestBot } from '../support/test-bot.js';

describe('notifications of one group that arrive in the same millisecond', () => {
  let api: TestBot;
  beforeAll(async () => {
    // The intake alone, on a clock that stands still: every delivery has the same arrival time.
    const frozen = new Date('2026-11-24T03:05:00.000Z');
    api = await startTestBot({ env: { ROLE: 'api' }, config: { incidents: { group_by: [] } }, clock: { now: () => new Date(frozen) } });
  });
  afterAll(async () => {
    await api.stop();
  });

  it('are correlated in the order they came: an alert that resolves and fires again stays firing', async () => {
    // Eight groups, each an alert's resolution and then its next firing (a new start time). Taken
    // the other way round, the resolution would close the new instance too (a resolution closes
    // every firing instance of its alert) and the group would open no incident.
    const groups = Array.from({ length: 8 }, (_v, n) => `svc-${n}`);
    const notification = (service: string, status: 'firing' | 'resolved', startsAt: string) =>
      alertmanagerPayload({ groupLabels: { alertname: 'ApiDatabaseUnavailable', service }, alerts: [dbAlert({ labels: { service }, status, startsAt })] });
    for (const service of groups) {
      expect((await api.post('/webhooks/alertmanager', notification(service, 'resolved', '2026-11-24T03:00:00.000Z'))).status).toBe(200);
      expect((await api.post('/webhooks/alertmanager', notification(service, 'firing', '2026-11-24T03:04:00.000Z'))).status).toBe(200);
    }
    const deliveries = await api.db.webhookDelivery.findMany({ select: { groupKey: true, receivedAt: true } });
    expect(deliveries).toHaveLength(16);
    expect(new Set(deliveries.map((delivery) => delivery.receivedAt.getTime())).size).toBe(1);

    for (const groupKey of new Set(deliveries.map((delivery) => delivery.groupKey))) await correlatePending(api.bot.deps, groupKey as string, batchFromDelivery);
    const incidents = await api.db.incident.findMany({ select: { status: true, alerts: { select: { status: true, startsAt: true }, orderBy: { startsAt: 'asc' } } } });
    expect(incidents).toHaveLength(8);
    for (const incident of incidents) {
      expect(incident.status).toBe('open');
      expect(incident.alerts.map((alert) => [alert.startsAt.toISOString(), alert.status])).toEqual([['2026-11-24T03:04:00.000Z', 'firing']]);
    }
  });
});
