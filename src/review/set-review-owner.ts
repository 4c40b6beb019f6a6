import type { Deps } from '../deps.js';
import { recordEvents } from '../record/timeline.js';
import { requestSync } from '../queue/queue-after-commit.js';
import { reviewManagers } from './may-manage-review.js';
import { lockIncidentAndReview } from './lock-review.js';

export type OwnerOutcome = { kind: 'changed' } | { kind: 'unchanged' } | { kind: 'no_review' } | { kind: 'refused'; owner: string | null };

/**
 * `/incident review owner @someone`: hands the review (and its reminders) to someone else. Only
 * the current owner or someone who may resolve the incident may: otherwise anyone could take it
 * over and mark it done.
 */
export async function setReviewOwner(deps: Pick<Deps, 'db' | 'clock' | 'queues' | 'log' | 'config' | 'slack'>, incidentId: string, owner: string, by: string): Promise<OwnerOutcome> {
  const mayManage = await reviewManagers(deps, incidentId);
  if (!mayManage) return { kind: 'no_review' };
  const outcome = await deps.db.$transaction(async (tx): Promise<OwnerOutcome> => {
    const locked = await lockIncidentAndReview(tx, incidentId);
    if (!locked) return { kind: 'no_review' };
    const { incident, review } = locked;
    if (review.owner === owner) return { kind: 'unchanged' };
    if (!mayManage(review, incident, by)) return { kind: 'refused', owner: review.owner };
    await tx.review.update({ where: { id: review.id }, data: { owner, revision: { increment: 1 } } });
    await recordEvents(tx, [{ incidentId, type: 'review.owner_changed', actor: by, source: 'slack', at: deps.clock.now(), data: { from: review.owner, to: owner } }]);
    return { kind: 'changed' };
  });
  if (outcome.kind === 'changed') await requestSync(deps, incidentId);
  return outcome;
}
