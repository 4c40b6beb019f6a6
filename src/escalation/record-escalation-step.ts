import { randomUUID } from 'node:crypto';
import type { Incident, Prisma } from '../db/client.js';
import { isEscalating } from '../record/incident-status.js';
import { recordEvents, type EventSource } from '../record/timeline.js';
import { levelName, nextDueAt, policyOf } from '../record/policy.js';
import { recordPost } from '../record/channel-post.js';
import type { ScheduledEscalation } from '../queue/jobs.js';
import { subscribeLocked } from '../comms/subscriptions.js';
import { resolveNotify } from '../schedules/resolve-notify.js';
import type { Schedules } from '../config/schedule-config.js';

/** `gap`: the level before had nobody on call, so this one was paged at once. */
export type EscalationReason = 'opened' | 'timeout' | 'manual' | 'repeat' | 'reopened' | 'gap';

export interface StepInput {
  step: number;
  level: number;
  reason: EscalationReason;
  actor: string;
  source: EventSource;
  note?: string;
  now: Date;
  /** The config's schedules: `schedule:<name>` entries are resolved to whoever is on call at `now`. */
  schedules: Schedules;
}

export type { ScheduledEscalation };

/**
 * Records one escalation step inside the caller's transaction, which must hold the incident's row
 * lock: the step row (unique per incident, so a step never notifies twice), the incident's level
 * and next deadline with a fresh token (any older deadline job becomes stale), the timeline event
 * and the channel post that notifies the level. A level whose schedules have nobody on call (and
 * no one else to notify) is recorded as such and the next level is paged at once.
 */
export async function recordEscalationStep(tx: Prisma.TransactionClient, incident: Incident, input: StepInput): Promise<ScheduledEscalation | null> {
  const policy = policyOf(incident);
  const level = policy?.levels[input.level - 1];
  if (!policy || !level) throw new Error(`policy ${incident.policyName} has no level ${input.level}`);
  const resolved = await resolveNotify(tx, input.schedules, level.notify, input.now);
  const nobody = resolved.notify.length === 0;
  const skipToNext = nobody && input.level < policy.levels.length;
  const dueAt = isEscalating(incident.status) && !skipToNext ? nextDueAt(policy, input.level, incident.severity, input.now) : null;
  const token = dueAt ? randomUUID() : null;
  const gapNote = resolved.empty.length > 0 ? `nobody is on call in ${resolved.empty.map((name) => `schedule ${name}`).join(', ')}` : null;
  const note = [input.note, gapNote].filter(Boolean).join(' · ') || null;
  await tx.escalation.create({
    data: { incidentId: incident.id, step: input.step, level: input.level, reason: input.reason, note, actor: input.actor, notify: resolved.notify, dueAt, at: input.now },
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
      data: { step: input.step, level: levelName(input.level), reason: input.reason, notify: resolved.notify, note: input.note ?? null, nextDueAt: dueAt?.toISOString() ?? null, oncall: resolved.picks.map((pick) => ({ ...pick })) },
    },
    ...resolved.empty.map((schedule) => ({
      incidentId: incident.id,
      type: 'escalation.nobody_on_call' as const,
      actor: input.actor,
      source: input.source,
      at: input.now,
      data: { step: input.step, level: levelName(input.level), schedule, next: skipToNext ? levelName(input.level + 1) : null },
    })),
  ]);
  await recordPost(tx, incident.id, { kind: 'escalation', data: { step: input.step } });
  // Stakeholders (L3) follow the incident's updates from the moment they are paged; a repeat
  // page does not subscribe again someone who unsubscribed meanwhile.
  if (input.level === 3 && input.reason !== 'repeat') await subscribeLocked(tx, incident.id, resolved.notify, 'escalation', input.now);
  if (skipToNext) return recordEscalationStep(tx, incident, { ...input, step: input.step + 1, level: input.level + 1, reason: 'gap', note: undefined });
  return dueAt && token ? { incidentId: incident.id, token, step: input.step + 1, dueAt } : null;
}

/** The next step number of an incident (1 for the first). */
export async function nextStep(tx: Prisma.TransactionClient, incidentId: string): Promise<number> {
  const last = await tx.escalation.findFirst({ where: { incidentId }, orderBy: { step: 'desc' }, select: { step: true } });
  return (last?.step ?? 0) + 1;
}
