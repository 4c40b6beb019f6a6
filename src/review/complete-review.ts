import type { Deps } from '../deps.js';
import { mayAcknowledge, type EscalationPolicy } from '../escalation/policy.js';
import { recordEvents } from '../incidents/timeline.js';
import { requestSync } from '../queue/queue-after-commit.js';
import { lockReview } from './remind-about-review.js';

export type CompleteOutcome = { kind: 'done'; onTime: boolean } | { kind: 'already'; by: string | null } | { kind: 'no_review' } | { kind: 'incident_open' } | { kind: 'refused'; owner: string | null };

/**
 * `/incident review done`: the owner, or anyone who may resolve the incident (its policy's
 * people and the configured responders), marks the review complete. Reminders stop.
 */
export async function completeReview(deps: Pick<Deps, 'db' | 'clock' | 'queues' | 'log' | 'config'>, incidentId: string, userId: string): Promise<CompleteOutcome> {
  const outcome = await deps.db.$transaction(async (tx): Promise<CompleteOutcome> => {
    const found = await tx.review.findUnique({ where: { incidentId }, select: { id: true } });
    const review = found ? await lockReview(tx, found.id) : null;
    const now = deps.clock.now();
    if (!review) return { kind: 'no_review' };
    if (review.state === 'done') return { kind: 'already', by: review.completedBy };
    const incident = await tx.incident.findUnique({ where: { id: incidentId }, select: { status: true, policy: true } });
    if (!incident || incident.status !== 'resolved') return { kind: 'incident_open' };
    if (review.owner !== userId && !mayAcknowledge(incident.policy as unknown as EscalationPolicy | null, userId, deps.config.responders)) return { kind: 'refused', owner: review.owner };
    await tx.review.update({
      where: { id: review.id },
      data: { state: 'done', completedAt: now, completedBy: userId, nextReminderAt: null, reminderToken: null, revision: { increment: 1 } },
    });
    const onTime = now <= review.dueAt;
    await recordEvents(tx, [{ incidentId, type: 'review.completed', actor: userId, source: 'slack', at: now, data: { dueAt: review.dueAt.toISOString(), onTime } }]);
    await tx.channelPost.create({ data: { incidentId, kind: 'review_done', data: { by: userId } } });
    return { kind: 'done', onTime };
  });
  if (outcome.kind === 'done') await requestSync(deps, incidentId);
  return outcome;
}
