import { isDatabaseUnavailable } from '../db/is-database-unavailable.js';
import { UnavailableError } from '../errors.js';
import type { Deps } from '../deps.js';
import type { AlertBatch } from '../incidents/alert-signal.js';
import { contentKey } from './content-key.js';
import type { BotConfig } from '../config/config-file.js';

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

/** Whether a firing alert of the batch has the most severe of the configured severities. */
function isCritical(batch: AlertBatch, config: BotConfig): boolean {
  const top = config.incidents.severities[0];
  return batch.alerts.some((alert) => alert.status === 'firing' && alert.labels[config.incidents.severity_label] === top);
}

export type AcceptResult = { outcome: 'accepted'; deliveryId: string } | { outcome: 'duplicate'; deliveryId: string | null };

/**
 * Makes a webhook delivery durable before the sender gets its 2xx: one INSERT of the payload as
 * it came, which a redelivery (same content) finds taken. Its alerts are written by the group's
 * correlation pass on the queue (see correlatePending), so concurrent webhooks of a group never
 * wait on each other; if Redis is down, the outbox relay queues the pass later.
 */
export async function acceptDelivery(deps: Pick<Deps, 'db' | 'queues' | 'log' | 'clock' | 'config'>, batch: AlertBatch, raw: unknown, requestId: string): Promise<AcceptResult> {
  const key = contentKey(batch);
  const rows = await storeOrUnavailable(deps, () => deps.db.$queryRaw<{ id: string; hasIncident: boolean }[]>`
    WITH delivery AS (
      INSERT INTO webhook_deliveries (id, source, content_key, group_key, request_id, payload, received_at)
      VALUES (gen_random_uuid(), ${batch.source}, ${key}, ${batch.groupKey}, ${requestId}, ${JSON.stringify(raw)}::jsonb, ${deps.clock.now()}::timestamp(3))
      ON CONFLICT (content_key) DO NOTHING
      RETURNING id
    )
    SELECT id, (EXISTS (SELECT 1 FROM incidents WHERE active_group_key = ${batch.groupKey})
             OR EXISTS (SELECT 1 FROM incident_keys WHERE active_key = ${batch.groupKey})) AS "hasIncident"
    FROM delivery`);
  const deliveryId = rows[0]?.id ?? null;
  if (deliveryId === null) {
    const existing = await deps.db.webhookDelivery.findUnique({ where: { contentKey: key }, select: { id: true } });
    return { outcome: 'duplicate', deliveryId: existing?.id ?? null };
  }
  // Not awaited: the delivery is durable already, and a slow Redis (its commands time out after
  // 2 s) must not hold the answer past Sentry's 1-second budget. The relay queues what this misses.
  void deps.queues.correlateGroup(batch.groupKey, { hasIncident: rows[0]?.hasIncident ?? false, critical: isCritical(batch, deps.config) }).catch((error: unknown) => {
    deps.log.warn({ err: error, deliveryId }, 'queue unavailable: the delivery is stored and will be queued when Redis is back');
  });
  return { outcome: 'accepted', deliveryId };
}
