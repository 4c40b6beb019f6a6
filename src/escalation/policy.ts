import type { BotConfig } from '../config/config-file.js';
import { SCHEDULE_PREFIX, type Schedules } from '../schedules/schedule-config.js';

/** An escalation policy as validated from the config file (durations in milliseconds). */
export type EscalationPolicy = BotConfig['escalation'][string];
export type EscalationLevel = EscalationPolicy['levels'][number];

/** The policy a runbook names; `default` may be absent (no escalation), any other name was checked at start. */
export function policyFor(config: BotConfig, policyName: string): EscalationPolicy | undefined {
  return config.escalation[policyName];
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
