import type { Deps } from '../deps.js';
import { incidentWhere, type IncidentRef } from '../record/incident-ref.js';
import { currentDraft, type CurrentDraft, type NameLookup } from './current-draft.js';

export type ReviewOutcome = { kind: 'no_incident' } | { kind: 'not_drafted'; number: number } | ({ kind: 'draft' } & CurrentDraft);

/** The review of an incident named by id or number, drafted again first if anything changed. */
export async function reviewOfIncident(deps: Pick<Deps, 'db' | 'runbooks'> & { names?: NameLookup }, ref: IncidentRef): Promise<ReviewOutcome> {
  const where = incidentWhere(ref);
  const incident = where ? await deps.db.incident.findUnique({ where, select: { id: true, number: true } }) : null;
  if (!incident) return { kind: 'no_incident' };
  const draft = await currentDraft(deps, incident.id);
  return draft ? { kind: 'draft', ...draft } : { kind: 'not_drafted', number: incident.number };
}
