import { randomUUID } from 'node:crypto';
import type { Deps } from '../deps.js';
import { requestSync } from '../queue/queue-after-commit.js';
import { remindEvery } from './update-cadence.js';

const BATCH = 500;

/**
 * The update cadence as Postgres says it should be, and its reminder jobs on the queue: an
 * incident not resolved whose severity has `updates.remind_every` gets a cadence (its first update
 * due that long after it opened, reopened or last had an update); a resolved incident's cadence
 * ends; every pending reminder is queued (again: its job id makes that harmless).
 */
export async function relayUpdateReminders(deps: Pick<Deps, 'db' | 'queues' | 'log' | 'config' | 'clock'>): Promise<number> {
  await deps.db.$executeRaw`DELETE FROM update_cadences c USING incidents i WHERE c.incident_id = i.id AND i.status = 'resolved'`;
  const missing = await deps.db.$queryRaw<{ id: string; severity: string; since: Date }[]>`
    SELECT i.id, i.severity, GREATEST(i.opened_at, COALESCE(i.reopened_at, i.opened_at), COALESCE(MAX(u.posted_at), i.opened_at)) AS since
    FROM incidents i
    LEFT JOIN update_cadences c ON c.incident_id = i.id
    LEFT JOIN status_updates u ON u.incident_id = i.id
    WHERE i.status <> 'resolved' AND c.incident_id IS NULL
    GROUP BY i.id
    LIMIT ${BATCH}`;
  const planned = missing.flatMap((row) => {
    const every = remindEvery(deps.config, row.severity);
    return every ? [{ incidentId: row.id, nextDueAt: new Date(row.since.getTime() + every), reminderToken: randomUUID() }] : [];
  });
  if (planned.length > 0) {
    // A concurrent update may have planned one meanwhile: its plan wins (ON CONFLICT DO NOTHING).
    await deps.db.updateCadence.createMany({ data: planned, skipDuplicates: true });
    await deps.db.incident.updateMany({ where: { id: { in: planned.map((plan) => plan.incidentId) } }, data: { messageVersion: { increment: 1 } } });
    for (const plan of planned) await requestSync(deps, plan.incidentId);
  }
  const pending = await deps.db.updateCadence.findMany({ where: { reminderToken: { not: null }, incident: { status: { not: 'resolved' } } }, select: { incidentId: true, reminderToken: true, nextDueAt: true }, take: BATCH * 4 });
  const now = deps.clock.now();
  for (const row of pending) {
    // Each on its own: one failure must not skip the rest of the pass.
    await deps.queues.scheduleUpdateReminder({ incidentId: row.incidentId, token: row.reminderToken ?? '', at: row.nextDueAt }, now).catch((error: unknown) => deps.log.warn({ err: error, incidentId: row.incidentId }, 'relay: could not queue an update reminder; next pass'));
  }
  return planned.length;
}
