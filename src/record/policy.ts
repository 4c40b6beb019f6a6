import type { BotConfig } from '../config/config-file.js';

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


/** Who may acknowledge: everyone the policy names (any level), or anyone when `ack_by: anyone`. */
export function mayAcknowledge(policy: EscalationPolicy | null | undefined, userId: string, responders: readonly string[]): boolean {
  if (!policy || policy.ack_by === 'anyone') return true;
  return responders.includes(userId) || policy.levels.some((level) => level.notify.includes(userId));
}

export function levelName(level: number): string {
  return `L${level}`;
}
