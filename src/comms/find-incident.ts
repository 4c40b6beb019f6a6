import type { Deps } from '../deps.js';
import type { Incident } from '../db/client.js';

/** The incident named `INC-<number>`, else the one whose channel this is; undefined when neither. */
export async function findIncident(deps: Pick<Deps, 'db'>, where: { number?: number; channelId: string }): Promise<Incident | undefined> {
  const found = where.number !== undefined ? await deps.db.incident.findUnique({ where: { number: where.number } }) : await deps.db.incident.findUnique({ where: { channelId: where.channelId } });
  return found ?? undefined;
}
