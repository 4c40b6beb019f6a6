import type { Deps } from '../deps.js';
import { parseUpdateStatus, type UpdateStatus } from './update-status.js';

/** What the incident message shows of roles and updates. */
export interface CommsSummary {
  /** Every configured role in config order, with who holds it (null: nobody). */
  roles: { role: string; userId: string | null }[];
  latest: { status: UpdateStatus; postedAt: Date } | null;
  nextDueAt: Date | null;
  /** The due time passed and the reminder went out, with no update since. */
  overdue: boolean;
}

export async function loadCommsSummary(deps: Pick<Deps, 'db' | 'config'>, incidentId: string): Promise<CommsSummary> {
  const [held, latest, cadence] = await Promise.all([
    deps.db.incidentRole.findMany({ where: { incidentId }, select: { role: true, userId: true } }),
    deps.db.statusUpdate.findFirst({ where: { incidentId }, orderBy: { postedAt: 'desc' }, select: { status: true, postedAt: true } }),
    deps.db.updateCadence.findUnique({ where: { incidentId } }),
  ]);
  const roles = Object.keys(deps.config.roles).map((role) => ({ role, userId: held.find((row) => row.role === role)?.userId ?? null }));
  return {
    roles,
    latest: latest ? { status: parseUpdateStatus(latest.status), postedAt: latest.postedAt } : null,
    nextDueAt: cadence?.nextDueAt ?? null,
    overdue: cadence?.remindedAt != null,
  };
}
