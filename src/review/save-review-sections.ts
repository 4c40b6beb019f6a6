import type { Deps } from '../deps.js';
import { recordEvents } from '../record/timeline.js';
import { requestSync } from '../queue/queue-after-commit.js';
import { savedSections } from './current-draft.js';
import { HUMAN_SECTIONS } from './human-sections.js';
import { lockIncidentAndReview } from './lock-review.js';

export type SaveOutcome = { kind: 'saved'; changed: string[] } | { kind: 'no_review' };

const KEYS = new Set<string>(HUMAN_SECTIONS.map((section) => section.key));

/**
 * Saves what people wrote into the review's sections (the Edit review modal). Only the sections
 * given change; a section left as the draft proposed it is not saved, so the runbook's seed can
 * still follow a later runbook change. The review is drafted again and its file posted anew.
 */
export async function saveReviewSections(deps: Pick<Deps, 'db' | 'clock' | 'queues' | 'log'>, incidentId: string, userId: string, sections: Record<string, string>): Promise<SaveOutcome> {
  const now = deps.clock.now();
  const outcome = await deps.db.$transaction(async (tx): Promise<SaveOutcome> => {
    const locked = await lockIncidentAndReview(tx, incidentId);
    if (!locked) return { kind: 'no_review' };
    const { review } = locked;
    const current = savedSections(review);
    const changed = Object.entries(sections).filter(([key, text]) => KEYS.has(key) && current[key] !== text);
    if (changed.length === 0) return { kind: 'saved', changed: [] };
    await tx.review.update({ where: { id: review.id }, data: { sections: { ...current, ...Object.fromEntries(changed) }, revision: { increment: 1 } } });
    await recordEvents(tx, [{ incidentId, type: 'review.edited', actor: userId, source: 'slack', at: now, data: { sections: changed.map(([key]) => key) } }]);
    return { kind: 'saved', changed: changed.map(([key]) => key) };
  });
  if (outcome.kind === 'saved' && outcome.changed.length > 0) await requestSync(deps, incidentId);
  return outcome;
}
