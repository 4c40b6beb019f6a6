import { ConfigError } from '../config/config-error.js';
import type { BotConfig } from '../config/config-file.js';
import type { Runbook } from '../runbooks/runbook.js';

/**
 * Every runbook must name a policy the config file defines. `default` may be left undefined:
 * incidents of runbooks that use it then do not escalate (a warning at start says so).
 */
export function checkRunbookPolicies(runbooks: readonly Runbook[], config: BotConfig): string[] {
  const problems = runbooks
    .filter((runbook) => runbook.escalation !== 'default' && !config.escalation[runbook.escalation])
    .map((runbook) => `${runbook.file}: escalation policy "${runbook.escalation}" is not defined in the config file's escalation section (defined: ${Object.keys(config.escalation).join(', ') || 'none'})`);
  if (problems.length > 0) throw new ConfigError(`runbook problems:\n  ${problems.join('\n  ')}`);
  return config.escalation.default ? [] : ['no escalation policy named "default" is configured: incidents of runbooks without their own policy will not escalate'];
}
