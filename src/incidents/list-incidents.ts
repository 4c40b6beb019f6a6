import type { Deps } from '../deps.js';
import type { Incident } from '../db/client.js';
import { IncidentStatus } from '../db/generated/enums.js';
import { toIncidentView, type AlertCounts, type IncidentView } from './incident-view.js';

/** Every status the schema knows (open, acknowledged, resolved, reopened …): a new one is listed and filterable without a change here. */
export const INCIDENT_STATUSES: readonly IncidentStatus[] = Object.values(IncidentStatus);
export { IncidentStatus };

/** A position in the newest-first order: the last incident of the previous page. */
export interface IncidentKey {
  openedAt: Date;
  id: string;
}

export interface ListIncidentsQuery {
  /** Empty or absent: every status. */
  statuses?: readonly IncidentStatus[];
  /** Incidents opened at or after this instant. */
  since?: Date;
  limit: number;
  /** Incidents strictly after this one in the order (opened_at desc, id desc). */
  after?: IncidentKey;
}

export interface IncidentPage {
  incidents: IncidentView[];
  /** The key of the last incident returned when more follow, else null. */
  next: IncidentKey | null;
}

const newestFirst = (a: Incident, b: Incident): number => b.openedAt.getTime() - a.openedAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

/**
 * One page of incidents, newest first (opened_at desc, id desc), keyset-paged.
 *
 * One query per status, merged here: each is `status = $1 AND opened_at <= …` ordered by
 * opened_at desc, so Postgres walks `incidents_status_opened_at_idx` backwards and stops after
 * limit + 1 rows. A single `status IN (…)` query cannot read that index in opened_at order and
 * would sort every matching incident (all resolved ones, ever) to return 50.
 */
export async function listIncidents(deps: Pick<Deps, 'db'>, query: ListIncidentsQuery): Promise<IncidentPage> {
  const statuses = query.statuses && query.statuses.length > 0 ? [...new Set(query.statuses)] : INCIDENT_STATUSES;
  const take = query.limit + 1;
  const { after, since } = query;
  const perStatus = await Promise.all(
    statuses.map((status) =>
      deps.db.incident.findMany({
        where: {
          status,
          // `lte` bounds the index scan; the OR then drops the ties at or before the cursor's id.
          openedAt: { ...(since ? { gte: since } : {}), ...(after ? { lte: after.openedAt } : {}) },
          ...(after ? { OR: [{ openedAt: { lt: after.openedAt } }, { id: { lt: after.id } }] } : {}),
        },
        orderBy: [{ openedAt: 'desc' }, { id: 'desc' }],
        take,
      }),
    ),
  );
  const merged = perStatus.flat().sort(newestFirst).slice(0, take);
  const page = merged.slice(0, query.limit);
  const last = page.at(-1);
  const counts = await alertCounts(deps, page.map((incident) => incident.id));
  return {
    incidents: page.map((incident) => toIncidentView(incident, counts.get(incident.id) ?? { firing: 0, resolved: 0 })),
    next: merged.length > query.limit && last ? { openedAt: last.openedAt, id: last.id } : null,
  };
}

/** Firing and resolved alerts per incident, in one query (index alerts(incident_id, status)). */
async function alertCounts(deps: Pick<Deps, 'db'>, incidentIds: string[]): Promise<Map<string, AlertCounts>> {
  const counts = new Map<string, AlertCounts>();
  if (incidentIds.length === 0) return counts;
  const groups = await deps.db.alert.groupBy({ by: ['incidentId', 'status'], where: { incidentId: { in: incidentIds } }, _count: { _all: true } });
  for (const group of groups) {
    if (!group.incidentId) continue;
    const entry = counts.get(group.incidentId) ?? { firing: 0, resolved: 0 };
    entry[group.status] = group._count._all;
    counts.set(group.incidentId, entry);
  }
  return counts;
}
