import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { addOrRetry } from './add-or-retry.js';
import { JOB, QUEUE, groupPass, jobId, type GroupPassFacts, type EscalateJob, type HandoffJob, type ScheduledEscalation, type ScheduledReminder, type ScheduledUpdateReminder, type ProcessDeliveryJob, type CorrelateGroupJob, type RemindReviewJob, type RemindUpdateJob, type RunActionJob, type SyncIncidentJob } from './jobs.js';

const RETRY: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 1_000 },
  // Bounded by count as well as age: a storm's jobs must not pile up in Redis and in memory.
  removeOnComplete: { age: 3_600, count: 1_000 },
  removeOnFail: { age: 7 * 86_400, count: 5_000 },
};

/** A correlation pass leaves nothing worth keeping once done; Postgres holds the outcome. */
const CORRELATE: JobsOptions = { ...RETRY, removeOnComplete: { count: 100 } };

/** Typed producers for the bot's queues. */
export class Queues {
  readonly incidents: Queue<CorrelateGroupJob | ProcessDeliveryJob>;
  readonly slack: Queue<SyncIncidentJob>;
  readonly actions: Queue<RunActionJob>;
  readonly escalations: Queue<EscalateJob>;
  readonly reviews: Queue<RemindReviewJob>;
  readonly updates: Queue<RemindUpdateJob>;
  readonly schedules: Queue<HandoffJob>;

  constructor(
    private readonly connection: Redis,
    prefix: string,
  ) {
    this.incidents = new Queue<CorrelateGroupJob | ProcessDeliveryJob>(QUEUE.incidents, { connection, prefix, defaultJobOptions: CORRELATE });
    this.slack = new Queue<SyncIncidentJob>(QUEUE.slack, { connection, prefix, defaultJobOptions: RETRY });
    this.actions = new Queue<RunActionJob>(QUEUE.actions, { connection, prefix, defaultJobOptions: { ...RETRY, attempts: 1 } });
    this.escalations = new Queue<EscalateJob>(QUEUE.escalations, { connection, prefix, defaultJobOptions: RETRY });
    this.reviews = new Queue<RemindReviewJob>(QUEUE.reviews, { connection, prefix, defaultJobOptions: RETRY });
    this.updates = new Queue<RemindUpdateJob>(QUEUE.updates, { connection, prefix, defaultJobOptions: RETRY });
    this.schedules = new Queue<HandoffJob>(QUEUE.schedules, { connection, prefix, defaultJobOptions: RETRY });
  }

  /**
   * A handoff's Slack work. The relay queues it again on every pass until Postgres says it is
   * done (a job that found another worker's claim completes without doing it); the claim and
   * the row's parts keep the work itself once.
   */
  async handoff(handoffId: string): Promise<void> {
    await addOrRetry(this.schedules, JOB.handoff, { handoffId }, jobId.handoff(handoffId));
  }

  /**
   * A correlation pass over a group's pending deliveries. Deduplicated per group: while a pass
   * waits, further deliveries of the group add nothing (it will take them); while one runs, one
   * more is kept to follow it (`keepLastIfActive`), so a delivery stored after the running pass
   * read the group is never left behind. See groupPass for its priority and delay.
   */
  async correlateGroup(groupKey: string, group: GroupPassFacts): Promise<void> {
    await this.correlateGroups([{ groupKey, ...group }]);
  }

  /** Passes for several groups, in one round trip to Redis. */
  async correlateGroups(groups: (GroupPassFacts & { groupKey: string })[]): Promise<void> {
    await this.incidents.addBulk(
      groups.map(({ groupKey, ...group }) => {
        const { priority, delayMs } = groupPass(group);
        return { name: JOB.correlateGroup, data: { groupKey }, opts: { priority, delay: delayMs, deduplication: { id: jobId.group(groupKey), keepLastIfActive: true } } };
      }),
    );
  }

  /** Deduplicated like a correlation pass: a sync reads the incident afresh, so one waiting covers any number of requests. */
  async syncIncident(incidentId: string): Promise<void> {
    await this.slack.add(JOB.syncIncident, { incidentId }, { deduplication: { id: jobId.sync(incidentId), keepLastIfActive: true } });
  }

  /** One delayed sync per incident, for when another worker's lease runs out (that worker may have died). */
  async syncIncidentAfter(incidentId: string, delayMs: number): Promise<void> {
    await addOrRetry(this.slack, JOB.syncIncident, { incidentId }, jobId.afterLease(incidentId), { delay: delayMs });
  }

  /** `attempts` is 1 for a mitigation that must not repeat; the job id makes a redelivery one run. */
  async runAction(runId: string, attempts: number): Promise<void> {
    await this.actions.add(JOB.runAction, { runId }, { jobId: jobId.action(runId), attempts, backoff: { type: 'exponential', delay: 1_000 } });
  }

  // Delays are measured against the wall clock on purpose, not deps.clock: BullMQ stamps a delayed
  // job with this process's Date.now() plus the delay, so the delay must be taken on that base.

  /**
   * A delayed job for an escalation deadline. Its id names incident, step and token, so the relay
   * can add it again after Redis lost it without ever making two.
   */
  async scheduleEscalation(due: ScheduledEscalation): Promise<void> {
    const data = { incidentId: due.incidentId, token: due.token, step: due.step };
    // A completed deadline job has done its step (or found its token spent): never run it again.
    await addOrRetry(this.escalations, JOB.escalate, data, jobId.escalation(data), { delay: Math.max(0, due.dueAt.getTime() - Date.now()) }, false);
  }

  /** A delayed job for a review reminder; like a deadline, its id names review, step and token. */
  async scheduleReviewReminder(reminder: ScheduledReminder): Promise<void> {
    const data = { reviewId: reminder.reviewId, token: reminder.token, step: reminder.step };
    await addOrRetry(this.reviews, JOB.remindReview, data, jobId.reminder(data), { delay: Math.max(0, reminder.at.getTime() - Date.now()) }, false);
  }

  /** Every queue, for metrics and shutdown. */
  all(): Queue[] {
    return [this.incidents, this.slack, this.actions, this.escalations, this.reviews, this.updates, this.schedules];
  }

  /** A delayed job for a stakeholder update reminder; its id names incident and token, so the relay never makes two. */
  async scheduleUpdateReminder(reminder: ScheduledUpdateReminder, now: Date): Promise<void> {
    const data = { incidentId: reminder.incidentId, token: reminder.token };
    await addOrRetry(this.updates, JOB.remindUpdate, data, jobId.updateReminder(data), { delay: Math.max(0, reminder.at.getTime() - now.getTime()) }, false);
  }

  /** Answers when Redis does; fails fast when it is unreachable. */
  async ping(): Promise<void> {
    await this.connection.ping();
  }

  async close(): Promise<void> {
    await Promise.all(this.all().map((queue) => queue.close()));
  }
}
