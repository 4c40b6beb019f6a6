import type { Deps } from '../deps.js';
import type { EventSource } from '../record/timeline.js';
import { policyOf } from '../record/policy.js';
import { nextStep, recordEscalationStep } from './record-escalation-step.js';
import { lockIncident } from '../record/lock-incident.js';
import { requestSync, requestDeadline } from '../queue/queue-after-commit.js';

export type ManualOutcome =
  | { kind: 'escalated'; level: number }
  | { kind: 'no_policy' }
  | { kind: 'resolved' }
  | { kind: 'at_top'; levels: number }
  | { kind: 'already_at'; level: number }
  | { kind: 'not_found' };

/**
 * `/incident escalate [L2|L3] [reason]` and the Escalate button: moves up one level, or to the
 * level named (skipping levels), at once. The pending deadline is replaced by the new level's.
 */
export async function escalateManually(
  deps: Pick<Deps, 'db' | 'clock' | 'metrics' | 'queues' | 'log' | 'config'>,
  incidentId: string,
  request: { userId: string; level?: number; reason?: string; source: EventSource },
): Promise<ManualOutcome> {
  const outcome = await deps.db.$transaction(async (tx) => {
    const incident = await lockIncident(tx, incidentId);
    if (!incident) return { result: { kind: 'not_found' } as ManualOutcome };
    if (incident.status === 'resolved') return { result: { kind: 'resolved' } as ManualOutcome };
    const policy = policyOf(incident);
    if (!policy) return { result: { kind: 'no_policy' } as ManualOutcome };
    const target = request.level ?? incident.level + 1;
    if (target > policy.levels.length) return { result: { kind: 'at_top', levels: policy.levels.length } as ManualOutcome };
    if (target <= incident.level) return { result: { kind: 'already_at', level: incident.level } as ManualOutcome };
    const step = await nextStep(tx, incident.id);
    const next = await recordEscalationStep(tx, incident, { step, level: target, reason: 'manual', actor: request.userId, source: request.source, note: request.reason, now: deps.clock.now(), schedules: deps.config.schedules });
    return { result: { kind: 'escalated', level: target } as ManualOutcome, next };
  });
  if (outcome.result.kind === 'escalated') {
    deps.metrics.escalations.inc({ level: `L${outcome.result.level}`, reason: 'manual' });
    if (outcome.next) await requestDeadline(deps, outcome.next);
    await requestSync(deps, incidentId);
  }
  return outcome.result;
}
