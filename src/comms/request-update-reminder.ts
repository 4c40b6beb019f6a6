import type { Deps } from '../deps.js';
import type { ScheduledUpdateReminder } from './update-cadence.js';

/** Queues an update reminder that is already in Postgres; the relay rebuilds it if this fails. */
export async function requestUpdateReminder(deps: Pick<Deps, 'queues' | 'log' | 'clock'>, reminder: ScheduledUpdateReminder): Promise<void> {
  await deps.queues.scheduleUpdateReminder(reminder, deps.clock.now()).catch((error: unknown) => deps.log.warn({ err: error, incidentId: reminder.incidentId }, 'could not queue the update reminder; the relay will'));
}
