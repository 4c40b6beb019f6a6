import { templateProblems } from './templates/fill-template.js';
import { ConfigError } from '../config/config-error.js';
import type { BotConfig } from '../config/config-file.js';
import type { Runbook } from '../runbooks/runbook.js';

/**
 * An action whose target the config file defines must match its type, and use alert-label
 * templates only where its type allows them. A problem stops start with runbook, action and
 * reason. A target the config file lacks is not a problem here (see leaveOutUnwiredActions).
 */
export function checkRunbookTargets(runbooks: readonly Runbook[], config: BotConfig): void {
  const problems: string[] = [];
  for (const runbook of runbooks) {
    for (const action of runbook.actions) {
      const where = `${runbook.file}: action "${action.id}"`;
      const target = config.targets[action.target];
      if (target && target.type !== action.type) {
        problems.push(`${where} is a ${action.type} action, but target "${action.target}" is of type ${target.type}`);
      }
      for (const problem of templateProblems(action)) problems.push(`${where}: ${problem}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(`runbook problems:\n  ${problems.join('\n  ')}`);
}
