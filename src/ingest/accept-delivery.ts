import { z } from 'zod';
import { isDatabaseUnavailable } from '../db/is-database-unavailable.js';
import { UnavailableError } from '../errors.js';
import type { Deps } from '../deps.js';
import type { AlertBatch } from '../incidents/alert-signal.js';
import type { Logger } from '../log.js';
import { contentKey } from './content-key.js';
import type { BotConfig } from '../config/config-file.js';
import { groupCommit } from './group-commit.js';

/** Whether a firing alert of the batch has the most severe of the configured severities. */
function isCritical(batch: AlertBatch, config: BotConfig): boolean {
  const top = config.incidents.severities[0];
  return batch.alerts.some((alert) => alert.status === 'firing' && alert.labels[config.incidents.severity_label] === top);
}

export type AcceptResult = { outcome: 'accepted'; deliveryId: string } | { outcome: 'duplicate'; deliveryId: string | null };

interface Incoming {
  source: AlertBatch['source'];
  contentKey: string;
  groupKey: string;
  requestId: string;
  payload: unknown;
  critical: boolean;
  /** The request's logger. */
  log: Logger;
}

const storedRow = z.object({ id: z.string(), contentKey: z.string(), hasIncident: z.boolean() });
const takenRow = z.object({ id: z.string(), contentKey: z.string() });

/** Deliveries written by one statement at most; Postgres takes them as one JSON parameter. */
const MAX_BATCH = 64;

/**
 * Stores deliveries as they came, in one INSERT per batch, and queues one correlation pass per
 * group the batch brought (one round trip to Redis). A content key the table holds already, or an
 * earlier delivery of the same batch holds, is a duplicate: it answers the stored delivery's id.
 */
async function storeDeliveries(deps: Pick<Deps, 'db' | 'queues' | 'clock'>, batch: Incoming[]): Promise<AcceptResult[]> {
  const input = JSON.stringify(batch.map((delivery, n) => ({ n, source: delivery.source, content_key: delivery.contentKey, group_key: delivery.groupKey, request_id: delivery.requestId, payload: delivery.payload })));
  const inserted = z.array(storedRow).parse(
    await deps.db.$queryRaw`
      WITH delivery AS (
        INSERT INTO webhook_deliveries (id, source, content_key, group_key, request_id, payload, received_at)
        SELECT gen_random_uuid(), source, content_key, group_key, request_id, payload, ${deps.clock.now()}::timestamp(3)
        FROM jsonb_to_recordset(${input}::jsonb) AS input(n int, source text, content_key text, group_key text, request_id text, payload jsonb)
        ORDER BY n
        ON CONFLICT (content_key) DO NOTHING
        RETURNING id, content_key, group_key
      )
      SELECT id, content_key AS "contentKey",
             (EXISTS (SELECT 1 FROM incidents WHERE active_group_key = delivery.group_key)
              OR EXISTS (SELECT 1 FROM incident_keys WHERE active_key = delivery.group_key)) AS "hasIncident"
      FROM delivery`,
  );
  const stored = new Map(inserted.map((row) => [row.contentKey, row]));
  const missing = [...new Set(batch.map((delivery) => delivery.contentKey).filter((key) => !stored.has(key)))];
  const taken =
    missing.length === 0
      ? new Map<string, string>()
      : new Map(z.array(takenRow).parse(await deps.db.$queryRaw`SELECT id::text, content_key AS "contentKey" FROM webhook_deliveries WHERE content_key = ANY(${missing}::text[])`).map((row) => [row.contentKey, row.id]));

  const passes = new Map<string, { groupKey: string; hasIncident: boolean; critical: boolean }>();
  const claimed = new Set<string>();
  const results = batch.map((delivery): AcceptResult => {
    const row = stored.get(delivery.contentKey);
    if (!row || claimed.has(delivery.contentKey)) return { outcome: 'duplicate', deliveryId: row?.id ?? taken.get(delivery.contentKey) ?? null };
    claimed.add(delivery.contentKey);
    const pass = passes.get(delivery.groupKey) ?? { groupKey: delivery.groupKey, hasIncident: true, critical: false };
    passes.set(delivery.groupKey, { groupKey: delivery.groupKey, hasIncident: pass.hasIncident && row.hasIncident, critical: pass.critical || delivery.critical });
    return { outcome: 'accepted', deliveryId: row.id };
  });
  if (passes.size > 0) {
    // Not awaited: the deliveries are durable already, and a slow Redis (its commands time out
    // after 2 s) must not hold the answers past Sentry's 1-second budget. The relay queues what
    // this misses.
    void deps.queues.correlateGroups([...passes.values()]).catch((error: unknown) => {
      batch.forEach((delivery, index) => {
        const result = results[index];
        if (result?.outcome === 'accepted') delivery.log.warn({ err: error, deliveryId: result.deliveryId }, 'queue unavailable: the delivery is stored and will be queued when Redis is back');
      });
    });
  }
  return results;
}

export type AcceptDelivery = (batch: AlertBatch, raw: unknown, requestId: string, log: Logger) => Promise<AcceptResult>;

/**
 * Makes a webhook delivery durable before the sender gets its 2xx: an INSERT of the payload as it
 * came, which a redelivery (same content) finds taken. Deliveries that arrive together share the
 * INSERT (group commit). Their alerts are written by the group's correlation pass on the queue
 * (see correlatePending), so concurrent webhooks of a group never wait on each other; if Redis is
 * down, the outbox relay queues the pass later.
 */
export function deliveryAcceptor(deps: Pick<Deps, 'db' | 'queues' | 'clock' | 'config'>): AcceptDelivery {
  const store = groupCommit((batch: Incoming[]) => storeDeliveries(deps, batch), { maxBatch: MAX_BATCH, maxInFlight: 2 });
  return async (batch, raw, requestId, log) => {
    try {
      return await store({ source: batch.source, contentKey: contentKey(batch), groupKey: batch.groupKey, requestId, payload: raw, critical: isCritical(batch, deps.config), log });
    } catch (error) {
      // Postgres down is transient for the sender (Alertmanager and Sentry retry a 5xx): a 503, never a 4xx.
      if (!isDatabaseUnavailable(error)) throw error;
      log.error({ err: error }, 'database unavailable: asking the sender to retry');
      throw new UnavailableError('the database is unavailable; the sender should retry', 'database_unavailable');
    }
  };
}
