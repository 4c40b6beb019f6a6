import { createHash } from 'node:crypto';
import { z } from 'zod';

/**
 * The queue registry: queue names, job names, payload schemas and job ids, in one place. Workers
 * are wired in `src/app/`; producers are the typed methods of `Queues`.
 */

/** Queue names; each queue's jobs and their payload schemas are listed below. */
export const QUEUE = {
  /** Correlating stored webhook deliveries into incidents. */
  incidents: 'incidents',
  /** Bringing an incident's Slack channel up to date with Postgres. */
  slack: 'slack',
  /** Running runbook actions pressed in Slack. */
  actions: 'actions',
  /** Escalation deadlines: delayed jobs, rebuilt from Postgres by the relay. */
  escalations: 'escalations',
  /** Review reminders: delayed jobs, rebuilt from Postgres by the relay. */
  reviews: 'reviews',
  /** Stakeholder update reminders: delayed jobs, rebuilt from Postgres by the relay. */
  updates: 'updates',
  /** Schedule handoffs (notice, direct message, user-group sync): queued by the relay from Postgres. */
  schedules: 'schedules',
} as const;

export type QueueName = (typeof QUEUE)[keyof typeof QUEUE];

export const JOB = {
  /** Correlates every pending delivery of one alert group in one pass. */
  correlateGroup: 'correlate-group',
  /** One stored delivery (jobs queued by earlier versions): correlated with the rest of its group. */
  processDelivery: 'process-delivery',
  syncIncident: 'sync-incident',
  runAction: 'run-action',
  escalate: 'escalate',
  remindReview: 'remind-review',
  remindUpdate: 'remind-update',
  handoff: 'handoff',
} as const;

export const correlateGroupJob = z.object({ groupKey: z.string().min(1) });
export const processDeliveryJob = z.object({ deliveryId: z.uuid() });
export const syncIncidentJob = z.object({ incidentId: z.uuid() });

export const runActionJob = z.object({ runId: z.uuid() });

export const escalateJob = z.object({ incidentId: z.uuid(), token: z.uuid(), step: z.number().int().min(2) });

export const remindReviewJob = z.object({ reviewId: z.uuid(), token: z.uuid(), step: z.number().int().min(0) });

export const remindUpdateJob = z.object({ incidentId: z.uuid(), token: z.uuid() });

export type RemindUpdateJob = z.infer<typeof remindUpdateJob>;
export const handoffJob = z.object({ handoffId: z.uuid() });

export type HandoffJob = z.infer<typeof handoffJob>;
export type RemindReviewJob = z.infer<typeof remindReviewJob>;
export type EscalateJob = z.infer<typeof escalateJob>;
export type RunActionJob = z.infer<typeof runActionJob>;
export type ProcessDeliveryJob = z.infer<typeof processDeliveryJob>;
export type CorrelateGroupJob = z.infer<typeof correlateGroupJob>;
export type SyncIncidentJob = z.infer<typeof syncIncidentJob>;

/** A deadline to put on the queue after the transaction that planned it commits. */
export interface ScheduledEscalation extends EscalateJob {
  dueAt: Date;
}

/** A reminder to put on the queue after the transaction that planned it commits. */
export interface ScheduledReminder extends RemindReviewJob {
  at: Date;
}

/** An update reminder to put on the queue after the transaction that planned it commits. */
export interface ScheduledUpdateReminder extends RemindUpdateJob {
  at: Date;
}

/**
 * Job ids. An id dedupes while the job is stored; those of delayed jobs name their token, so the
 * relay can add them again after Redis lost them without ever making two.
 */
export const jobId = {
  delivery: (deliveryId: string) => `delivery-${deliveryId}`,
  /** A deduplication id rather than a job id: at most one waiting and one running pass per group. */
  group: (groupKey: string) => `group-${createHash('sha256').update(groupKey).digest('hex').slice(0, 32)}`,
  /** Likewise: at most one waiting and one running Slack sync per incident. */
  sync: (incidentId: string) => `sync-${incidentId}`,
  action: (runId: string) => `action-${runId}`,
  sweep: (incidentId: string) => `sweep-${incidentId}`,
  /** The sync that comes back when another worker's Slack lease runs out. */
  afterLease: (incidentId: string) => `lease-${incidentId}`,
  escalation: (job: EscalateJob) => `escalate-${job.incidentId}-${job.step}-${job.token}`,
  reminder: (job: RemindReviewJob) => `review-${job.reviewId}-${job.step}-${job.token}`,
  updateReminder: (job: RemindUpdateJob) => `update-${job.incidentId}-${job.token}`,
  handoff: (handoffId: string) => `handoff-${handoffId}`,
};

/** What decides when a group's correlation pass runs. */
export interface GroupPassFacts {
  /** The group has an incident already: the pass records changes rather than opening one. */
  hasIncident: boolean;
  critical: boolean;
  /** The pass follows one that left deliveries of the group behind (more than one pass takes). */
  followUp?: boolean;
}

/**
 * How long a pass that updates an open incident waits before it runs. Alertmanager sends a group's
 * whole state each time, so the deliveries that arrive in this window are correlated in one pass:
 * in a storm the passes per group stay bounded however fast notifications come, and the incident
 * message is brought up to date once a second at most. New groups never wait.
 */
export const UPDATE_PASS_DELAY_MS = 1_000;

/**
 * BullMQ priority (1 runs first) and delay of a group's correlation pass: a group without an
 * incident before updates of incidents already open, critical before the rest, so a new critical
 * alert never waits behind a storm's backlog.
 */
export function groupPass(group: GroupPassFacts): { priority: number; delayMs: number } {
  return { priority: (group.hasIncident ? 3 : 1) + (group.critical ? 0 : 1), delayMs: group.hasIncident && !group.followUp ? UPDATE_PASS_DELAY_MS : 0 };
}
