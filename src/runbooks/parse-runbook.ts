import { parseDocument } from 'yaml';
import { ConfigError } from '../config/config-error.js';
import type { Runbook, RunbookSection } from './runbook.js';
import { runbookFrontMatterSchema } from './runbook-schema.js';
import { compileMatchValue } from './match-value.js';

const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/;

/** Parses one runbook file; throws a ConfigError naming the file and every problem found in it. */
export function parseRunbook(file: string, text: string): Runbook {
  const found = FRONT_MATTER.exec(text);
  if (!found) throw new ConfigError(`${file}: missing YAML front matter (the file must start with a line "---")`);
  const document = parseDocument(found[1] ?? '');
  if (document.errors.length > 0) throw fileProblems(file, document.errors.map((error) => `invalid YAML front matter: ${error.message}`));
  const parsed = runbookFrontMatterSchema.safeParse(document.toJS());
  const problems = parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.') || '(front matter)'}: ${issue.message}`);
  // Match values are compiled even when other keys are wrong, so one run shows every problem.
  const match: unknown = parsed.success ? parsed.data.match : document.toJS()?.match;
  if (Array.isArray(match)) {
    match.forEach((rule: unknown, index) => {
      if (!rule || typeof rule !== 'object') return;
      for (const [key, value] of Object.entries(rule)) {
        try {
          if (typeof value === 'string') compileMatchValue(value);
        } catch (error) {
          problems.push(`match.${index}.${key}: ${(error as Error).message}`);
        }
      }
    });
  }
  if (problems.length > 0 || !parsed.success) throw fileProblems(file, problems);
  const front = parsed.data;
  return {
    id: front.id,
    file,
    title: front.title,
    severity: front.severity,
    escalation: front.escalation,
    isDefault: front.default,
    services: front.services,
    match: front.match,
    actions: front.actions,
    sections: splitSections(found[2] ?? ''),
  };
}

function fileProblems(file: string, problems: readonly string[]): ConfigError {
  return new ConfigError(problems.length === 1 ? `${file}: ${problems[0]}` : `${file}: ${problems.length} problems:\n    ${problems.join('\n    ')}`);
}

/** Splits a Markdown body on its `## ` headings; text before the first heading becomes "Overview". */
export function splitSections(body: string): RunbookSection[] {
  const sections: RunbookSection[] = [];
  let current: RunbookSection = { title: 'Overview', markdown: '' };
  let inFence = false;
  for (const line of body.split(/\r?\n/)) {
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    const heading = !inFence && /^##\s+(.+?)\s*#*\s*$/.exec(line);
    if (heading) {
      if (current.markdown.trim() !== '') sections.push({ ...current, markdown: current.markdown.trim() });
      current = { title: heading[1] ?? '', markdown: '' };
    } else if (!/^#\s/.test(line) || inFence) {
      current.markdown += `${line}\n`;
    }
  }
  if (current.markdown.trim() !== '') sections.push({ ...current, markdown: current.markdown.trim() });
  return sections;
}
