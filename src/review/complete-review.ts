import type { Deps } from '../deps.js';
import { recordEvents } from '../record/timeline.js';
import { requestSync } from '../queue/queue-after-commit.js';
import { reviewManagers } from './may-manage-review.js';
import { lockIncidentAndReview } from './lock-review.js';
import { recordPost } from '../record/channel-post.js';

export type CompleteOutcome = { kind: 'done'; onTime: boolean } | { kind: 'already'; by: string | null } | { kind: 'no_review' } | { kind: 'incident_open' } | { kind: 'refused'; owner: string | null };

/**
 * `/incident review done`: the owner, or anyone who may resolve the incident (its policy's
 * people and the configured responders), marks the review complete. Reminders stop.
 */
export async function completeReview(deps: Pick<Deps, 'db' | 'clock' | 'queues' | 'log' | 'config' | 'slack'>, incidentId: string, userId: string): Promise<CompleteOutcome> {
  const mayManage = await reviewManagers(deps, incidentId);
  if (!mayManage) return { kind: 'no_review' };
  const outcome = await deps.db.$transaction(async (tx): Promise<CompleteOutcome> => {
    const locked = await lockIncidentAndReview(tx, incidentId);
    if (!locked) return { kind: 'no_review' };
    const { incident, review } = locked;
    const now = deps.clock.now();
    if (review.state === 'done') return { kind: 'already', by: review.completedBy };
    if (incident.status !== 'resolved') return { kind: 'incident_open' };
    if (!mayManage(review, incident, userId)) return { kind: 'refused', owner: review.owner };
    await tx.review.update({
      where: { id: review.id },
      data: { state: 'done', completedAt: now, completedBy: userId, nextReminderAt: null, reminderToken: null, revision: { increment: 1 } },
    });
    const onTime = now <= review.dueAt;
    await recordEvents(tx, [{ incidentId, type: 'review.completed', actor: userId, source: 'slack', at: now, data: { dueAt: review.dueAt.toISOString(), onTime } }]);
    await recordPost(tx, incidentId, { kind: 'review_done', data: { by: userId } });
    return { kind: 'done', onTime };
  });
  if (outcome.kind === 'done') await requestSync(deps, incidentId);
  return outcome;
}
