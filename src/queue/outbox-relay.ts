import type { Deps } from '../deps.js';
import { addOrRetry } from './add-or-retry.js';
import { JOB } from './jobs.js';

/** Work younger than this is still in the hands of the request or job that created it. */
const GRACE_MS = 5_000;
const BATCH = 500;

/**
 * Finds work that Postgres says is pending but the queue may not know about (Redis was down when
 * a webhook arrived, Redis restarted empty, a job failed for good) and queues it again. Runs at
 * start and then periodically on every worker process; queueing twice is harmless.
 */
export async function relayPendingWork(deps: Pick<Deps, 'db' | 'queues' | 'log'>, graceMs = GRACE_MS): Promise<{ deliveries: number; incidents: number; actionRuns: number }> {
  const before = new Date(Date.now() - graceMs);
  const deliveries = await deps.db.webhookDelivery.findMany({
    where: { processedAt: null, receivedAt: { lt: before } },
    select: { id: true },
    orderBy: { receivedAt: 'asc' },
    take: BATCH,
  });
  for (const { id } of deliveries) {
    await addOrRetry(deps.queues.incidents, JOB.processDelivery, { deliveryId: id }, `delivery-${id}`);
  }
  const incidents = await deps.db.$queryRaw<{ id: string }[]>`
    SELECT i.id FROM incidents i
    WHERE i.updated_at < ${before}
      AND (i.slack_lease_until IS NULL OR i.slack_lease_until < now())
      AND (i.channel_id IS NULL OR i.message_ts IS NULL OR i.message_synced < i.message_version
           OR EXISTS (SELECT 1 FROM channel_posts p WHERE p.incident_id = i.id AND p.posted_at IS NULL))
    ORDER BY i.opened_at
    LIMIT ${BATCH}`;
  for (const { id } of incidents) {
    await addOrRetry(deps.queues.slack, JOB.syncIncident, { incidentId: id }, `sweep-${id}`);
  }
  // Presses accepted while Redis was away. A run between retries is `queued` too: its delayed job
  // still holds the id, so adding it again changes nothing.
  const runs = await deps.db.actionRun.findMany({ where: { status: 'queued', requestedAt: { lt: before } }, select: { id: true }, take: BATCH });
  for (const { id } of runs) {
    await addOrRetry(deps.queues.actions, JOB.runAction, { runId: id }, `action-${id}`);
  }
  const total = deliveries.length + incidents.length + runs.length;
  if (total > 0) deps.log.info({ deliveries: deliveries.length, incidents: incidents.length, actionRuns: runs.length }, 'relayed pending work to the queue');
  return { deliveries: deliveries.length, incidents: incidents.length, actionRuns: runs.length };
}
