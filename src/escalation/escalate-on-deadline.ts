import type { Deps } from '../deps.js';
import type { EscalateJob } from '../queue/jobs.js';
import { isEscalating } from '../record/incident-status.js';
import { policyOf } from '../record/policy.js';
import { nextStep, recordEscalationStep, type ScheduledEscalation } from './record-escalation-step.js';
import { lockIncident } from '../record/lock-incident.js';

export type DeadlineJob = EscalateJob;

/**
 * Runs when an escalation deadline passes. Under the incident's row lock it does nothing unless
 * the incident is still open, the job's token is still the incident's active one and the step is
 * the next one: an acknowledgement, a resolution or a manual escalation that committed first wins,
 * and a redelivered or duplicate job changes nothing.
 */
export async function escalateOnDeadline(deps: Pick<Deps, 'db' | 'clock' | 'metrics' | 'log' | 'config'>, job: DeadlineJob): Promise<ScheduledEscalation | null> {
  const outcome = await deps.db.$transaction(async (tx) => {
    const incident = await lockIncident(tx, job.incidentId);
    const policy = incident ? policyOf(incident) : null;
    if (!incident || !isEscalating(incident.status) || incident.escalationToken !== job.token || !policy) return null;
    if ((await nextStep(tx, incident.id)) !== job.step) return null;
    // The level after the last one paged (a reopen pages L1 again), the last level repeating.
    const last = await tx.escalation.findFirst({ where: { incidentId: incident.id }, orderBy: { step: 'desc' }, select: { level: true } });
    const level = Math.min((last?.level ?? 0) + 1, policy.levels.length);
    const reason = level > (last?.level ?? 0) ? 'timeout' : 'repeat';
    const next = await recordEscalationStep(tx, incident, { step: job.step, level, reason, actor: 'bot', source: 'escalation', now: deps.clock.now(), schedules: deps.config.schedules });
    return { next, level, reason };
  });
  if (!outcome) return null;
  deps.metrics.escalations.inc({ level: `L${outcome.level}`, reason: outcome.reason });
  deps.log.info({ incidentId: job.incidentId, step: job.step, level: outcome.level, reason: outcome.reason }, 'escalated');
  return outcome.next;
}
