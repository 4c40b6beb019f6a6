import type { Deps } from '../deps.js';
import type { RemindReviewJob } from '../queue/jobs.js';
import { recordEvents } from '../record/timeline.js';
import { lockIncidentAndReview } from './lock-review.js';
import { nextReminder, reminderKind, type ScheduledReminder } from './reminder-schedule.js';
import { randomUUID } from 'node:crypto';
import { recordPost } from '../record/channel-post.js';

export type ReminderJob = RemindReviewJob;

/** A job that fires this much early (clock skew between Redis and Postgres hosts) still counts. */
const EARLY_TOLERANCE_MS = 1_000;

/**
 * Runs when a review reminder is due. Under the review's row lock it does nothing unless the
 * review is still a draft and the job carries the review's current token and step: marking it
 * done, a reopen or a new resolution spends the token, and a duplicate job changes nothing.
 * Posts the reminder (the Slack sync mentions and messages the owner) and plans the next one.
 */
export async function remindAboutReview(deps: Pick<Deps, 'db' | 'clock' | 'config' | 'log'>, job: ReminderJob): Promise<{ incidentId: string; next: ScheduledReminder | null } | null> {
  const now = deps.clock.now();
  const target = await deps.db.review.findUnique({ where: { id: job.reviewId }, select: { incidentId: true } });
  if (!target) return null;
  return deps.db.$transaction(async (tx) => {
    const review = (await lockIncidentAndReview(tx, target.incidentId))?.review;
    if (!review || review.id !== job.reviewId || review.state !== 'draft' || review.reminderToken !== job.token || review.reminderStep !== job.step || !review.nextReminderAt) return null;
    // Early (the clocks of Redis and this host disagree): plan it again for its time, under a new
    // token, since this job's id is spent once it completes.
    if (review.nextReminderAt.getTime() - now.getTime() > EARLY_TOLERANCE_MS) {
      const token = randomUUID();
      await tx.review.update({ where: { id: review.id }, data: { reminderToken: token } });
      return { incidentId: review.incidentId, next: { reviewId: review.id, step: review.reminderStep, token, at: review.nextReminderAt } };
    }
    const kind = reminderKind(job.step);
    const data = { reviewId: review.id, step: job.step, kind, owner: review.owner, dueAt: review.dueAt.toISOString() };
    await recordPost(tx, review.incidentId, { kind: 'review_reminder', data: data });
    await recordEvents(tx, [{ incidentId: review.incidentId, type: 'review.reminded', actor: 'bot', source: 'worker', at: now, data }]);
    const next = nextReminder(job.step + 1, review.dueAt, now, deps.config.reviews);
    const token = next ? randomUUID() : null;
    await tx.review.update({ where: { id: review.id }, data: { reminderStep: next?.step ?? job.step + 1, nextReminderAt: next?.at ?? null, reminderToken: token } });
    deps.log.info({ incidentId: review.incidentId, reviewId: review.id, step: job.step, kind }, 'review reminder posted');
    return { incidentId: review.incidentId, next: next && token ? { reviewId: review.id, step: next.step, token, at: next.at } : null };
  });
}
