import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Deps } from '../deps.js';
import { correlatePending } from '../incidents/correlate-pending.js';
import { groupOfDelivery } from '../incidents/group-of-delivery.js';
import { batchFromDelivery } from '../ingest/batch-from-delivery.js';
import { syncIncident } from '../slack/sync-incident.js';
import { runAction } from '../actions/run-action.js';
import { escalateOnDeadline } from '../escalation/escalate-on-deadline.js';
import { remindAboutReview } from '../review/remind-about-review.js';
import { remindAboutUpdate } from '../comms/remind-about-update.js';
import { requestUpdateReminder } from '../comms/request-update-reminder.js';
import { performHandoff } from '../slack/perform-handoff.js';
import { JOB, QUEUE, correlateGroupJob, escalateJob, handoffJob, processDeliveryJob, remindReviewJob, remindUpdateJob, runActionJob, syncIncidentJob } from '../queue/jobs.js';
import { requestSync } from '../queue/queue-after-commit.js';
import type { RedisOutage } from '../queue/redis-outage.js';
import { blocksSlackWork } from '../slack/slack-health.js';
import { slackErrorCode } from '../slack/web-client.js';
import { childLog } from '../log.js';

export interface WorkerOptions {
  connection: Redis;
  prefix: string;
  concurrency?: { incidents?: number; slack?: number; actions?: number; escalations?: number; reviews?: number; updates?: number; schedules?: number };
  /**
   * How long a job's lock lasts without renewal (BullMQ renews it every half of this while the job
   * runs): a job of a worker that died is taken over between this and one and a half times this.
   */
  lockDurationMs?: number;
  /** How long a Slack job waits while Slack refuses the token (it is resumed early once fixed). */
  slackRecheckMs?: number;
  /** Connection errors while Redis is unreachable are logged once per outage, not per worker and retry. */
  redisOutage?: RedisOutage;
}

async function waitForSlack(job: Job, token: string | undefined, waitMs = 30_000): Promise<never> {
  await job.moveToDelayed(Date.now() + waitMs, token);
  throw new DelayedError();
}

function parse<T>(schema: { safeParse(data: unknown): { success: true; data: T } | { success: false; error: Error } }, job: Job): T {
  const parsed = schema.safeParse(job.data);
  if (!parsed.success) throw new UnrecoverableError(`job ${job.name} has an invalid payload: ${parsed.error.message}`);
  return parsed.data;
}

/** The alert group a correlation job names; a delivery job (queued by an earlier version) names it through its delivery. */
async function groupOfJob(deps: Deps, job: Job): Promise<string | null> {
  if (job.name === JOB.correlateGroup) return parse(correlateGroupJob, job).groupKey;
  if (job.name !== JOB.processDelivery) throw new UnrecoverableError(`unknown job ${job.name}`);
  return groupOfDelivery(deps, parse(processDeliveryJob, job).deliveryId, batchFromDelivery);
}

/** The processors: each parses its payload and calls one use case. */
export function startWorkers(deps: Deps, options: WorkerOptions): Worker[] {
  const lockDuration = options.lockDurationMs ?? 6_000;
  // The stalled check looks for expired locks this often: half the lock, so a dead worker's job
  // waits at most one and a half locks.
  const common = { connection: options.connection, prefix: options.prefix, autorun: true, lockDuration, stalledInterval: Math.max(500, Math.floor(lockDuration / 2)), maxStalledCount: 1 };
  const incidents = new Worker(
    QUEUE.incidents,
    async (job) => {
      const groupKey = await groupOfJob(deps, job);
      if (groupKey === null) return { processed: 0 };
      const outcome = await correlatePending(deps, groupKey, batchFromDelivery);
      for (const escalation of outcome.escalations) await deps.queues.scheduleEscalation(escalation);
      for (const reminder of outcome.reminders) await deps.queues.scheduleReviewReminder(reminder);
      for (const incidentId of outcome.incidentIds) await deps.queues.syncIncident(incidentId);
      // A backlog longer than one pass: the next pass follows this one (kept while this one runs).
      if (outcome.more) await deps.queues.correlateGroup(groupKey, { hasIncident: true, critical: false, followUp: true });
      if (outcome.processed > 0) deps.log.debug({ jobId: job.id, groupKey, processed: outcome.processed, incidentIds: outcome.incidentIds }, 'correlated a group');
      return { processed: outcome.processed, opened: outcome.opened };
    },
    { ...common, concurrency: options.concurrency?.incidents ?? 8 },
  );
  const slack = new Worker(
    QUEUE.slack,
    async (job, token) => {
      if (job.name !== JOB.syncIncident) throw new UnrecoverableError(`unknown job ${job.name}`);
      const { incidentId } = parse(syncIncidentJob, job);
      // While Slack refuses the token, the job waits (without using up its attempts or logging
      // each time) and is resumed once the token is fixed.
      if (deps.slackHealth.blocked) return waitForSlack(job, token, options.slackRecheckMs);
      try {
        const held = await syncIncident({ ...deps, log: childLog(deps.log, { jobId: job.id, incidentId }) }, incidentId);
        // A little past the lease's end, so that the holder's own release comes first when it is alive.
        if (held) await deps.queues.syncIncidentAfter(incidentId, held.leaseHeldForMs + 250);
      } catch (error) {
        if (blocksSlackWork(slackErrorCode(error))) return waitForSlack(job, token, options.slackRecheckMs);
        throw error;
      }
    },
    { ...common, concurrency: options.concurrency?.slack ?? 8 },
  );
  const actions = new Worker(
    QUEUE.actions,
    async (job) => {
      if (job.name !== JOB.runAction) throw new UnrecoverableError(`unknown job ${job.name}`);
      const { runId } = parse(runActionJob, job);
      const run = await deps.db.actionRun.findUnique({ where: { id: runId }, select: { incidentId: true } });
      if (!run) throw new UnrecoverableError(`action run ${runId} does not exist`);
      const sync = () => requestSync(deps, run.incidentId);
      try {
        // The thread shows "running …" while the action runs, not only once it is done.
        await runAction({ ...deps, log: childLog(deps.log, { jobId: job.id }) }, runId, { canRetry: job.attemptsMade + 1 < (job.opts.attempts ?? 1), onStarted: sync });
      } finally {
        await sync();
      }
    },
    { ...common, concurrency: options.concurrency?.actions ?? 16 },
  );
  const escalations = new Worker(
    QUEUE.escalations,
    async (job) => {
      if (job.name !== JOB.escalate) throw new UnrecoverableError(`unknown job ${job.name}`);
      const deadline = parse(escalateJob, job);
      const next = await escalateOnDeadline({ ...deps, log: childLog(deps.log, { jobId: job.id, incidentId: deadline.incidentId }) }, deadline);
      if (next) await deps.queues.scheduleEscalation(next);
      await deps.queues.syncIncident(deadline.incidentId);
    },
    { ...common, concurrency: options.concurrency?.escalations ?? 8 },
  );
  const reviews = new Worker(
    QUEUE.reviews,
    async (job) => {
      if (job.name !== JOB.remindReview) throw new UnrecoverableError(`unknown job ${job.name}`);
      const reminder = parse(remindReviewJob, job);
      const outcome = await remindAboutReview({ ...deps, log: childLog(deps.log, { jobId: job.id, reviewId: reminder.reviewId }) }, reminder);
      if (!outcome) return;
      if (outcome.next) await deps.queues.scheduleReviewReminder(outcome.next);
      await deps.queues.syncIncident(outcome.incidentId);
    },
    { ...common, concurrency: options.concurrency?.reviews ?? 4 },
  );
  const updates = new Worker(
    QUEUE.updates,
    async (job) => {
      if (job.name !== JOB.remindUpdate) throw new UnrecoverableError(`unknown job ${job.name}`);
      const reminder = parse(remindUpdateJob, job);
      const outcome = await remindAboutUpdate({ ...deps, log: deps.log.child({ jobId: job.id, incidentId: reminder.incidentId }) }, reminder);
      if (outcome?.next) await requestUpdateReminder(deps, outcome.next);
      if (outcome?.sync) await deps.queues.syncIncident(reminder.incidentId);
    },
    { ...common, concurrency: options.concurrency?.updates ?? 4 },
  );
  const schedules = new Worker(
    QUEUE.schedules,
    async (job) => {
      if (job.name !== JOB.handoff) throw new UnrecoverableError(`unknown job ${job.name}`);
      const { handoffId } = parse(handoffJob, job);
      return performHandoff({ ...deps, log: deps.log.child({ jobId: job.id, handoffId }) }, handoffId);
    },
    { ...common, concurrency: options.concurrency?.schedules ?? 2 },
  );
  for (const worker of [incidents, slack, actions, escalations, reviews, updates, schedules]) {
    worker.on('failed', (job, error) => deps.log.warn({ queue: worker.name, jobId: job?.id, attempts: job?.attemptsMade, err: error }, 'job failed'));
    worker.on('error', (error) => {
      if (!options.redisOutage?.failed(error)) deps.log.error({ queue: worker.name, err: error }, 'worker error');
    });
  }
  return [incidents, slack, actions, escalations, reviews, updates, schedules];
}
