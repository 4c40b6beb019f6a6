import type { Prisma } from '../db/client.js';
import type { AlertSignal } from './alert-signal.js';
import { alertKey, type DeliverySegment } from './delivery-segments.js';

/** The alerts as one JSON parameter, however many: Postgres reads them back with jsonb_to_recordset, in this order (`n`). */
function alertRows(segment: DeliverySegment, alerts: readonly AlertSignal[]): string {
  return JSON.stringify(
    alerts.map((alert, n) => ({
      n,
      source: alert.source,
      fingerprint: alert.fingerprint,
      status: alert.status,
      name: alert.name,
      labels: alert.labels,
      annotations: alert.annotations,
      starts_at: alert.startsAt.toISOString(),
      ends_at: alert.endsAt?.toISOString() ?? null,
      generator_url: alert.generatorUrl,
      delivery_id: segment.deliveryOf.get(alertKey(alert)) ?? segment.firstId,
    })),
  );
}

/**
 * Writes the alert rows of a segment, each in the newest state its deliveries carried, in the
 * pass's transaction and under the group's lock, so concurrent webhooks of a group never wait on
 * each other's alert rows. Rows are written in key order, so two passes of groups that share an
 * alert lock it in the same order.
 */
export async function storeSegmentAlerts(tx: Prisma.TransactionClient, segment: DeliverySegment): Promise<void> {
  const alerts = [...segment.batch.alerts].sort((a, b) => a.fingerprint.localeCompare(b.fingerprint) || a.startsAt.getTime() - b.startsAt.getTime());
  if (alerts.length === 0) return;
  await tx.$executeRaw`
    INSERT INTO alerts (id, source, fingerprint, status, name, labels, annotations, starts_at, ends_at, generator_url, group_key, last_delivery_id, updated_at)
    SELECT gen_random_uuid(), a.source, a.fingerprint, a.status::"AlertStatus", a.name, a.labels, a.annotations, a.starts_at AT TIME ZONE 'UTC', a.ends_at AT TIME ZONE 'UTC', a.generator_url, ${segment.batch.groupKey}, a.delivery_id, now()
    FROM jsonb_to_recordset(${alertRows(segment, alerts)}::jsonb)
      AS a (n int, source text, fingerprint text, status text, name text, labels jsonb, annotations jsonb, starts_at timestamptz, ends_at timestamptz, generator_url text, delivery_id uuid)
    ORDER BY a.n
    ON CONFLICT (source, fingerprint, starts_at) DO UPDATE SET
      -- a resolution is final for an alert instance: a late or retried "firing" must not undo it
      status = CASE WHEN alerts.status = 'resolved' THEN alerts.status ELSE EXCLUDED.status END,
      ends_at = CASE WHEN alerts.status = 'resolved' THEN alerts.ends_at ELSE EXCLUDED.ends_at END,
      labels = EXCLUDED.labels,
      annotations = EXCLUDED.annotations,
      generator_url = EXCLUDED.generator_url,
      last_delivery_id = EXCLUDED.last_delivery_id,
      updated_at = now()`;
  await resolveElsewhere(tx, segment);
}

/**
 * A resolution closes every firing instance of the alert, not only the one it names: Sentry
 * resolves an issue whose later events fired as alerts of their own start times. A statement of
 * its own, after the upsert, so that it also closes an instance an earlier delivery of the segment
 * brought (a resolution only ever ends a segment, so nothing of the segment fires after it).
 */
async function resolveElsewhere(tx: Prisma.TransactionClient, segment: DeliverySegment): Promise<void> {
  const resolved = segment.batch.alerts.filter((alert) => alert.status === 'resolved');
  if (resolved.length === 0) return;
  await tx.$executeRaw`
    UPDATE alerts SET status = 'resolved', ends_at = COALESCE(r.ends_at AT TIME ZONE 'UTC', now()), last_delivery_id = r.delivery_id, updated_at = now()
    FROM jsonb_to_recordset(${alertRows(segment, resolved)}::jsonb) AS r (fingerprint text, starts_at timestamptz, ends_at timestamptz, delivery_id uuid)
    WHERE alerts.source = ${segment.batch.source} AND alerts.fingerprint = r.fingerprint AND alerts.starts_at <> r.starts_at AT TIME ZONE 'UTC' AND alerts.status = 'firing'`;
}
