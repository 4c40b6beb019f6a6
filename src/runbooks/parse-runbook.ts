import { parseDocument } from 'yaml';
import { ConfigError } from '../config/config-error.js';
import type { Runbook, RunbookSection } from './runbook.js';
import { runbookFrontMatterSchema } from './runbook-schema.js';
import { compileMatchValue } from './match-value.js';

const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/;

/** Parses one runbook file; throws a ConfigError naming the file and the reason. */
export function parseRunbook(file: string, text: string): Runbook {
  const found = FRONT_MATTER.exec(text);
  if (!found) throw new ConfigError(`${file}: missing YAML front matter (the file must start with a line "---")`);
  const document = parseDocument(found[1] ?? '');
  if (document.errors.length > 0) throw new ConfigError(`${file}: invalid YAML front matter: ${document.errors[0]?.message}`);
  const parsed = runbookFrontMatterSchema.safeParse(document.toJS());
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(front matter)'}: ${issue.message}`);
    throw new ConfigError(`${file}: ${problems.join('; ')}`);
  }
  const front = parsed.data;
  front.match.forEach((rule, index) => {
    for (const [key, value] of Object.entries(rule)) {
      try {
        compileMatchValue(value);
      } catch (error) {
        throw new ConfigError(`${file}: match.${index}.${key}: ${(error as Error).message}`);
      }
    }
  });
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
