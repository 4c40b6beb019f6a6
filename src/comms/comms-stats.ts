import type { Db } from '../db/client.js';

/** For /metrics: updates posted (by severity) and incidents not resolved whose update is overdue. */
export async function commsStats(db: Db, now: Date): Promise<{ posted: { severity: string; count: number }[]; overdue: number }> {
  const posted = await db.$queryRaw<{ severity: string; count: number }[]>`
    SELECT i.severity, COUNT(*)::int AS count FROM status_updates u JOIN incidents i ON i.id = u.incident_id GROUP BY i.severity`;
  const overdue = await db.updateCadence.count({ where: { nextDueAt: { lt: now }, incident: { status: { not: 'resolved' } } } });
  return { posted, overdue };
}
