import type { BotConfig } from '../config/config-file.js';
import type { Runbook } from '../runbooks/runbook.js';

/**
 * Responders may run mitigations: the people the runbook's escalation policy names and the config
 * file's `responders`. User groups (S…) in either list are not expanded yet: name people directly.
 */
export function mayRunMitigation(config: BotConfig, runbook: Runbook, userId: string): boolean {
  if (config.responders.includes(userId)) return true;
  const policy = config.escalation[runbook.escalation];
  return policy?.levels.some((level) => level.notify.includes(userId)) ?? false;
}
