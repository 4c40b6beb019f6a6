// `npm run runbooks:check [-- --strict] [dir]`: validates every runbook (and the config file)
// without starting the bot. Actions whose target the config file lacks are listed; with
// --strict they fail the check.
import path from 'node:path';
import { systemClock } from '../clock.js';
import { ConfigError } from '../config/config-error.js';
import { loadConfigFile } from '../config/config-file.js';
import { checkRunbookPolicies } from '../escalation/check-policies.js';
import { checkScheduleGaps } from '../schedules/check-schedule-gaps.js';
import { checkRunbookTargets } from '../actions/check-runbook-targets.js';
import { describeUnwired, leaveOutUnwiredActions } from '../actions/leave-out-unwired-actions.js';
import { loadRunbooks } from '../runbooks/load-runbooks.js';

const args = process.argv.slice(2);
const strict = args.includes('--strict');
const dir = args.find((arg) => !arg.startsWith('--')) ?? process.env.RUNBOOKS_DIR ?? './runbooks';
const configFile = process.env.CONFIG_FILE ?? './incident-bot.yml';

try {
  const config = await loadConfigFile(configFile);
  const loaded = await loadRunbooks(dir);
  checkRunbookTargets(loaded, config);
  for (const warning of checkRunbookPolicies(loaded, config)) console.log(`note: ${warning}`);
  // Overrides live in the database, which this check does not read: only the layers are counted.
  for (const warning of checkScheduleGaps(config, systemClock.now())) console.log(`warning: ${warning} (overrides not counted)`);
  const { runbooks, unwired } = leaveOutUnwiredActions(loaded, config);
  for (const runbook of runbooks) {
    const rules = runbook.isDefault ? 'default' : `${runbook.match.length} match rule${runbook.match.length === 1 ? '' : 's'}`;
    const left = unwired.filter((action) => action.runbookId === runbook.id).length;
    console.log(`ok  ${path.relative(process.cwd(), runbook.file)}  ${runbook.id}  (${rules}, ${runbook.actions.length} actions${left > 0 ? `, ${left} left out` : ''}, ${runbook.sections.length} sections)`);
  }
  for (const action of unwired) console.log(`${strict ? 'error' : 'left out'}  ${path.relative(process.cwd(), action.file)}  action "${action.actionId}": target "${action.target}" is not defined in ${configFile}`);
  if (!runbooks.some((runbook) => runbook.isDefault)) console.log('note: no default runbook: alerts that match nothing get no runbook');
  if (unwired.length > 0) console.log(`${strict ? 'invalid' : 'note'}: ${describeUnwired(unwired)}`);
  if (strict && unwired.length > 0) process.exit(1);
  console.log(`${runbooks.length} runbooks valid`);
} catch (error) {
  console.error(error instanceof ConfigError ? `invalid: ${error.message}` : error);
  process.exit(1);
}
