import type { Deps } from '../deps.js';
import type { Incident, Review } from '../db/client.js';
import { mayAcknowledge, policyOf } from '../record/policy.js';
import { peopleOf } from '../escalation/people-of.js';

/** Whether someone may mark a review done or hand it over, judged on the rows as locked. */
export type ReviewManagerCheck = (review: Pick<Review, 'owner'>, incident: Pick<Incident, 'id' | 'policy'>, userId: string) => boolean;

/**
 * The people behind a review's owner: the owner itself, or the members of the owning user group
 * (empty when Slack cannot say; the responders may still act).
 */
async function ownerPeople(deps: Pick<Deps, 'slack' | 'log'>, owner: string | null): Promise<string[]> {
  if (!owner) return [];
  if (!owner.startsWith('S')) return [owner];
  return peopleOf(deps.slack, [owner]).catch((error: unknown) => {
    deps.log.warn({ err: error, owner }, 'could not read the members of the user group that owns a review');
    return [];
  });
}

/**
 * Who may mark an incident's review done or hand it over: its owner (a member, for a user group),
 * or anyone who may resolve the incident. The owning group is expanded here, before any lock is
 * taken (it asks Slack); the check runs under the lock, on the owner as it is then. Undefined
 * when the incident has no review.
 */
export async function reviewManagers(deps: Pick<Deps, 'db' | 'slack' | 'log' | 'config'>, incidentId: string): Promise<ReviewManagerCheck | undefined> {
  const before = await deps.db.review.findUnique({ where: { incidentId }, select: { owner: true } });
  if (!before) return undefined;
  const owners = await ownerPeople(deps, before.owner);
  return (review, incident, userId) => {
    // The owner changed since it was expanded: only that person (a group can no longer be expanded here).
    const people = review.owner === before.owner ? owners : [review.owner ?? ''];
    return people.includes(userId) || mayAcknowledge(policyOf(incident), userId, deps.config.responders, { schedules: deps.config.schedules });
  };
}
