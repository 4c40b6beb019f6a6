import type { Deps } from '../deps.js';
import type { ScheduledEscalation, ScheduledReminder } from './jobs.js';

type QueueDeps = Pick<Deps, 'queues' | 'log'>;

/**
 * Queues a Slack sync for work a use case just committed. Postgres already holds that work, so a
 * Redis failure here is logged, not thrown: the outbox relay queues it on its next pass.
 */
export async function requestSync(deps: QueueDeps, incidentId: string): Promise<void> {
  await deps.queues.syncIncident(incidentId).catch((error: unknown) => deps.log.warn({ err: error, incidentId }, 'could not queue the Slack sync; the relay will'));
}

/** Queues an escalation deadline that is already in Postgres; the relay rebuilds it if this fails. */
export async function requestDeadline(deps: QueueDeps, due: ScheduledEscalation): Promise<void> {
  await deps.queues.scheduleEscalation(due).catch((error: unknown) => deps.log.warn({ err: error, incidentId: due.incidentId }, 'could not queue the escalation deadline; the relay will'));
}

/** Queues a review reminder that is already in Postgres; the relay rebuilds it if this fails. */
export async function requestReminder(deps: QueueDeps, reminder: ScheduledReminder): Promise<void> {
  await deps.queues.scheduleReviewReminder(reminder).catch((error: unknown) => deps.log.warn({ err: error, reviewId: reminder.reviewId }, 'could not queue the review reminder; the relay will'));
}
