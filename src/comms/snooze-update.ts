import type { Deps } from '../deps.js';
import { lockIncident } from '../record/lock-incident.js';
import { recordPost } from '../record/channel-post.js';
import { recordEvents } from '../record/timeline.js';
import { requestSync } from '../queue/queue-after-commit.js';
import { reminderTarget } from './reminder-target.js';
import { requestUpdateReminder } from './request-update-reminder.js';
import { planCadenceLocked, type ScheduledUpdateReminder } from './update-cadence.js';
import { SNOOZE_MS } from './update-status.js';

export type SnoozeOutcome = { kind: 'snoozed'; until: Date; target: string | null } | { kind: 'resolved' } | { kind: 'no_cadence' } | { kind: 'not_found' };

/** Snoozes the update reminder for 30 minutes (never to earlier than planned). Anyone may; who did, and for whom, is recorded. */
export async function snoozeUpdate(deps: Pick<Deps, 'db' | 'clock' | 'queues' | 'log'>, incidentId: string, by: string): Promise<SnoozeOutcome> {
  let reminder: ScheduledUpdateReminder | null = null;
  const outcome = await deps.db.$transaction(async (tx): Promise<SnoozeOutcome> => {
    const incident = await lockIncident(tx, incidentId);
    const now = deps.clock.now();
    if (!incident) return { kind: 'not_found' };
    if (incident.status === 'resolved') return { kind: 'resolved' };
    const cadence = await tx.updateCadence.findUnique({ where: { incidentId } });
    if (!cadence) return { kind: 'no_cadence' };
    // The button of an older reminder must not bring forward an update planned later than that.
    const until = new Date(Math.max(now.getTime() + SNOOZE_MS, cadence.nextDueAt.getTime()));
    reminder = await planCadenceLocked(tx, incidentId, until);
    const target = await reminderTarget(tx, incident);
    const data = { by, target, byTarget: by === target, until: until.toISOString() };
    await recordEvents(tx, [{ incidentId, type: 'update.snoozed', actor: by, source: 'slack', at: now, data }]);
    await recordPost(tx, incidentId, { kind: 'update_snoozed', data });
    await tx.incident.update({ where: { id: incidentId }, data: { messageVersion: { increment: 1 } } });
    return { kind: 'snoozed', until, target };
  });
  if (outcome.kind === 'snoozed') {
    await requestSync(deps, incidentId);
    if (reminder) await requestUpdateReminder(deps, reminder);
  }
  return outcome;
}
