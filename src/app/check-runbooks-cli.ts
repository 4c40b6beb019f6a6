// `npm run runbooks:check`: validates every runbook (and the config file) without starting the bot.
import path from 'node:path';
import { systemClock } from '../clock.js';
import { ConfigError } from '../config/config-error.js';
import { loadConfigFile } from '../config/config-file.js';
import { checkRunbookPolicies } from '../escalation/check-policies.js';
import { checkScheduleGaps } from '../schedules/check-schedule-gaps.js';
import { checkRunbookTargets } from '../actions/check-runbook-targets.js';
import { loadRunbooks } from '../runbooks/load-runbooks.js';

const dir = process.argv[2] ?? process.env.RUNBOOKS_DIR ?? './runbooks';
const configFile = process.env.CONFIG_FILE ?? './incident-bot.yml';

try {
  const config = await loadConfigFile(configFile);
  const runbooks = await loadRunbooks(dir);
  checkRunbookTargets(runbooks, config);
  for (const warning of checkRunbookPolicies(runbooks, config)) console.log(`note: ${warning}`);
  // Overrides live in the database, which this check does not read: only the layers are counted.
  for (const warning of checkScheduleGaps(config, systemClock.now())) console.log(`warning: ${warning} (overrides not counted)`);
  for (const runbook of runbooks) {
    const rules = runbook.isDefault ? 'default' : `${runbook.match.length} match rule${runbook.match.length === 1 ? '' : 's'}`;
    console.log(`ok  ${path.relative(process.cwd(), runbook.file)}  ${runbook.id}  (${rules}, ${runbook.actions.length} actions, ${runbook.sections.length} sections)`);
  }
  if (!runbooks.some((runbook) => runbook.isDefault)) console.log('note: no default runbook: alerts that match nothing get no runbook');
  console.log(`${runbooks.length} runbooks valid`);
} catch (error) {
  console.error(error instanceof ConfigError ? `invalid: ${error.message}` : error);
  process.exit(1);
}
