import type { Runbook } from '../runbooks/runbook.js';

/**
 * The sections people write. Each sits between markers, `<!-- review:<key> -->` and
 * `<!-- /review:<key> -->`, each on a line of its own; what lies between them is kept verbatim
 * when the review is drafted again (after a reopen and a new resolution). Everything else in the
 * draft is computed from the record and rewritten.
 */
export const HUMAN_SECTIONS = [
  { key: 'impact', title: 'Impact on users', placeholder: '_To fill in: who or what was affected, and how much (users, requests, payments, data)._', hint: 'Who or what was affected, and how much' },
  { key: 'root-cause', title: 'Root cause', placeholder: '_To fill in: what caused it, and what made that possible._', hint: 'What caused it, and what made that possible' },
  { key: 'went-well', title: 'What went well', placeholder: '_To fill in._', hint: 'What helped: an alert, a runbook step, a person' },
  { key: 'went-poorly', title: 'What went poorly', placeholder: '_To fill in._', hint: 'What slowed the response down' },
  { key: 'action-items', title: 'Action items', placeholder: '| Owner | Deadline | Item |\n|---|---|---|\n|  |  |  |', hint: 'A Markdown table: | Owner | Deadline | Item |' },
  { key: 'tests-and-alerts', title: 'Tests and alerts to add', placeholder: '_To fill in: the tests and alerts that would have caught this sooner, or stop it happening again._', hint: 'The tests and alerts that would have caught this sooner' },
] as const;

export type HumanSectionKey = (typeof HUMAN_SECTIONS)[number]['key'];

const MARKER = /^<!--\s*review:([a-z0-9-]+)\s*-->[ \t]*\r?\n([\s\S]*?)^<!--\s*\/review:\1\s*-->[ \t]*$/gm;

/**
 * Reads the people-written sections back from an earlier draft: key → the text between its
 * markers, exactly (the line breaks right after the opening marker and right before the closing
 * one belong to the markers). Sections whose markers were removed are not returned.
 */
export function extractHumanSections(markdown: string): Record<string, string> {
  const sections: Record<string, string> = {};
  for (const match of markdown.matchAll(MARKER)) {
    const key = match[1] ?? '';
    if (key in sections) continue;
    sections[key] = (match[2] ?? '').replace(/\r?\n$/, '');
  }
  return sections;
}

/** The Prevention section of the runbook as the first content of "Tests and alerts to add". */
function preventionSeed(runbook: Runbook | undefined): string | undefined {
  const prevention = runbook?.sections.find((section) => section.title.trim().toLowerCase() === 'prevention')?.markdown.trim();
  if (!runbook || !prevention) return undefined;
  // A review marker inside the runbook text would end the section early when read back.
  const safe = prevention.replace(/<!--(\s*\/?review:)/g, '&lt;!--$1');
  return `_From the Prevention section of the runbook \`${runbook.id}\`: keep what applies, add what would have caught this sooner._\n\n${safe}`;
}

/** What a people-written section holds until someone writes it: a placeholder, or the runbook's Prevention section. */
export function sectionDefault(key: HumanSectionKey, runbook: Runbook | undefined): string {
  const section = HUMAN_SECTIONS.find((candidate) => candidate.key === key);
  if (!section) throw new Error(`unknown review section ${key}`);
  return key === 'tests-and-alerts' ? (preventionSeed(runbook) ?? section.placeholder) : section.placeholder;
}

export function humanSection(key: HumanSectionKey, title: string, content: string, preface: string[] = []): string[] {
  return [`## ${title}`, '', ...preface, `<!-- review:${key} -->`, content, `<!-- /review:${key} -->`];
}
