import type { Incident } from '../db/client.js';

/** How people name an incident everywhere: `INC-42`. */
export function incidentReference(incident: Pick<Incident, 'number'>): string {
  return `INC-${incident.number}`;
}
