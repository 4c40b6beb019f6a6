import { randomUUID } from 'node:crypto';
import type { Db, Prisma } from '../../src/db/client.js';

/** 2026-11-24 at the given UTC time of day, e.g. at('03:05:30'). */
export const at = (time: string, day = '2026-11-24'): Date => new Date(`${day}T${time}.000Z`);

/** The escalation policy snapshot the scripted incidents carry: L1 (U1), L2 (U2 and a user group). */
export const POLICY = {
  ack_by: 'policy',
  levels: [
    { level: 'L1', notify: ['U1'], ack_timeout: 300_000, direct_message: false },
    { level: 'L2', notify: ['U2', 'S0614TZR7'], ack_timeout: 600_000, direct_message: false },
  ],
};

export const RUNBOOK_TEXT = `---
id: checkout-db
title: Checkout database connections
match:
  - service: checkout
---
# Checkout database connections

## Symptoms

Checkout answers 5xx.

## Prevention

- Alert on connection headroom above 80 % of \`max_connections\`.
- Load-test checkout with the pool size used in production.
`;

type Event = Omit<Prisma.TimelineEventCreateManyInput, 'incidentId'>;
const event = (time: string, type: string, actor: string, source: string, data: Prisma.InputJsonObject = {}): Event => ({ at: at(time), type, actor, source, data });

export interface ScriptedIncident {
  id: string;
  number: number;
  groupKey: string;
}

/**
 * The scripted incident, written as the use cases write it, at known times:
 *
 *   03:00:00  CheckoutErrors starts firing (PaymentsLatency at 03:00:10)
 *   03:00:30  incident opened from the alert group; L1 (U1) paged
 *   03:05:30  L2 (U2, group S0614TZR7) paged: L1 did not acknowledge
 *   03:07:00  U1 acknowledges
 *   03:07:40  U1 runs "Check DB connections" → succeeded 03:08:00
 *   03:12:00  note by U1; 03:15:00 U2 runs "Restart checkout" → failed 03:15:30
 *   03:20:00  note by U2; 03:25:00 U1 pins a message of U3
 *   03:41:55  both alerts resolved
 *   03:42:10  U1 resolves
 */
export async function scriptIncident(db: Db): Promise<ScriptedIncident> {
  const groupKey = `alertmanager:{}:{alertname="CheckoutErrors"}:${randomUUID()}`;
  const incident = await db.incident.create({
    data: {
      title: 'Checkout is failing payments',
      status: 'resolved',
      severity: 'critical',
      source: 'alertmanager',
      groupKey,
      correlationKey: 'service=checkout',
      runbookId: 'checkout-db',
      labels: { alertname: 'CheckoutErrors', service: 'checkout' },
      channelId: `C${randomUUID().slice(0, 8).toUpperCase()}`,
      channelName: 'inc-checkout-is-failing-payments',
      policy: POLICY,
      policyName: 'default',
      level: 2,
      acknowledgedBy: 'U1',
      openedAt: at('03:00:30'),
      acknowledgedAt: at('03:07:00'),
      resolvedAt: at('03:42:10'),
    },
  });
  const deliveryId = randomUUID();
  // Fingerprints are unique per start time: each scripted incident has alerts of its own.
  const checkout = `checkout-${randomUUID()}`;
  const payments = `payments-${randomUUID()}`;
  const checkoutUrl = 'http://prometheus:9090/graph?g0.expr=rate(http_errors_total{service="checkout"}[5m]) > 0.05';
  await db.alert.createMany({
    data: [
      {
        source: 'alertmanager',
        fingerprint: checkout,
        status: 'resolved',
        recordedStatus: 'resolved',
        name: 'CheckoutErrors',
        labels: { alertname: 'CheckoutErrors', service: 'checkout', severity: 'critical' },
        annotations: { summary: 'Checkout 5xx above 5 %' },
        startsAt: at('03:00:00'),
        endsAt: at('03:41:50'),
        generatorUrl: checkoutUrl,
        groupKey,
        incidentId: incident.id,
        lastDeliveryId: deliveryId,
      },
      {
        source: 'alertmanager',
        fingerprint: payments,
        status: 'resolved',
        recordedStatus: 'resolved',
        name: 'PaymentsLatency',
        labels: { alertname: 'PaymentsLatency', job: 'payments', severity: 'warning' },
        annotations: { summary: 'p99 above 2 s' },
        startsAt: at('03:00:10'),
        endsAt: at('03:41:55'),
        generatorUrl: 'http://prometheus:9090/graph?g0.expr=histogram_quantile(0.99, payments_seconds_bucket) > 2',
        groupKey,
        incidentId: incident.id,
        lastDeliveryId: deliveryId,
      },
    ],
  });
  await db.escalation.createMany({
    data: [
      { incidentId: incident.id, step: 1, level: 1, reason: 'opened', actor: 'bot', notify: ['U1'], dueAt: at('03:05:30'), at: at('03:00:30') },
      { incidentId: incident.id, step: 2, level: 2, reason: 'timeout', actor: 'bot', notify: ['U2', 'S0614TZR7'], dueAt: at('03:15:30'), at: at('03:05:30') },
    ],
  });
  const check = await db.actionRun.create({
    data: {
      incidentId: incident.id,
      runbookId: 'checkout-db',
      actionId: 'check-db-connections',
      kind: 'diagnostic',
      type: 'postgres',
      label: 'Check DB connections',
      requestedBy: 'U1',
      pressKey: randomUUID(),
      status: 'succeeded',
      attempts: 1,
      ok: true,
      summary: '98 of 100 connections in use',
      output: 'x'.repeat(10_000),
      durationMs: 850,
      requestedAt: at('03:07:40'),
      startedAt: at('03:07:41'),
      finishedAt: at('03:08:00'),
    },
  });
  const restart = await db.actionRun.create({
    data: {
      incidentId: incident.id,
      runbookId: 'checkout-db',
      actionId: 'restart-checkout',
      kind: 'mitigation',
      type: 'http',
      label: 'Restart checkout',
      requestedBy: 'U2',
      pressKey: randomUUID(),
      status: 'failed',
      attempts: 1,
      ok: false,
      summary: 'HTTP 503 from the deploy API',
      error: 'HTTP 503 from the deploy API',
      durationMs: 30_000,
      requestedAt: at('03:15:00'),
      startedAt: at('03:15:01'),
      finishedAt: at('03:15:30'),
    },
  });
  const brief = (fingerprint: string, name: string, summary: string, labels: Record<string, string>, startsAt: string) => ({
    fingerprint,
    name,
    summary,
    labels,
    generatorUrl: null,
    status: 'firing',
    startsAt: at(startsAt).toISOString(),
  });
  const run = (runId: string, actionId: string, label: string, requestedBy: string) => ({ runId, actionId, label, requestedBy });
  const events: Event[] = [
    // Written out of time order on purpose: the review orders by time, then by id.
    event('03:25:00', 'note.pinned', 'U1', 'slack', { author: 'U3', text: 'Found it: the pool is capped at 100 and every connection is busy', permalink: 'https://example.slack.com/archives/C1/p1764039900000100', messageTs: '1764039900.000100' }),
    event('03:00:30', 'incident.opened', 'alertmanager', 'alert', { title: 'Checkout is failing payments', severity: 'critical', runbookId: 'checkout-db', policy: 'default', deliveryId }),
    event('03:00:30', 'escalation.notified', 'bot', 'escalation', { step: 1, level: 'L1', reason: 'opened', notify: ['U1'], note: null, nextDueAt: at('03:05:30').toISOString() }),
    event('03:00:30', 'alert.received', 'alertmanager', 'alert', brief(checkout, 'CheckoutErrors', 'Checkout 5xx above 5 %', { service: 'checkout' }, '03:00:00')),
    event('03:00:30', 'alert.received', 'alertmanager', 'alert', brief(payments, 'PaymentsLatency', 'p99 above 2 s', { job: 'payments' }, '03:00:10')),
    event('03:00:31', 'slack.channel_created', 'bot', 'worker', { channelId: 'C0INC', name: 'inc-checkout-is-failing-payments' }),
    event('03:00:32', 'slack.message_posted', 'bot', 'worker', { channelId: 'C0INC', ts: '1764039632.000100' }),
    event('03:00:32', 'runbook.posted', 'bot', 'worker', { runbookId: 'checkout-db', channelId: 'C0INC', ts: '1764039632.000100' }),
    event('03:05:30', 'escalation.notified', 'bot', 'escalation', { step: 2, level: 'L2', reason: 'timeout', notify: ['U2', 'S0614TZR7'], note: null, nextDueAt: at('03:15:30').toISOString() }),
    event('03:07:00', 'incident.acknowledged', 'U1', 'slack', { level: 2, secondsToAck: 390 }),
    event('03:07:40', 'action.requested', 'U1', 'slack', { runId: check.id, actionId: 'check-db-connections', label: 'Check DB connections', kind: 'diagnostic' }),
    event('03:07:41', 'action.started', 'worker', 'worker', run(check.id, 'check-db-connections', 'Check DB connections', 'U1')),
    event('03:08:00', 'action.succeeded', 'worker', 'worker', { ...run(check.id, 'check-db-connections', 'Check DB connections', 'U1'), summary: '98 of 100 connections in use', attempts: 1, durationMs: 850 }),
    event('03:12:00', 'note.added', 'U1', 'slack', { author: 'U1', text: 'Connections pile up on checkout-db-1', permalink: null, messageTs: null }),
    event('03:15:00', 'action.requested', 'U2', 'slack', { runId: restart.id, actionId: 'restart-checkout', label: 'Restart checkout', kind: 'mitigation' }),
    event('03:15:01', 'action.started', 'worker', 'worker', run(restart.id, 'restart-checkout', 'Restart checkout', 'U2')),
    event('03:15:30', 'action.failed', 'worker', 'worker', { ...run(restart.id, 'restart-checkout', 'Restart checkout', 'U2'), summary: 'HTTP 503 from the deploy API', attempts: 1, durationMs: 30_000 }),
    event('03:20:00', 'note.added', 'U2', 'slack', { author: 'U2', text: 'Deploy API is down too.\nRaising the pool size by hand | via psql', permalink: null, messageTs: null }),
    event('03:41:55', 'alert.resolved', 'alertmanager', 'alert', { fingerprint: checkout, name: 'CheckoutErrors', endsAt: at('03:41:50').toISOString() }),
    event('03:41:55', 'alert.resolved', 'alertmanager', 'alert', { fingerprint: payments, name: 'PaymentsLatency', endsAt: at('03:41:55').toISOString() }),
    event('03:42:10', 'incident.resolved', 'U1', 'slack', { summary: 'Pool raised to 200; errors back to baseline' }),
  ];
  await db.timelineEvent.createMany({ data: events.map((entry) => ({ ...entry, incidentId: incident.id })) });
  return { id: incident.id, number: incident.number, groupKey };
}
