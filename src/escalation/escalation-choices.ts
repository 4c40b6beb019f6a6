import type { Deps } from '../deps.js';
import { policyOf } from '../record/policy.js';

export interface EscalationChoices {
  incidentId: string;
  title: string;
  /** How many levels the incident's policy has, and the level it is at now. */
  levels: number;
  level: number;
}

/** What the "Escalate" dialog offers for an incident; null when it has no escalation policy. */
export async function escalationChoices(deps: Pick<Deps, 'db'>, incidentId: string): Promise<EscalationChoices | null> {
  const incident = await deps.db.incident.findUnique({ where: { id: incidentId } });
  const policy = incident ? policyOf(incident) : null;
  if (!incident || !policy) return null;
  return { incidentId: incident.id, title: incident.title, levels: policy.levels.length, level: incident.level };
}
