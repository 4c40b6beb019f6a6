import type { Deps } from '../deps.js';
import { savedSections } from './current-draft.js';
import { HUMAN_SECTIONS, sectionDefault } from './human-sections.js';

export interface SectionsToEdit {
  reference: string;
  title: string;
  /** Section key → what it holds now: what people saved, else what the draft proposes (cut to `max`); empty for a bare placeholder. */
  sections: Record<string, string>;
}

/** What the Edit review modal opens with; undefined before the incident first resolves. */
export async function sectionsToEdit(deps: Pick<Deps, 'db' | 'runbooks'>, incidentId: string, max: number): Promise<SectionsToEdit | undefined> {
  const review = await deps.db.review.findUnique({ where: { incidentId }, include: { incident: { select: { number: true, title: true, runbookId: true } } } });
  if (!review) return undefined;
  const runbook = deps.runbooks.find((candidate) => candidate.id === review.incident.runbookId);
  const saved = savedSections(review);
  // A box is not prefilled with placeholder text one must delete: the modal shows it as a hint.
  const proposed = (section: (typeof HUMAN_SECTIONS)[number]) => {
    const text = sectionDefault(section.key, runbook);
    return text === section.placeholder ? '' : text;
  };
  const sections = Object.fromEntries(HUMAN_SECTIONS.map((section) => [section.key, (saved[section.key] ?? proposed(section)).slice(0, max)]));
  return { sections, reference: `INC-${review.incident.number}`, title: review.incident.title };
}
