import { Prisma } from '../db/client.js';
import { isDatabaseUnavailable } from '../db/is-database-unavailable.js';
import { UnavailableError } from '../errors.js';
import type { Deps } from '../deps.js';
import type { AlertBatch } from '../incidents/alert-signal.js';
import { contentKey } from './content-key.js';

/** Postgres down is transient for the sender (Alertmanager and Sentry retry a 5xx): a 503, never a 4xx. */
async function storeOrUnavailable<T>(deps: Pick<Deps, 'log'>, store: () => Promise<T>): Promise<T> {
  try {
    return await store();
  } catch (error) {
    if (!isDatabaseUnavailable(error)) throw error;
    deps.log.error({ err: error }, 'database unavailable: asking the sender to retry');
    throw new UnavailableError('the database is unavailable; the sender should retry', 'database_unavailable');
  }
}

/**
 * A resolution closes every firing instance of the alert, not only the one it names: Sentry
 * resolves an issue whose later events fired as alerts of their own start times. The instance the
 * batch names is left to the upsert (one statement may not change a row twice).
 */
function resolvedElsewhere(batch: AlertBatch): Prisma.Sql {
  const resolved = batch.alerts.filter((alert) => alert.status === 'resolved');
  if (resolved.length === 0) return Prisma.empty;
  return Prisma.sql`, resolved_elsewhere AS (
      UPDATE alerts SET status = 'resolved', ends_at = COALESCE(r.ends_at, now()), last_delivery_id = delivery.id, updated_at = now()
      FROM delivery CROSS JOIN (VALUES ${Prisma.join(resolved.map((alert) => Prisma.sql`(${alert.fingerprint}::text, ${alert.startsAt}::timestamp(3), ${alert.endsAt}::timestamp(3))`))}) AS r (fingerprint, starts_at, ends_at)
      WHERE alerts.source = ${batch.source} AND alerts.fingerprint = r.fingerprint AND alerts.starts_at <> r.starts_at AND alerts.status = 'firing'
    )`;
}

export type AcceptResult = { outcome: 'accepted'; deliveryId: string } | { outcome: 'duplicate'; deliveryId: string | null };

/**
 * Makes a webhook delivery durable: the delivery and its alerts are written in one transaction
 * before the sender gets its 2xx. A redelivery (same content) changes nothing. Correlation into
 * incidents happens on the queue; if Redis is down, the outbox relay enqueues it later.
 */
export async function acceptDelivery(deps: Pick<Deps, 'db' | 'queues' | 'log' | 'clock'>, batch: AlertBatch, raw: unknown, requestId: string): Promise<AcceptResult> {
  const key = contentKey(batch);
  // One statement, so one round trip and atomic on its own: the alerts are written only when the
  // delivery row was inserted (a redelivery inserts nothing and changes nothing).
  const rows = await storeOrUnavailable(deps, () => deps.db.$queryRaw<{ id: string }[]>`
    WITH delivery AS (
      INSERT INTO webhook_deliveries (id, source, content_key, group_key, request_id, payload, received_at)
      VALUES (gen_random_uuid(), ${batch.source}, ${key}, ${batch.groupKey}, ${requestId}, ${JSON.stringify(raw)}::jsonb, ${deps.clock.now()}::timestamp(3))
      ON CONFLICT (content_key) DO NOTHING
      RETURNING id
    ), upserted AS (
      INSERT INTO alerts (id, source, fingerprint, status, name, labels, annotations, starts_at, ends_at, generator_url, group_key, last_delivery_id, updated_at)
      SELECT gen_random_uuid(), a.source, a.fingerprint, a.status, a.name, a.labels, a.annotations, a.starts_at, a.ends_at, a.generator_url, ${batch.groupKey}, delivery.id, now()
      FROM delivery CROSS JOIN (VALUES ${Prisma.join(
        batch.alerts.map(
          (alert) =>
            Prisma.sql`(${alert.source}::text, ${alert.fingerprint}::text, ${alert.status}::"AlertStatus", ${alert.name}::text, ${JSON.stringify(alert.labels)}::jsonb,
              ${JSON.stringify(alert.annotations)}::jsonb, ${alert.startsAt}::timestamp(3), ${alert.endsAt}::timestamp(3), ${alert.generatorUrl}::text)`,
        ),
      )}) AS a (source, fingerprint, status, name, labels, annotations, starts_at, ends_at, generator_url)
      ON CONFLICT (source, fingerprint, starts_at) DO UPDATE SET
        -- a resolution is final for an alert instance: a late or retried "firing" must not undo it
        status = CASE WHEN alerts.status = 'resolved' THEN alerts.status ELSE EXCLUDED.status END,
        ends_at = CASE WHEN alerts.status = 'resolved' THEN alerts.ends_at ELSE EXCLUDED.ends_at END,
        labels = EXCLUDED.labels,
        annotations = EXCLUDED.annotations,
        generator_url = EXCLUDED.generator_url,
        last_delivery_id = EXCLUDED.last_delivery_id,
        updated_at = now()
    )${resolvedElsewhere(batch)}
    SELECT id FROM delivery`);
  const deliveryId = rows[0]?.id ?? null;
  if (deliveryId === null) {
    const existing = await deps.db.webhookDelivery.findUnique({ where: { contentKey: key }, select: { id: true } });
    return { outcome: 'duplicate', deliveryId: existing?.id ?? null };
  }
  // Not awaited: the delivery is durable already, and a slow Redis (its commands time out after
  // 2 s) must not hold the answer past Sentry's 1-second budget. The relay queues what this misses.
  void deps.queues.processDelivery(deliveryId).catch((error: unknown) => {
    deps.log.warn({ err: error, deliveryId }, 'queue unavailable: the delivery is stored and will be queued when Redis is back');
  });
  return { outcome: 'accepted', deliveryId };
}
