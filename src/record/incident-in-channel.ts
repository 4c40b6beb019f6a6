import type { Deps } from '../deps.js';

/** The id of the incident whose channel this is; null outside incident channels. */
export async function incidentInChannel(deps: Pick<Deps, 'db'>, channelId: string): Promise<string | null> {
  const incident = await deps.db.incident.findUnique({ where: { channelId }, select: { id: true } });
  return incident?.id ?? null;
}
