import type { Prisma } from '../db/client.js';
import type { Deps } from '../deps.js';
import { lockIncident } from '../record/lock-incident.js';
import { resolveLocked } from './resolve-incident.js';
import type { ScheduledReminder } from '../review/reminder-schedule.js';

/** Every alert of the incident has resolved: the incident resolves too (unless turned off, or declared by hand). */
/** Returns the review's first reminder when it resolved the incident (the relay queues it too, should this be lost). */
export async function autoResolve(tx: Prisma.TransactionClient, incidentId: string, actor: string, deps: Pick<Deps, 'config' | 'clock'>): Promise<ScheduledReminder | null> {
  if (!deps.config.incidents.auto_resolve) return null;
  const incident = await lockIncident(tx, incidentId);
  if (!incident || incident.status === 'resolved' || incident.source === 'manual') return null;
  if ((await tx.alert.count({ where: { incidentId, status: 'firing' } })) > 0) return null;
  return resolveLocked(tx, incident, { actor, source: 'alert', summary: 'every alert has resolved' }, deps.clock.now(), deps.config);
}
