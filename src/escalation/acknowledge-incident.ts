import type { Deps } from '../deps.js';
import { recordEvents, type EventSource } from '../record/timeline.js';
import { mayAcknowledge, pagedPeople, policyOf } from '../record/policy.js';
import { lockIncident } from '../record/lock-incident.js';
import { requestSync } from '../queue/queue-after-commit.js';
import { recordPost } from '../record/channel-post.js';
import { takeCommandIfFreeLocked } from '../comms/assign-role.js';

export type AckOutcome =
  | { kind: 'acknowledged'; incidentNumber: number }
  | { kind: 'already'; by: string | null }
  | { kind: 'resolved' }
  | { kind: 'refused' }
  | { kind: 'not_found' };

/**
 * Acknowledges an incident: stops the escalation clock and records who and when. Under the row
 * lock, so an acknowledgement racing a deadline either wins (the deadline job then finds no
 * active token) or loses (the escalation is recorded first, then this acknowledges).
 */
export async function acknowledgeIncident(deps: Pick<Deps, 'db' | 'config' | 'clock' | 'metrics' | 'queues' | 'log'>, incidentId: string, userId: string, source: EventSource): Promise<AckOutcome> {
  let now = deps.clock.now();
  const outcome = await deps.db.$transaction(async (tx): Promise<AckOutcome & { openedAt?: Date }> => {
    const incident = await lockIncident(tx, incidentId);
    // Timed once the lock is held: a deadline that committed first is earlier on the timeline too.
    now = deps.clock.now();
    if (!incident) return { kind: 'not_found' };
    if (incident.status === 'resolved') return { kind: 'resolved' };
    if (incident.status === 'acknowledged') return { kind: 'already', by: incident.acknowledgedBy };
    const paged = pagedPeople(await tx.escalation.findMany({ where: { incidentId }, select: { notify: true } }));
    if (!mayAcknowledge(policyOf(incident), userId, deps.config.responders, { schedules: deps.config.schedules, paged })) {
      await recordEvents(tx, [{ incidentId, type: 'incident.ack_refused', actor: userId, source, at: now, data: { policy: incident.policyName } }]);
      return { kind: 'refused' };
    }
    await tx.incident.update({
      where: { id: incidentId },
      data: { status: 'acknowledged', acknowledgedAt: now, acknowledgedBy: userId, nextEscalationAt: null, escalationToken: null, messageVersion: { increment: 1 } },
    });
    const secondsToAck = Math.round((now.getTime() - incident.openedAt.getTime()) / 1000);
    await recordEvents(tx, [{ incidentId, type: 'incident.acknowledged', actor: userId, source, at: now, data: { level: incident.level, secondsToAck } }]);
    await recordPost(tx, incidentId, { kind: 'acknowledged', data: { by: userId, level: incident.level } });
    await takeCommandIfFreeLocked(tx, incidentId, userId, now, deps.config.roles, source);
    return { kind: 'acknowledged', incidentNumber: incident.number, openedAt: incident.openedAt };
  });
  if (outcome.kind === 'acknowledged' && outcome.openedAt) {
    deps.metrics.timeToAcknowledge.observe((now.getTime() - outcome.openedAt.getTime()) / 1000);
    await requestSync(deps, incidentId);
  }
  const { openedAt: _openedAt, ...result } = outcome as AckOutcome & { openedAt?: Date };
  return result;
}
