import type { BotConfig } from '../config/config-file.js';
import type { Runbook } from '../runbooks/runbook.js';

/** An action left out because the config file does not define its target. */
export interface UnwiredAction {
  runbookId: string;
  file: string;
  actionId: string;
  target: string;
}

/**
 * An operator keeps the shipped runbooks for systems they have not wired yet: an action whose
 * target the config file does not define is left out (no button), not a reason to refuse start.
 */
export function leaveOutUnwiredActions(runbooks: readonly Runbook[], config: BotConfig): { runbooks: Runbook[]; unwired: UnwiredAction[] } {
  const unwired: UnwiredAction[] = [];
  const kept = runbooks.map((runbook) => {
    const actions = runbook.actions.filter((action) => {
      if (config.targets[action.target]) return true;
      unwired.push({ runbookId: runbook.id, file: runbook.file, actionId: action.id, target: action.target });
      return false;
    });
    return actions.length === runbook.actions.length ? runbook : { ...runbook, actions };
  });
  return { runbooks: kept, unwired };
}

/** One line naming the missing targets, with how many actions and which runbooks each leaves out. */
export function describeUnwired(unwired: readonly UnwiredAction[]): string {
  const targets = [...new Set(unwired.map((action) => action.target))].sort();
  const perTarget = targets.map((target) => {
    const actions = unwired.filter((action) => action.target === target);
    const runbooks = [...new Set(actions.map((action) => action.runbookId))];
    return `${target} (${actions.length} action${actions.length === 1 ? '' : 's'} in ${runbooks.join(', ')})`;
  });
  return `${unwired.length} runbook action${unwired.length === 1 ? '' : 's'} left out because the config file does not define target${targets.length === 1 ? '' : 's'} ${targets.join(', ')}; their buttons are not shown. Missing: ${perTarget.join('; ')}. Add the targets to the config file to get them (npm run runbooks:check lists each action).`;
}
