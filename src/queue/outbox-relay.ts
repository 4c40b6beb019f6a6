import type { Deps } from '../deps.js';
import { settleLostRun } from '../actions/run-action.js';
import { slackErrorCode } from '../slack/web-client.js';
import { addOrRetry } from './add-or-retry.js';
import { JOB } from './jobs.js';

/** Work younger than this is still in the hands of the request or job that created it. */
const GRACE_MS = 5_000;
const BATCH = 500;
/** A run still `running` this long after it started is looked at: is its job still alive? */
const LOST_AFTER_MS = 10 * 60_000;
/** conversations.archive is Tier 2 (about 20 a minute): a few per pass. */
const ARCHIVE_BATCH = 5;

/**
 * Finds work that Postgres says is pending but the queue may not know about (Redis was down when
 * a webhook arrived, Redis restarted empty, a job failed for good) and queues it again. Runs at
 * start and then periodically on every worker process; queueing twice is harmless.
 */
export async function relayPendingWork(deps: Pick<Deps, 'db' | 'queues' | 'log' | 'runbooks' | 'config' | 'clock' | 'slack' | 'slackHealth'>, graceMs = GRACE_MS): Promise<{ deliveries: number; incidents: number; actionRuns: number }> {
  const before = new Date(Date.now() - graceMs);
  const deliveries = await deps.db.webhookDelivery.findMany({
    where: { processedAt: null, receivedAt: { lt: before } },
    select: { id: true },
    orderBy: { receivedAt: 'asc' },
    take: BATCH,
  });
  const each = eachOnItsOwn(deps);
  await each('delivery', deliveries, ({ id }) => addOrRetry(deps.queues.incidents, JOB.processDelivery, { deliveryId: id }, `delivery-${id}`));
  // While Slack refuses the token the Slack jobs wait on their own; sweeping them again is noise.
  const incidents = deps.slackHealth.blocked ? [] : await deps.db.$queryRaw<{ id: string }[]>`
    SELECT i.id FROM incidents i
    WHERE i.updated_at < ${before}
      AND (i.slack_lease_until IS NULL OR i.slack_lease_until < now())
      AND (i.channel_id IS NULL OR i.message_ts IS NULL OR i.message_synced < i.message_version
           OR EXISTS (SELECT 1 FROM channel_posts p WHERE p.incident_id = i.id AND p.posted_at IS NULL)
           OR EXISTS (SELECT 1 FROM reviews r WHERE r.incident_id = i.id AND r.updated_at < ${before}
                      AND (r.posted_revision < r.revision OR r.summary_revision < r.posted_revision)))
    ORDER BY i.opened_at
    LIMIT ${BATCH}`;
  await each('slack sync', incidents, ({ id }) => addOrRetry(deps.queues.slack, JOB.syncIncident, { incidentId: id }, `sweep-${id}`));
  // Presses accepted while Redis was away. A run between retries is `queued` too: its delayed job
  // still holds the id, so adding it again changes nothing.
  const runs = await deps.db.actionRun.findMany({ where: { status: 'queued', requestedAt: { lt: before } }, select: { id: true }, take: BATCH });
  await each('action run', runs, ({ id }) => addOrRetry(deps.queues.actions, JOB.runAction, { runId: id }, `action-${id}`));
  const lost = await settleLostRuns(deps, new Date(Date.now() - LOST_AFTER_MS)).catch((error: unknown) => {
    deps.log.warn({ err: error }, 'relay: settling lost action runs failed; next pass');
    return 0;
  });
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
  const archived = await (deps.slackHealth.blocked ? Promise.resolve(0) : archiveResolvedChannels(deps)).catch((error: unknown) => {
    deps.log.warn({ err: error }, 'relay: archiving channels failed; next pass');
    return 0;
  });
  const total = deliveries.length + incidents.length + runs.length + lost + archived;
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

/** Archives resolved incidents' channels once `incidents.archive_after` has passed (off when unset). */
async function archiveResolvedChannels(deps: Pick<Deps, 'db' | 'config' | 'slack' | 'log'>): Promise<number> {
  const after = deps.config.incidents.archive_after;
  if (after === undefined) return 0;
  // Not while the review is a draft (its buttons and reminders point to the channel), nor before
  // Slack shows everything owed to the channel (the "done" message, the final file).
  const due = await deps.db.$queryRaw<{ id: string; channelId: string }[]>`
    SELECT i.id, i.channel_id AS "channelId" FROM incidents i
    LEFT JOIN reviews r ON r.incident_id = i.id
    WHERE i.status = 'resolved' AND i.archived_at IS NULL AND i.channel_id IS NOT NULL
      AND i.resolved_at < ${new Date(Date.now() - after)}
      AND (i.slack_lease_until IS NULL OR i.slack_lease_until < now())
      AND (r.id IS NULL OR (r.state = 'done' AND r.posted_revision >= r.revision AND r.summary_revision >= r.posted_revision))
      AND NOT EXISTS (SELECT 1 FROM channel_posts p WHERE p.incident_id = i.id AND p.posted_at IS NULL)
    ORDER BY i.resolved_at
    LIMIT ${ARCHIVE_BATCH}`;
  for (const incident of due) {
    try {
      await deps.slack.conversations.archive({ channel: incident.channelId });
    } catch (error) {
      if (slackErrorCode(error) !== 'already_archived') throw error;
    }
    await deps.db.$transaction([
      deps.db.incident.update({ where: { id: incident.id }, data: { archivedAt: new Date() } }),
      deps.db.timelineEvent.create({ data: { incidentId: incident.id, type: 'slack.channel_archived', actor: 'bot', source: 'worker', data: { channelId: incident.channelId } } }),
    ]);
  }
  return due.length;
}

async function settleLostRuns(deps: Pick<Deps, 'db' | 'queues' | 'log' | 'runbooks' | 'config' | 'clock'>, startedBefore: Date): Promise<number> {
  const running = await deps.db.actionRun.findMany({ where: { status: 'running', startedAt: { lt: startedBefore } }, select: { id: true }, take: BATCH });
  let settled = 0;
  for (const { id } of running) {
    const job = await deps.queues.actions.getJob(`action-${id}`);
    if (job && !(await job.isFailed())) continue;
    deps.log.warn({ runId: id }, 'action run lost its job: settling it as outcome unknown');
    await settleLostRun(deps, id);
    settled++;
  }
  return settled;
}
