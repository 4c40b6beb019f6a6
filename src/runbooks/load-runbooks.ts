import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../config/config-error.js';
import { parseRunbook } from './parse-runbook.js';
import type { Runbook } from './runbook.js';

/** Loads and validates every `*.md` runbook in `dir`; every problem of every file is reported at once. */
export async function loadRunbooks(dir: string): Promise<Runbook[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => name.endsWith('.md')).sort();
  } catch (error) {
    throw new ConfigError(`RUNBOOKS_DIR ${dir}: cannot be read: ${(error as Error).message}`);
  }
  const runbooks: Runbook[] = [];
  const problems: string[] = [];
  const byId = new Map<string, string>();
  for (const name of names) {
    const file = path.join(dir, name);
    let runbook: Runbook;
    try {
      runbook = parseRunbook(file, await readFile(file, 'utf8'));
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(error.message);
      continue;
    }
    const other = byId.get(runbook.id);
    if (other) problems.push(`${file}: id "${runbook.id}" is already used by ${other}`);
    byId.set(runbook.id, file);
    runbooks.push(runbook);
  }
  const defaults = runbooks.filter((runbook) => runbook.isDefault);
  if (defaults.length > 1) problems.push(`${defaults[1]?.file}: only one runbook may be the default; ${defaults[0]?.file} already is`);
  if (problems.length === 1) throw new ConfigError(problems[0]);
  if (problems.length > 1) throw new ConfigError(`runbook problems:\n  ${problems.join('\n  ')}`);
  return runbooks;
}
