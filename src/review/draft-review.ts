import type { Runbook } from '../runbooks/runbook.js';
import { HUMAN_SECTIONS, humanSection, sectionDefault, type HumanSectionKey } from './human-sections.js';
import { actionsSection, alertsSection, escalationSection, notesSection, timelineSection } from './record-sections.js';
import type { ReviewFacts } from './review-facts.js';
import { compute } from './review-figures.js';
import type { ReviewStatus } from './review-status.js';
import { summarySection } from './summary-section.js';
import { inline, who } from './review-format.js';

export type { ReviewStatus };

/** An action item recorded with `/incident followup`. */
export interface FollowUpItem {
  owner: string;
  dueOn: Date;
  text: string;
  createdBy: string;
  createdAt: Date;
}

export interface DraftOptions {
  /** The people-written sections (as saved, or read back with extractHumanSections), kept verbatim. */
  humanSections?: Record<string, string>;
  review?: ReviewStatus;
  followUps?: readonly FollowUpItem[];
}

/** The action items recorded with `/incident followup`, ahead of those people write into the section. */
function followUpLines(items: readonly FollowUpItem[]): string[] {
  if (items.length === 0) return [];
  const lines = ['Recorded with `/incident followup`:', '', '| Owner | Deadline | Item | Added by |', '|---|---|---|---|'];
  for (const item of items) lines.push(`| ${who(item.owner)} | ${item.dueOn.toISOString().slice(0, 10)} | ${inline(item.text, 500)} | ${who(item.createdBy)} |`);
  lines.push('', 'More:', '');
  return lines;
}

/**
 * Drafts the post-incident review as Markdown from the incident's record. Pure: the same facts
 * give the same text. The figures, alerts, escalation, actions, notes and timeline are computed;
 * the sections in HUMAN_SECTIONS are for people, seeded with placeholders (and the runbook's
 * Prevention section) or, on a re-draft, kept verbatim from `options.humanSections`.
 */
export function draftReview(facts: ReviewFacts, runbook: Runbook | undefined, options: DraftOptions = {}): string {
  const c = compute(facts);
  const kept = options.humanSections ?? {};
  const human = (key: HumanSectionKey) => {
    const section = HUMAN_SECTIONS.find((candidate) => candidate.key === key);
    if (!section) throw new Error(`unknown review section ${key}`);
    const given = kept[key];
    const fallback = sectionDefault(key, runbook);
    return humanSection(key, section.title, given ?? fallback, key === 'action-items' ? followUpLines(options.followUps ?? []) : []);
  };
  const blocks: string[][] = [
    [
      `# INC-${facts.incident.number}: ${inline(facts.incident.title, 300)}`,
      '',
      '<!-- Post-incident review drafted by the incident bot. Everything outside the review:… markers is computed from the record and rewritten when the review is drafted again; write between the markers. -->',
    ],
    summarySection(facts, c, runbook, options.review),
    human('impact'),
    alertsSection(facts, c),
    escalationSection(facts, c),
    actionsSection(facts, c),
    notesSection(facts, c),
    human('root-cause'),
    human('went-well'),
    human('went-poorly'),
    human('action-items'),
    human('tests-and-alerts'),
    timelineSection(facts, c),
  ];
  return `${blocks.map((block) => block.join('\n')).join('\n\n')}\n`;
}
