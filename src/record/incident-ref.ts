/** How a caller names an incident: its id, or the number of its `INC-<n>` reference. */
export type IncidentRef = { id: string } | { number: number };

/** Postgres int: a larger number is well formed but names no incident. */
const MAX_NUMBER = 2_147_483_647;

/** The unique where-clause for a reference; null when no incident can have it. */
export function incidentWhere(ref: IncidentRef): { id: string } | { number: number } | null {
  if ('number' in ref) return ref.number > MAX_NUMBER ? null : { number: ref.number };
  return { id: ref.id };
}
