import type { Deps } from '../../deps.js';
import { reviewStatusLine } from '../render/review-summary.js';
import { link } from '../render/mrkdwn.js';

/** `/incident review`: where the draft is and what state it is in. */
export async function describeReview(deps: Pick<Deps, 'db'>, incidentId: string): Promise<string> {
  const [incident, review, followUps] = await Promise.all([
    deps.db.incident.findUnique({ where: { id: incidentId }, select: { number: true, status: true } }),
    deps.db.review.findUnique({ where: { incidentId } }),
    deps.db.followUp.count({ where: { incidentId } }),
  ]);
  const reference = `INC-${incident?.number ?? '?'}`;
  if (!review) {
    return `The review of ${reference} is drafted when the incident resolves.${followUps > 0 ? ` It will list the ${followUps} follow-up${followUps === 1 ? '' : 's'} recorded so far.` : ' Follow-ups recorded now (`/incident followup`) will be in it.'}`;
  }
  const file = review.filePermalink ? link(review.filePermalink, `Draft, revision ${review.postedRevision}`) : 'The draft is being posted to this channel';
  const behind = review.filePermalink && review.postedRevision < review.revision ? ' (a newer revision is being posted)' : '';
  const reopened = incident?.status !== 'resolved' ? '\nThe incident is open again: the review is due anew once it resolves.' : '';
  return `*Post-incident review of ${reference}*: ${reviewStatusLine(review, followUps)}\n${file}${behind}.${reopened}`;
}
