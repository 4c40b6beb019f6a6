import type { Deps } from '../deps.js';
import { recordEvents } from '../record/timeline.js';
import { requestSync } from '../queue/queue-after-commit.js';
import { lockIncidentAndReview } from './lock-review.js';
import { recordPost } from '../record/channel-post.js';

export interface NewFollowUp {
  owner: string;
  /** The deadline, a UTC date. */
  dueOn: Date;
  text: string;
  createdBy: string;
}

/**
 * `/incident followup`: an action item for the incident's review. It may be added while the
 * incident is still open; the review lists it once drafted. An existing review is drafted again
 * and its file posted anew.
 */
export async function addFollowUp(deps: Pick<Deps, 'db' | 'clock' | 'queues' | 'log'>, incidentId: string, item: NewFollowUp): Promise<void> {
  const now = deps.clock.now();
  const dueOn = item.dueOn.toISOString().slice(0, 10);
  await deps.db.$transaction(async (tx) => {
    await lockIncidentAndReview(tx, incidentId);
    await tx.followUp.create({ data: { incidentId, owner: item.owner, dueOn: item.dueOn, text: item.text, createdBy: item.createdBy, createdAt: now } });
    await recordEvents(tx, [{ incidentId, type: 'followup.added', actor: item.createdBy, source: 'slack', at: now, data: { owner: item.owner, dueOn, text: item.text } }]);
    await recordPost(tx, incidentId, { kind: 'followup_added', data: { by: item.createdBy, owner: item.owner, dueOn, text: item.text } });
    await tx.review.updateMany({ where: { incidentId }, data: { revision: { increment: 1 } } });
  });
  await requestSync(deps, incidentId);
}
