import { z } from 'zod';
import type { BotConfig } from '../config/config-file.js';
import type { Incident, Prisma } from '../db/client.js';
import { SCHEDULE_PREFIX, type Schedules } from '../config/schedule-config.js';
import { StoredRecordError } from './stored-record-error.js';

/** An escalation policy as copied onto an incident when it opened (durations in milliseconds). */
const storedLevelSchema = z.object({
  level: z.enum(['L1', 'L2', 'L3']),
  notify: z.array(z.string()).min(1),
  ack_timeout: z.number().positive().optional(),
  critical_ack_timeout: z.number().positive().optional(),
  direct_message: z.boolean().default(false),
});

export const storedPolicySchema = z.object({
  ack_by: z.enum(['policy', 'anyone']).default('policy'),
  levels: z.array(storedLevelSchema).min(1),
  repeat_every: z.number().positive().optional(),
});

export type EscalationPolicy = z.infer<typeof storedPolicySchema>;
export type EscalationLevel = EscalationPolicy['levels'][number];

/** The policy a runbook names; `default` may be absent (no escalation), any other name was checked at start. */
export function policyFor(config: BotConfig, policyName: string): EscalationPolicy | undefined {
  return config.escalation[policyName];
}

/** The incident's policy snapshot, parsed; null when it opened without one. A malformed snapshot is refused. */
export function policyOf(incident: Pick<Incident, 'id' | 'policy'>): EscalationPolicy | null {
  if (incident.policy === null || incident.policy === undefined) return null;
  const parsed = storedPolicySchema.safeParse(incident.policy);
  if (!parsed.success) throw new StoredRecordError('the policy snapshot of incident', incident.id, z.prettifyError(parsed.error));
  return parsed.data;
}

/** A policy as stored in the incident's `policy` column. */
export function policySnapshot(policy: EscalationPolicy): Prisma.InputJsonObject {
  return storedPolicySchema.parse(policy);
}

/** How long a level waits for an acknowledgement; critical incidents use the shorter wait where one is set. */
export function ackTimeout(level: EscalationLevel, severity: string): number | undefined {
  return severity.toLowerCase() === 'critical' ? (level.critical_ack_timeout ?? level.ack_timeout) : level.ack_timeout;
}

/**
 * When the step after reaching `levelReached` (1-based) is due: the level's ack timeout, or, once
 * the last level is reached, `repeat_every`; null when nothing more will happen.
 */
export function nextDueAt(policy: EscalationPolicy, levelReached: number, severity: string, from: Date): Date | null {
  const level = policy.levels[levelReached - 1];
  if (!level) return null;
  const wait = levelReached < policy.levels.length ? ackTimeout(level, severity) : policy.repeat_every;
  return wait === undefined ? null : new Date(from.getTime() + wait);
}

/**
 * Who may acknowledge: everyone the policy names (any level; for a schedule, anyone in its
 * layers), everyone already paged for the incident (an override's person too), or anyone when
 * `ack_by: anyone`.
 */
export function mayAcknowledge(policy: EscalationPolicy | null | undefined, userId: string, responders: readonly string[], also: { schedules?: Schedules; paged?: readonly string[] } = {}): boolean {
  if (!policy || policy.ack_by === 'anyone') return true;
  const inSchedule = (entry: string) => entry.startsWith(SCHEDULE_PREFIX) && (also.schedules?.[entry.slice(SCHEDULE_PREFIX.length)]?.layers.some((layer) => layer.users.includes(userId)) ?? false);
  return responders.includes(userId) || (also.paged?.includes(userId) ?? false) || policy.levels.some((level) => level.notify.includes(userId) || level.notify.some(inSchedule));
}

/** Everyone paged for an incident so far (schedules resolved), from its escalation steps. */
export function pagedPeople(steps: readonly { notify: unknown }[]): string[] {
  return steps.flatMap((step) => (Array.isArray(step.notify) ? step.notify.filter((entry): entry is string => typeof entry === 'string') : []));
}

export function levelName(level: number): string {
  return `L${level}`;
}
