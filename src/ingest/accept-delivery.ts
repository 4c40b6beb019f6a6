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
  /** When the request came, not when its batch was written: a pass correlates deliveries in this order. */
  receivedAt: Date;
  critical: boolean;
  /** The request's logger. */
  log: Logger;
}

const storedRow = z.object({ id: z.string(), contentKey: z.string(), hasIncident: z.boolean() });
const takenRow = z.object({ id: z.string(), contentKey: z.string() });

/** Deliveries written by one statement at most; Postgres takes them as one JSON parameter. */
const MAX_BATCH = 64;

/** The batch's INSERT failed, so none of its deliveries is stored. */
class NotStoredError extends Error {
  override name = 'NotStoredError';
  constructor(cause: unknown) {
    super('the deliveries were not stored', { cause });
  }
}

/** One INSERT of the batch; answers the deliveries it stored (a content key stored already is skipped), and whether their groups have an incident. */
async function insertDeliveries(deps: Pick<Deps, 'db'>, batch: Incoming[]): Promise<z.infer<typeof storedRow>[]> {
  const input = JSON.stringify(
    batch.map((delivery, n) => ({ n, source: delivery.source, content_key: delivery.contentKey, group_key: delivery.groupKey, request_id: delivery.requestId, payload: delivery.payload, received_at: delivery.receivedAt.toISOString() })),
  );
  let rows: unknown;
  try {
    rows = await deps.db.$queryRaw`
      WITH delivery AS (
        INSERT INTO webhook_deliveries (id, source, content_key, group_key, request_id, payload, received_at)
        SELECT gen_random_uuid(), source, content_key, group_key, request_id, payload, received_at AT TIME ZONE 'UTC'
        FROM jsonb_to_recordset(${input}::jsonb) AS input(n int, source text, content_key text, group_key text, request_id text, payload jsonb, received_at timestamptz)
        ORDER BY n
        ON CONFLICT (content_key) DO NOTHING
        RETURNING id, content_key, group_key
      )
      SELECT id::text, content_key AS "contentKey",
             (EXISTS (SELECT 1 FROM incidents WHERE active_group_key = delivery.group_key)
              OR EXISTS (SELECT 1 FROM incident_keys WHERE active_key = delivery.group_key)) AS "hasIncident"
      FROM delivery`;
  } catch (error) {
    throw new NotStoredError(error);
  }
  return z.array(storedRow).parse(rows);
}

/**
 * Stores deliveries as they came, in one INSERT per batch, and queues one correlation pass per
 * group the batch brought (one round trip to Redis). A content key the table holds already, or an
 * earlier delivery of the same batch holds, is a duplicate: it answers the stored delivery's id.
 */
async function storeDeliveries(deps: Pick<Deps, 'db' | 'queues'>, batch: Incoming[]): Promise<AcceptResult[]> {
  const stored = new Map((await insertDeliveries(deps, batch)).map((row) => [row.contentKey, row]));
  // The first delivery of each stored content key is the one accepted; the rest are duplicates of
  // it. Each group an accepted delivery belongs to gets a pass.
  const claimed = new Set<string>();
  const passes = new Map<string, { groupKey: string; hasIncident: boolean; critical: boolean }>();
  const accepted = batch.map((delivery) => {
    const row = stored.get(delivery.contentKey);
    if (!row || claimed.has(delivery.contentKey)) return false;
    claimed.add(delivery.contentKey);
    const pass = passes.get(delivery.groupKey) ?? { groupKey: delivery.groupKey, hasIncident: true, critical: false };
    passes.set(delivery.groupKey, { groupKey: delivery.groupKey, hasIncident: pass.hasIncident && row.hasIncident, critical: pass.critical || delivery.critical });
    return true;
  });
  if (passes.size > 0) {
    // Not awaited: the deliveries are durable already, and a slow Redis (its commands time out
    // after 2 s) must not hold the answers past Sentry's 1-second budget. The relay queues what
    // this misses.
    void deps.queues.correlateGroups([...passes.values()]).catch((error: unknown) => {
      batch.forEach((delivery, index) => {
        if (accepted[index]) delivery.log.warn({ err: error, deliveryId: stored.get(delivery.contentKey)?.id }, 'queue unavailable: the delivery is stored and will be queued when Redis is back');
      });
    });
  }

  const missing = [...new Set(batch.map((delivery) => delivery.contentKey).filter((key) => !stored.has(key)))];
  const taken =
    missing.length === 0
      ? new Map<string, string>()
      : new Map(z.array(takenRow).parse(await deps.db.$queryRaw`SELECT id::text, content_key AS "contentKey" FROM webhook_deliveries WHERE content_key = ANY(${missing}::text[])`).map((row) => [row.contentKey, row.id]));
  return batch.map((delivery, index): AcceptResult => {
    const id = stored.get(delivery.contentKey)?.id;
    if (id !== undefined && accepted[index]) return { outcome: 'accepted', deliveryId: id };
    return { outcome: 'duplicate', deliveryId: id ?? taken.get(delivery.contentKey) ?? null };
  });
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
  const store = groupCommit((batch: Incoming[]) => storeDeliveries(deps, batch), {
    maxBatch: MAX_BATCH,
    // One write at a time, so batches commit in the order their requests came: a pass can never
    // take a delivery of its group before an earlier one has committed. Two measured no faster.
    maxInFlight: 1,
    // A delivery Postgres refuses, for a reason parseJsonBody and boundedKey do not foresee, fails
    // only its own request; a database that is down fails the batch at once.
    retryAlone: (error) => error instanceof NotStoredError && !isDatabaseUnavailable(error),
  });
  return async (batch, raw, requestId, log) => {
    try {
      return await store({ source: batch.source, contentKey: contentKey(batch), groupKey: batch.groupKey, requestId, payload: raw, receivedAt: deps.clock.now(), critical: isCritical(batch, deps.config), log });
    } catch (thrown) {
      const error = thrown instanceof NotStoredError ? thrown.cause : thrown;
      // Postgres down is transient for the sender (Alertmanager and Sentry retry a 5xx): a 503, never a 4xx.
      if (!isDatabaseUnavailable(error)) throw error;
      log.error({ err: error }, 'database unavailable: asking the sender to retry');
      throw new UnavailableError('the database is unavailable; the sender should retry', 'database_unavailable');
    }
  };
}
