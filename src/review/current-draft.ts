import type { Deps } from '../deps.js';
import type { Review } from '../db/client.js';
import { draftReview } from './draft-review.js';
import { loadReviewFacts } from './review-facts.js';

export interface CurrentDraft {
  review: Review;
  markdown: string;
}

/** The people-written sections as saved: key → text. */
export function savedSections(review: Pick<Review, 'sections'>): Record<string, string> {
  const value = review.sections;
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

/**
 * The incident's review as Markdown, drafted again first when anything changed since the last
 * draft (a new resolution, a follow-up, an edit). The draft is saved only if no further change
 * arrived meanwhile, so an older draft never overwrites a newer one. Undefined before the
 * incident first resolves.
 */
export async function currentDraft(deps: Pick<Deps, 'db' | 'runbooks'>, incidentId: string): Promise<CurrentDraft | undefined> {
  const review = await deps.db.review.findUnique({ where: { incidentId } });
  if (!review) return undefined;
  if (review.markdown !== null && review.draftedRevision >= review.revision) return { review, markdown: review.markdown };
  const [facts, followUps] = await Promise.all([
    loadReviewFacts(deps.db, incidentId),
    deps.db.followUp.findMany({ where: { incidentId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }),
  ]);
  if (!facts) return undefined;
  const runbook = deps.runbooks.find((candidate) => candidate.id === facts.incident.runbookId);
  const markdown = draftReview(facts, runbook, {
    humanSections: savedSections(review),
    review: { owner: review.owner, dueAt: review.dueAt, state: review.state, completedAt: review.completedAt, completedBy: review.completedBy },
    followUps,
  });
  await deps.db.review.updateMany({ where: { id: review.id, revision: review.revision }, data: { markdown, draftedRevision: review.revision } });
  return { review: { ...review, markdown, draftedRevision: review.revision }, markdown };
}
