import type { Deps } from '../deps.js';
import type { Review } from '../db/client.js';
import { draftReview } from './draft-review.js';
import { loadReviewFacts } from './review-facts.js';
import { inline } from './review-format.js';

/** Looks up people's names by their Slack user IDs (see slack/user-names.ts). */
export type NameLookup = (ids: readonly string[]) => Promise<Map<string, string>>;

const MENTION = /<@([UW][A-Z0-9]+)>/g;

/** `<@U…>` as `@Real Name` wherever a name is known: the draft is read outside Slack too. */
async function withNames(markdown: string, names: NameLookup | undefined): Promise<string> {
  if (!names) return markdown;
  const ids = [...markdown.matchAll(MENTION)].map((match) => match[1] as string);
  if (ids.length === 0) return markdown;
  const known = await names(ids);
  return markdown.replace(MENTION, (mention, id: string) => {
    const name = known.get(id);
    return name ? `@${inline(name, 80)}` : mention;
  });
}

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
export async function currentDraft(deps: Pick<Deps, 'db' | 'runbooks'> & { names?: NameLookup }, incidentId: string): Promise<CurrentDraft | undefined> {
  const review = await deps.db.review.findUnique({ where: { incidentId } });
  if (!review) return undefined;
  if (review.markdown !== null && review.draftedRevision >= review.revision) return { review, markdown: review.markdown };
  const [facts, followUps] = await Promise.all([
    loadReviewFacts(deps.db, incidentId),
    deps.db.followUp.findMany({ where: { incidentId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }),
  ]);
  if (!facts) return undefined;
  const runbook = deps.runbooks.find((candidate) => candidate.id === facts.incident.runbookId);
  const drafted = draftReview(facts, runbook, {
    humanSections: savedSections(review),
    review: { owner: review.owner, dueAt: review.dueAt, state: review.state, completedAt: review.completedAt, completedBy: review.completedBy },
    followUps,
  });
  const markdown = await withNames(drafted, deps.names);
  await deps.db.review.updateMany({ where: { id: review.id, revision: review.revision }, data: { markdown, draftedRevision: review.revision } });
  return { review: { ...review, markdown, draftedRevision: review.revision }, markdown };
}
