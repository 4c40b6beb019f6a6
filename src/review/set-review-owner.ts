import type { Deps } from '../deps.js';
import { recordEvents } from '../incidents/timeline.js';
import { requestSync } from '../queue/queue-after-commit.js';
import { lockReview } from './remind-about-review.js';

export type OwnerOutcome = { kind: 'changed' } | { kind: 'unchanged' } | { kind: 'no_review' };

/** `/incident review owner @someone`: hands the review (and its reminders) to someone else. */
export async function setReviewOwner(deps: Pick<Deps, 'db' | 'clock' | 'queues' | 'log'>, incidentId: string, owner: string, by: string): Promise<OwnerOutcome> {
  const now = deps.clock.now();
  const outcome = await deps.db.$transaction(async (tx): Promise<OwnerOutcome> => {
    const found = await tx.review.findUnique({ where: { incidentId }, select: { id: true } });
    const review = found ? await lockReview(tx, found.id) : null;
    if (!review) return { kind: 'no_review' };
    if (review.owner === owner) return { kind: 'unchanged' };
    await tx.review.update({ where: { id: review.id }, data: { owner, revision: { increment: 1 } } });
    await recordEvents(tx, [{ incidentId, type: 'review.owner_changed', actor: by, source: 'slack', at: now, data: { from: review.owner, to: owner } }]);
    return { kind: 'changed' };
  });
  if (outcome.kind === 'changed') await requestSync(deps, incidentId);
  return outcome;
}
