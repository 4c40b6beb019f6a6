import type { Deps } from '../deps.js';
import { mayAcknowledge, type EscalationPolicy } from '../escalation/policy.js';
import { peopleOf } from '../slack/escalation-audience.js';

/**
 * The people behind a review's owner: the owner itself, or the members of the owning user group
 * (empty when Slack cannot say; the responders may still act).
 */
export async function ownerPeople(deps: Pick<Deps, 'slack' | 'log'>, owner: string | null): Promise<string[]> {
  if (!owner) return [];
  if (!owner.startsWith('S')) return [owner];
  return peopleOf(deps.slack, [owner]).catch((error: unknown) => {
    deps.log.warn({ err: error, owner }, 'could not read the members of the user group that owns a review');
    return [];
  });
}

/** Who may mark a review done or hand it over: its owner (a member, for a user group), or anyone who may resolve the incident. */
export function mayManageReview(owners: readonly string[], policy: unknown, userId: string, responders: readonly string[]): boolean {
  return owners.includes(userId) || mayAcknowledge(policy as EscalationPolicy | null, userId, responders);
}
