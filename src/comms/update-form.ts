import type { Deps } from '../deps.js';
import { parseUpdateStatus, type UpdateStatus } from './update-status.js';

/** What the update form starts from: the incident, and the status of its latest update. */
export async function updateForm(deps: Pick<Deps, 'db'>, incidentId: string): Promise<{ id: string; number: number; title: string; status: UpdateStatus } | undefined> {
  const incident = await deps.db.incident.findUnique({ where: { id: incidentId }, select: { id: true, number: true, title: true } });
  if (!incident) return undefined;
  const last = await deps.db.statusUpdate.findFirst({ where: { incidentId }, orderBy: { postedAt: 'desc' }, select: { status: true } });
  return { ...incident, status: parseUpdateStatus(last?.status) };
}
