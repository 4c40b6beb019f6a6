import { randomUUID } from 'node:crypto';
import type { Incident, Prisma } from '../db/client.js';
import { isEscalating } from '../record/incident-status.js';
import { recordEvents, type EventSource } from '../record/timeline.js';
import { levelName, nextDueAt, policyOf } from '../record/policy.js';
import { recordPost } from '../record/channel-post.js';
import type { ScheduledEscalation } from '../queue/jobs.js';

export type EscalationReason = 'opened' | 'timeout' | 'manual' | 'repeat' | 'reopened';

export interface StepInput {
  step: number;
  level: number;
  reason: EscalationReason;
  actor: string;
  source: EventSource;
  note?: string;
  now: Date;
}

export type { ScheduledEscalation };

/**
 * Records one escalation step inside the caller's transaction, which must hold the incident's row
 * lock: the step row (unique per incident, so a step never notifies twice), the incident's level
 * and next deadline with a fresh token (any older deadline job becomes stale), the timeline event
 * and the channel post that notifies the level.
 */
export async function recordEscalationStep(tx: Prisma.TransactionClient, incident: Incident, input: StepInput): Promise<ScheduledEscalation | null> {
  const policy = policyOf(incident);
  const level = policy?.levels[input.level - 1];
  if (!policy || !level) throw new Error(`policy ${incident.policyName} has no level ${input.level}`);
  const dueAt = isEscalating(incident.status) ? nextDueAt(policy, input.level, incident.severity, input.now) : null;
  const token = dueAt ? randomUUID() : null;
  await tx.escalation.create({
    data: { incidentId: incident.id, step: input.step, level: input.level, reason: input.reason, note: input.note ?? null, actor: input.actor, notify: level.notify, dueAt, at: input.now },
  });
  await tx.incident.update({
    where: { id: incident.id },
    data: { level: input.level, nextEscalationAt: dueAt, escalationToken: token, messageVersion: { increment: 1 } },
  });
  await recordEvents(tx, [
    {
      incidentId: incident.id,
      type: 'escalation.notified',
      actor: input.actor,
      source: input.source,
      at: input.now,
      data: { step: input.step, level: levelName(input.level), reason: input.reason, notify: level.notify, note: input.note ?? null, nextDueAt: dueAt?.toISOString() ?? null },
    },
  ]);
  await recordPost(tx, incident.id, { kind: 'escalation', data: { step: input.step } });
  return dueAt && token ? { incidentId: incident.id, token, step: input.step + 1, dueAt } : null;
}

/** The next step number of an incident (1 for the first). */
export async function nextStep(tx: Prisma.TransactionClient, incidentId: string): Promise<number> {
  const last = await tx.escalation.findFirst({ where: { incidentId }, orderBy: { step: 'desc' }, select: { step: true } });
  return (last?.step ?? 0) + 1;
}
