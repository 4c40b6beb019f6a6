import type { Deps } from '../deps.js';
import { addOrRetry } from './add-or-retry.js';
import { JOB, jobId } from './jobs.js';

/** Work younger than this is still in the hands of the request or job that created it. */
const GRACE_MS = 5_000;
const BATCH = 500;

/**
 * Finds work that Postgres says is pending but the queue may not know about (Redis was down when
 * a webhook arrived, Redis restarted empty, a job failed for good) and queues it again. Runs at
 * start and then periodically on every worker process; queueing twice is harmless.
 */
export async function relayPendingWork(deps: Pick<Deps, 'db' | 'queues' | 'log' | 'runbooks' | 'config' | 'clock'>, graceMs = GRACE_MS, options: { sweepSlack?: boolean } = {}): Promise<{ deliveries: number; incidents: number; actionRuns: number }> {
  // Wall-clock time on purpose: the grace is compared with `updated_at`, which Prisma stamps with
  // the host's clock, and with job states kept by Redis.
  const before = new Date(Date.now() - graceMs);
  // One pass per alert group takes all of its pending deliveries; a delivery stored without its
  // group (by an earlier version) is queued on its own and finds its group on the worker.
  const deliveries = await deps.db.$queryRaw<{ groupKey: string | null; id: string | null; hasIncident: boolean }[]>`
    SELECT d.group_key AS "groupKey", CASE WHEN d.group_key IS NULL THEN d.id::text END AS id,
      (EXISTS (SELECT 1 FROM incidents WHERE active_group_key = d.group_key)
       OR EXISTS (SELECT 1 FROM incident_keys WHERE active_key = d.group_key)) AS "hasIncident"
    FROM webhook_deliveries d
    WHERE d.processed_at IS NULL AND d.received_at < ${before}
    GROUP BY 1, 2
    ORDER BY min(d.received_at)
    LIMIT ${BATCH}`;
  const each = eachOnItsOwn(deps);
  await each('delivery', deliveries, async ({ groupKey, id, hasIncident }) => {
    if (groupKey !== null) await deps.queues.correlateGroup(groupKey, { hasIncident, critical: false });
    else if (id !== null) await addOrRetry(deps.queues.incidents, JOB.processDelivery, { deliveryId: id }, jobId.delivery(id));
  });
  // While Slack refuses the token the Slack jobs wait on their own; sweeping them again is noise.
  const incidents = options.sweepSlack === false ? [] : await deps.db.$queryRaw<{ id: string }[]>`
    SELECT i.id FROM incidents i
    WHERE i.updated_at < ${before}
      AND (i.slack_lease_until IS NULL OR i.slack_lease_until < now())
      AND (i.channel_id IS NULL OR i.message_ts IS NULL OR i.message_synced < i.message_version
           OR EXISTS (SELECT 1 FROM channel_posts p WHERE p.incident_id = i.id AND p.posted_at IS NULL)
           OR EXISTS (SELECT 1 FROM reviews r WHERE r.incident_id = i.id AND r.updated_at < ${before}
                      AND (r.posted_revision < r.revision OR r.summary_revision < r.posted_revision)))
    ORDER BY i.opened_at
    LIMIT ${BATCH}`;
  await each('slack sync', incidents, ({ id }) => addOrRetry(deps.queues.slack, JOB.syncIncident, { incidentId: id }, jobId.sweep(id)));
  // Presses accepted while Redis was away. A run between retries is `queued` too: its delayed job
  // still holds the id, so adding it again changes nothing.
  const runs = await deps.db.actionRun.findMany({ where: { status: 'queued', requestedAt: { lt: before } }, select: { id: true }, take: BATCH });
  await each('action run', runs, ({ id }) => addOrRetry(deps.queues.actions, JOB.runAction, { runId: id }, jobId.action(id)));
  // Escalation deadlines live in Postgres; after a restart or an empty Redis their jobs come back here.
  const deadlines = await deps.db.$queryRaw<{ id: string; token: string; due: Date; step: number }[]>`
    SELECT i.id, i.escalation_token AS token, i.next_escalation_at AS due, (COALESCE(MAX(e.step), 0) + 1)::int AS step
    FROM incidents i LEFT JOIN escalations e ON e.incident_id = i.id
    WHERE i.status IN ('open', 'reopened') AND i.escalation_token IS NOT NULL AND i.next_escalation_at IS NOT NULL
    GROUP BY i.id
    LIMIT ${BATCH * 4}`;
  await each('escalation deadline', deadlines, (deadline) => deps.queues.scheduleEscalation({ incidentId: deadline.id, token: deadline.token, step: deadline.step, dueAt: deadline.due }));
  // Review reminders, likewise.
  const reminders = await deps.db.review.findMany({
    where: { state: 'draft', nextReminderAt: { not: null }, reminderToken: { not: null } },
    select: { id: true, reminderStep: true, reminderToken: true, nextReminderAt: true },
    take: BATCH * 4,
  });
  await each('review reminder', reminders, (review) => deps.queues.scheduleReviewReminder({ reviewId: review.id, step: review.reminderStep, token: review.reminderToken as string, at: review.nextReminderAt as Date }));
  // Schedule handoffs recorded in Postgres whose Slack work is not done yet.
  const handoffs = await deps.db.scheduleHandoff.findMany({ where: { doneAt: null }, orderBy: { startsAt: 'asc' }, select: { id: true }, take: BATCH });
  await each('schedule handoff', handoffs, ({ id }) => deps.queues.handoff(id));
  const total = deliveries.length + incidents.length + runs.length + handoffs.length;
  if (total > 0) deps.log.info({ deliveries: deliveries.length, incidents: incidents.length, actionRuns: runs.length }, 'relayed pending work to the queue');
  return { deliveries: deliveries.length, incidents: incidents.length, actionRuns: runs.length };
}

/**
 * Runs the step for every item, each on its own: one failure (two workers retrying the same
 * failed job at once, a Redis hiccup) is logged and must not skip the rest of the pass, least of
 * all the escalation deadlines that only this pass rebuilds.
 */
function eachOnItsOwn(deps: Pick<Deps, 'log'>) {
  return async <T>(what: string, items: readonly T[], step: (item: T) => Promise<unknown>): Promise<void> => {
    for (const item of items) {
      try {
        await step(item);
      } catch (error) {
        deps.log.warn({ err: error, item }, `relay: could not queue a ${what}; next pass`);
      }
    }
  };
}
