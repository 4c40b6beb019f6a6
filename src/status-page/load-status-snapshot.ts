import type { Db } from '../db/client.js';
import { StoredRecordError } from '../record/stored-record-error.js';
import { publicStatusSchema, type Indicator } from './public-statuses.js';
import type { ScheduledMaintenanceProvider } from './scheduled-maintenances.js';
import { componentStatesSchema, componentStateSchema, type StatusSnapshot } from './status-snapshot.js';

/** How far back the page shows incidents and component history. */
export const HISTORY_DAYS = 90;

const INDICATORS = new Set<string>(['none', 'minor', 'major', 'critical']);

function parseStored<T>(what: string, id: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new StoredRecordError(what, id, (error as Error).message);
  }
}

/** Reads the public state from the public tables only: what was published, never the incident itself. */
export async function loadStatusSnapshot(db: Db, now: Date, maintenances: ScheduledMaintenanceProvider): Promise<StatusSnapshot> {
  const since = new Date(now.getTime() - HISTORY_DAYS * 86_400_000);
  const [rows, changed, windows] = await Promise.all([
    db.publicIncident.findMany({
      where: { hiddenAt: null, OR: [{ resolvedAt: null }, { resolvedAt: { gte: since } }] },
      orderBy: { createdAt: 'desc' },
      include: { components: true, updates: { orderBy: { createdAt: 'desc' } } },
    }),
    db.publicIncident.aggregate({ _max: { updatedAt: true } }),
    maintenances(now),
  ]);
  const incidents = rows.map((row) =>
    parseStored('public incident', row.id, () => ({
      id: row.id,
      title: row.title,
      status: publicStatusSchema.parse(row.status),
      impact: (INDICATORS.has(row.impact) ? row.impact : 'none') as Indicator,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
      resolvedAt: row.resolvedAt,
      components: row.components.map((state) => componentStateSchema.parse({ name: state.component, status: state.status })),
      updates: row.updates.map((update) => ({ id: update.id, status: publicStatusSchema.parse(update.status), body: update.body, components: componentStatesSchema.parse(update.components), createdAt: update.createdAt })),
    })),
  );
  const latest = [changed._max.updatedAt, ...windows.map((window) => window.updatedAt)].filter((at): at is Date => at instanceof Date);
  return { incidents, maintenances: windows, changedAt: new Date(Math.max(0, ...latest.map((at) => at.getTime()))) };
}
