import { Prisma } from '../db/client.js';
import type { AlertSignal } from './alert-signal.js';
import { alertKey, type DeliverySegment } from './delivery-segments.js';

/** Alerts per statement: ten bind parameters each, well within Postgres's 65,535. */
const CHUNK = 1_000;

function* chunksOf<T>(items: readonly T[]): Generator<readonly T[]> {
  for (let start = 0; start < items.length; start += CHUNK) yield items.slice(start, start + CHUNK);
}

/**
 * Writes the alert rows of a segment, each in the newest state its deliveries carried, in the
 * pass's transaction and under the group's lock, so concurrent webhooks of a group never wait on
 * each other's alert rows. Rows are written in key order, so two passes of groups that share an
 * alert lock it in the same order.
 */
export async function storeSegmentAlerts(tx: Prisma.TransactionClient, segment: DeliverySegment): Promise<void> {
  const alerts = [...segment.batch.alerts].sort((a, b) => a.fingerprint.localeCompare(b.fingerprint) || a.startsAt.getTime() - b.startsAt.getTime());
  for (const chunk of chunksOf(alerts)) await upsertAlerts(tx, segment, chunk);
  await resolveElsewhere(tx, segment);
}

const deliveryOf = (segment: DeliverySegment, alert: AlertSignal) => segment.deliveryOf.get(alertKey(alert)) ?? segment.firstId;

async function upsertAlerts(tx: Prisma.TransactionClient, segment: DeliverySegment, alerts: readonly AlertSignal[]): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO alerts (id, source, fingerprint, status, name, labels, annotations, starts_at, ends_at, generator_url, group_key, last_delivery_id, updated_at)
    SELECT gen_random_uuid(), a.source, a.fingerprint, a.status, a.name, a.labels, a.annotations, a.starts_at, a.ends_at, a.generator_url, ${segment.batch.groupKey}, a.delivery_id, now()
    FROM (VALUES ${Prisma.join(
      alerts.map(
        (alert) =>
          Prisma.sql`(${alert.source}::text, ${alert.fingerprint}::text, ${alert.status}::"AlertStatus", ${alert.name}::text, ${JSON.stringify(alert.labels)}::jsonb,
            ${JSON.stringify(alert.annotations)}::jsonb, ${alert.startsAt}::timestamp(3), ${alert.endsAt}::timestamp(3), ${alert.generatorUrl}::text, ${deliveryOf(segment, alert)}::uuid)`,
      ),
    )}) AS a (source, fingerprint, status, name, labels, annotations, starts_at, ends_at, generator_url, delivery_id)
    ON CONFLICT (source, fingerprint, starts_at) DO UPDATE SET
      -- a resolution is final for an alert instance: a late or retried "firing" must not undo it
      status = CASE WHEN alerts.status = 'resolved' THEN alerts.status ELSE EXCLUDED.status END,
      ends_at = CASE WHEN alerts.status = 'resolved' THEN alerts.ends_at ELSE EXCLUDED.ends_at END,
      labels = EXCLUDED.labels,
      annotations = EXCLUDED.annotations,
      generator_url = EXCLUDED.generator_url,
      last_delivery_id = EXCLUDED.last_delivery_id,
      updated_at = now()`;
}

/**
 * A resolution closes every firing instance of the alert, not only the one it names: Sentry
 * resolves an issue whose later events fired as alerts of their own start times. A statement of
 * its own, after the upsert, so that it also closes an instance an earlier delivery of the segment
 * brought (a resolution only ever ends a segment, so nothing of the segment fires after it).
 */
async function resolveElsewhere(tx: Prisma.TransactionClient, segment: DeliverySegment): Promise<void> {
  const resolved = segment.batch.alerts.filter((alert) => alert.status === 'resolved');
  for (const chunk of chunksOf(resolved)) {
    await tx.$executeRaw`
      UPDATE alerts SET status = 'resolved', ends_at = COALESCE(r.ends_at, now()), last_delivery_id = r.delivery_id, updated_at = now()
      FROM (VALUES ${Prisma.join(chunk.map((alert) => Prisma.sql`(${alert.fingerprint}::text, ${alert.startsAt}::timestamp(3), ${alert.endsAt}::timestamp(3), ${deliveryOf(segment, alert)}::uuid)`))}) AS r (fingerprint, starts_at, ends_at, delivery_id)
      WHERE alerts.source = ${segment.batch.source} AND alerts.fingerprint = r.fingerprint AND alerts.starts_at <> r.starts_at AND alerts.status = 'firing'`;
  }
}
