import type { EscalationPolicy } from '../record/policy.js';

/**
 * Responders may run mitigations: the people the incident's escalation policy names (its snapshot
 * from when the incident opened) and the config file's `responders`. User groups (S…) are not
 * expanded here: name people directly.
 */
export function mayRunMitigation(responders: readonly string[], policy: EscalationPolicy | null, userId: string): boolean {
  if (responders.includes(userId)) return true;
  return policy?.levels.some((level) => level.notify.includes(userId)) ?? false;
}
