import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../config/config-error.js';
import { parseRunbook } from './parse-runbook.js';
import type { Runbook } from './runbook.js';

/** Loads and validates every `*.md` runbook in `dir`; the first problem stops with file and reason. */
export async function loadRunbooks(dir: string): Promise<Runbook[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => name.endsWith('.md')).sort();
  } catch (error) {
    throw new ConfigError(`RUNBOOKS_DIR ${dir}: cannot be read: ${(error as Error).message}`);
  }
  const runbooks: Runbook[] = [];
  const byId = new Map<string, string>();
  for (const name of names) {
    const file = path.join(dir, name);
    const runbook = parseRunbook(file, await readFile(file, 'utf8'));
    const other = byId.get(runbook.id);
    if (other) throw new ConfigError(`${file}: id "${runbook.id}" is already used by ${other}`);
    byId.set(runbook.id, file);
    runbooks.push(runbook);
  }
  const defaults = runbooks.filter((runbook) => runbook.isDefault);
  if (defaults.length > 1) throw new ConfigError(`${defaults[1]?.file}: only one runbook may be the default; ${defaults[0]?.file} already is`);
  return runbooks;
}
