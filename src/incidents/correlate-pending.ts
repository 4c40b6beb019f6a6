import { z } from 'zod';
import type { Prisma, WebhookDelivery } from '../db/client.js';
import type { Deps } from '../deps.js';
import type { ScheduledEscalation } from '../escalation/record-escalation-step.js';
import type { ScheduledReminder } from '../review/reminder-schedule.js';
import type { AlertBatch } from './alert-signal.js';
import { applySegment } from './apply-segment.js';
import { segmentsOf } from './delivery-segments.js';

/** Rebuilds the alert batch of a stored delivery; the ingest edge owns the wire formats. */
export type BatchOf = (delivery: Pick<WebhookDelivery, 'source' | 'payload'>) => AlertBatch;

/**
 * What one pass takes at most, in deliveries and in payload bytes (however large each
 * notification, a pass holds a bounded amount of memory); the passes that follow take the rest.
 */
export interface PassLimits {
  deliveries: number;
  /** Of stored payload (JSON text), counted through each delivery; the first is taken whatever its size. */
  bytes: number;
}
/** Up to 8 passes run at once in a process, so these bound what they hold well within its heap. */
const PASS_LIMITS: PassLimits = { deliveries: 500, bytes: 2 * 1024 * 1024 };

const pendingRow = z.object({
  id: z.string(),
  source: z.string(),
  /** Only for the deliveries this pass takes; null for the one after them. */
  payload: z.custom<Prisma.JsonValue>((value) => value !== undefined),
  receivedAt: z.date(),
  taken: z.boolean(),
});

/**
 * The deliveries the pass takes (the group's oldest pending ones, within the limits) and whether
 * more wait. The cut is made in Postgres, so the payloads beyond it are never read into memory.
 */
async function readPending(tx: Prisma.TransactionClient, groupKey: string, limits: PassLimits): Promise<{ taken: z.infer<typeof pendingRow>[]; more: boolean }> {
  const rows = z.array(pendingRow).parse(
    await tx.$queryRaw<unknown[]>`
      WITH pending AS (
        SELECT id, row_number() OVER w AS n, sum(octet_length(payload::text)) OVER w AS through
        FROM (SELECT id, received_at, seq, payload FROM webhook_deliveries
              WHERE group_key = ${groupKey} AND processed_at IS NULL
              ORDER BY received_at, seq, id LIMIT ${limits.deliveries + 1}) oldest
        WINDOW w AS (ORDER BY received_at, seq, id)
      ), cut AS (
        SELECT id, n, (n = 1 OR (n <= ${limits.deliveries} AND through <= ${limits.bytes})) AS taken FROM pending
      )
      SELECT d.id, d.source, CASE WHEN cut.taken THEN d.payload END AS payload, d.received_at AS "receivedAt", cut.taken
      FROM cut JOIN webhook_deliveries d ON d.id = cut.id
      ORDER BY cut.n`,
  );
  const taken = rows.filter((row) => row.taken);
  return { taken, more: taken.length < rows.length };
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
 * advisory lock, one read, a few statements per segment (see segmentsOf and applySegment), one
 * update marking them processed. Passes of one group are serialised by the lock (several workers
 * and processes may run) and a group's active key is unique, so it never has two open incidents.
 * Safe to run twice: a pass finds only what no pass has processed.
 */
export async function correlatePending(deps: Pick<Deps, 'db' | 'runbooks' | 'config' | 'metrics' | 'clock'>, groupKey: string, batchOf: BatchOf, limits: PassLimits = PASS_LIMITS): Promise<PassOutcome> {
  const outcome = await deps.db.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${groupKey}, 0))`;
      // Read under the lock: what a pass that ran meanwhile took is marked processed already.
      const { taken, more } = await readPending(tx, groupKey, limits);
      const segments = segmentsOf(taken.map((delivery) => ({ id: delivery.id, receivedAt: delivery.receivedAt, batch: batchOf(delivery) })));
      const applied = [];
      for (const segment of segments) applied.push(await applySegment(tx, segment, deps));
      if (taken.length > 0) await tx.webhookDelivery.updateMany({ where: { id: { in: taken.map((delivery) => delivery.id) } }, data: { processedAt: deps.clock.now() } });
      return { applied, processed: taken.length, more, source: segments[0]?.batch.source ?? '' };
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
