import { z } from 'zod';
import type { Prisma, WebhookDelivery } from '../db/client.js';
import type { Deps } from '../deps.js';
import type { ScheduledEscalation } from '../escalation/record-escalation-step.js';
import type { ScheduledReminder } from '../review/reminder-schedule.js';
import type { AlertBatch } from './alert-signal.js';
import { applySegment } from './apply-segment.js';
import { segmentsOf } from './delivery-segments.js';
import { storeSegmentAlerts } from './store-segment-alerts.js';

/** Rebuilds the alert batch of a stored delivery; the ingest edge owns the wire formats. */
export type BatchOf = (delivery: Pick<WebhookDelivery, 'source' | 'payload'>) => AlertBatch;

/**
 * What one pass takes at most, in deliveries and in payload bytes (however large each
 * notification, a pass holds a bounded amount of memory); the passes that follow take the rest.
 */
export interface PassLimits {
  deliveries: number;
  /** Of stored payload (JSON text); the first pending delivery is taken whatever its size. */
  bytes: number;
}
const PASS_LIMITS: PassLimits = { deliveries: 500, bytes: 8 * 1024 * 1024 };

const pendingRow = z.object({
  id: z.string(),
  source: z.string(),
  payload: z.custom<Prisma.JsonValue>((value) => value !== undefined),
  receivedAt: z.date(),
  /** Payload bytes of the group's pending deliveries before this one. */
  bytesBefore: z.union([z.bigint(), z.number()]).transform(Number),
});
type PendingRow = z.infer<typeof pendingRow>;

/** The group's oldest pending deliveries, one more than a pass takes (to tell that more wait). */
async function readPending(tx: Prisma.TransactionClient, groupKey: string, limits: PassLimits): Promise<PendingRow[]> {
  const rows = await tx.$queryRaw<unknown[]>`
    SELECT id, source, payload, received_at AS "receivedAt",
      COALESCE(sum(octet_length(payload::text)) OVER (ORDER BY received_at, id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)::bigint AS "bytesBefore"
    FROM (SELECT id, source, payload, received_at FROM webhook_deliveries
          WHERE group_key = ${groupKey} AND processed_at IS NULL
          ORDER BY received_at, id LIMIT ${limits.deliveries + 1}) p
    ORDER BY received_at, id`;
  return z.array(pendingRow).parse(rows);
}

/** How many of the pending deliveries one pass takes: always the first, then within both limits. */
function passSize(pending: readonly PendingRow[], limits: PassLimits): number {
  let size = Math.min(1, pending.length);
  while (size < Math.min(limits.deliveries, pending.length) && (pending[size]?.bytesBefore ?? Infinity) < limits.bytes) size++;
  return size;
}

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
export async function correlatePending(deps: Pick<Deps, 'db' | 'runbooks' | 'config' | 'metrics' | 'clock'>, groupKey: string, batchOf: BatchOf, limits: PassLimits = PASS_LIMITS): Promise<PassOutcome> {
  const outcome = await deps.db.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${groupKey}, 0))`;
      // Read under the lock: what a pass that ran meanwhile took is marked processed already.
      const pending = await readPending(tx, groupKey, limits);
      const taken = pending.slice(0, passSize(pending, limits));
      const segments = segmentsOf(taken.map((delivery) => ({ id: delivery.id, receivedAt: delivery.receivedAt, batch: batchOf(delivery) })));
      const applied = [];
      for (const segment of segments) {
        await storeSegmentAlerts(tx, segment);
        applied.push(await applySegment(tx, segment, deps));
      }
      if (taken.length > 0) await tx.webhookDelivery.updateMany({ where: { id: { in: taken.map((delivery) => delivery.id) } }, data: { processedAt: deps.clock.now() } });
      return { applied, processed: taken.length, more: pending.length > taken.length, source: segments[0]?.batch.source ?? '' };
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
