import { randomUUID } from 'node:crypto';
import type { Deps } from '../deps.js';
import { lockIncident } from '../record/lock-incident.js';
import { recordPost } from '../record/channel-post.js';
import { recordEvents } from '../record/timeline.js';
import { reminderTarget } from './reminder-target.js';
import type { ScheduledUpdateReminder } from './update-cadence.js';

/** A job that fires this much early (the clocks of Redis and this host disagree) still counts. */
const EARLY_TOLERANCE_MS = 1_000;

/**
 * Runs when an update is due. Under the incident's row lock it does nothing unless the job carries
 * the cadence's current token (a new update or a snooze spends it) and the incident is not
 * resolved; it then reminds once (the token is cleared) and marks the update overdue.
 */
export async function remindAboutUpdate(deps: Pick<Deps, 'db' | 'clock' | 'log'>, job: { incidentId: string; token: string }): Promise<{ next: ScheduledUpdateReminder | null; sync: boolean } | null> {
  return deps.db.$transaction(async (tx) => {
    const incident = await lockIncident(tx, job.incidentId);
    const now = deps.clock.now();
    const cadence = await tx.updateCadence.findUnique({ where: { incidentId: job.incidentId } });
    if (!incident || !cadence || cadence.reminderToken !== job.token) return null;
    if (incident.status === 'resolved') {
      await tx.updateCadence.delete({ where: { incidentId: incident.id } });
      return null;
    }
    if (cadence.nextDueAt.getTime() - now.getTime() > EARLY_TOLERANCE_MS) {
      const token = randomUUID();
      await tx.updateCadence.update({ where: { incidentId: incident.id }, data: { reminderToken: token } });
      return { next: { incidentId: incident.id, token, at: cadence.nextDueAt }, sync: false };
    }
    const to = await reminderTarget(tx, incident);
    const data = { to, dueAt: cadence.nextDueAt.toISOString() };
    await tx.updateCadence.update({ where: { incidentId: incident.id }, data: { reminderToken: null, remindedAt: now } });
    await recordEvents(tx, [{ incidentId: incident.id, type: 'update.reminded', actor: 'bot', source: 'worker', at: now, data }]);
    await recordPost(tx, incident.id, { kind: 'update_reminder', data });
    await tx.incident.update({ where: { id: incident.id }, data: { messageVersion: { increment: 1 } } });
    deps.log.info({ incidentId: incident.id, to }, 'update reminder posted');
    return { next: null, sync: true };
  });
}
