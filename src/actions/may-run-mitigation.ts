import type { EscalationPolicy } from '../record/policy.js';
import { SCHEDULE_PREFIX, type Schedules } from '../config/schedule-config.js';

/**
 * Responders may run mitigations: the people the incident's escalation policy names (its snapshot
 * from when the incident opened; for a schedule it names, anyone in its layers) and the config
 * file's `responders`. User groups (S…) are not expanded here: name people directly.
 */
export function mayRunMitigation(responders: readonly string[], policy: EscalationPolicy | null, userId: string, schedules: Schedules = {}): boolean {
  if (responders.includes(userId)) return true;
  const inSchedule = (entry: string) => entry.startsWith(SCHEDULE_PREFIX) && (schedules[entry.slice(SCHEDULE_PREFIX.length)]?.layers.some((layer) => layer.users.includes(userId)) ?? false);
  return policy?.levels.some((level) => level.notify.includes(userId) || level.notify.some(inSchedule)) ?? false;
}
