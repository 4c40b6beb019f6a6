import type { WebhookDelivery } from '../db/client.js';
import type { Deps } from '../deps.js';
import type { ScheduledEscalation } from '../escalation/record-escalation-step.js';
import type { ScheduledReminder } from '../review/reminder-schedule.js';
import type { AlertBatch } from './alert-signal.js';
import { applySegment } from './apply-segment.js';
import { segmentsOf } from './delivery-segments.js';
import { storeSegmentAlerts } from './store-segment-alerts.js';

/** Rebuilds the alert batch of a stored delivery; the ingest edge owns the wire formats. */
export type BatchOf = (delivery: Pick<WebhookDelivery, 'source' | 'payload'>) => AlertBatch;

/** Deliveries one pass takes at most; a longer backlog is taken by the passes that follow. */
const PASS_LIMIT = 500;

export interface PassOutcome {
  /** Deliveries marked processed by this pass. */
  processed: number;
  /** Incidents this pass changed, for the Slack sync. */
  incidentIds: string[];
  opened: number;
  escalations: ScheduledEscalation[];
  reminders: ScheduledReminder[];
  /** More deliveries of the group were pending than one pass takes. */
  more: boolean;
}

/**
 * Correlates every pending delivery of one alert group in one pass, in receipt order: one
 * advisory lock, one read, a few statements per segment (see segmentsOf: its alert rows written
 * in their newest state, then the incident's changes), one update marking them processed. Passes of one group are serialised by the lock (several workers and processes
 * may run) and a group's active key is unique, so it never has two open incidents. Safe to run
 * twice: a pass finds only what no pass has processed.
 */
export async function correlatePending(deps: Pick<Deps, 'db' | 'runbooks' | 'config' | 'metrics' | 'clock'>, groupKey: string, batchOf: BatchOf): Promise<PassOutcome> {
  const outcome = await deps.db.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${groupKey}, 0))`;
      // Read under the lock: what a pass that ran meanwhile took is marked processed already.
      const pending = await tx.webhookDelivery.findMany({
        where: { groupKey, processedAt: null },
        select: { id: true, source: true, payload: true, receivedAt: true },
        orderBy: [{ receivedAt: 'asc' }, { id: 'asc' }],
        take: PASS_LIMIT + 1,
      });
      const taken = pending.slice(0, PASS_LIMIT);
      const segments = segmentsOf(taken.map((delivery) => ({ id: delivery.id, receivedAt: delivery.receivedAt, batch: batchOf(delivery) })));
      const applied = [];
      for (const segment of segments) {
        await storeSegmentAlerts(tx, segment);
        applied.push(await applySegment(tx, segment, deps));
      }
      if (taken.length > 0) await tx.webhookDelivery.updateMany({ where: { id: { in: taken.map((delivery) => delivery.id) } }, data: { processedAt: deps.clock.now() } });
      return { applied, processed: taken.length, more: pending.length > PASS_LIMIT, source: segments[0]?.batch.source ?? '' };
    },
    { timeout: 20_000, maxWait: 10_000 },
  );
  for (const segment of outcome.applied) if (segment.opened) deps.metrics.incidentsOpened.inc({ source: outcome.source, severity: segment.severity });
  return {
    processed: outcome.processed,
    incidentIds: [...new Set(outcome.applied.flatMap((segment) => (segment.incidentId ? [segment.incidentId] : [])))],
    opened: outcome.applied.filter((segment) => segment.opened).length,
    escalations: outcome.applied.flatMap((segment) => (segment.escalation ? [segment.escalation] : [])),
    reminders: outcome.applied.flatMap((segment) => (segment.reminder ? [segment.reminder] : [])),
    more: outcome.more,
  };
}
