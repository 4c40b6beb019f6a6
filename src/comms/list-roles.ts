import type { Deps } from '../deps.js';

/** Every role of `roles:` in config order, with its duty and who holds it in this incident (null: nobody). */
export async function listRoles(deps: Pick<Deps, 'db' | 'config'>, incidentId: string): Promise<{ role: string; duty: string; userId: string | null }[]> {
  const held = await deps.db.incidentRole.findMany({ where: { incidentId }, select: { role: true, userId: true } });
  return Object.entries(deps.config.roles).map(([role, duty]) => ({ role, duty, userId: held.find((row) => row.role === role)?.userId ?? null }));
}
