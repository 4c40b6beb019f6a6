import type { Deps } from '../deps.js';
import { settleLostRuns } from '../actions/settle-lost-runs.js';
import { relayPendingWork } from '../queue/outbox-relay.js';
import { recordHandoffs } from '../schedules/record-handoffs.js';
import { archiveResolvedChannels } from '../slack/archive-resolved-channels.js';
import { relayUpdateReminders } from '../comms/relay-update-reminders.js';

/**
 * Runs the relay now and every `intervalMs`, one pass at a time; `kick` asks for a pass at once.
 * Each pass first records schedule handoffs, then settles action runs that lost their job, plans
 * and queues stakeholder update reminders, and archives the channels of resolved incidents that
 * are due.
 */
export function outboxRelayLoop(deps: Pick<Deps, 'db' | 'queues' | 'log' | 'runbooks' | 'config' | 'clock' | 'slack'>, intervalMs: number): { kick(): void; stop(): void } {
  let running = false;
  let stopped = false;
  const pass = async () => {
    if (running || stopped) return;
    running = true;
    try {
      // Each handoff becomes a row first; the relay then queues the rows not done yet.
      await recordHandoffs(deps).catch((error: unknown) => deps.log.warn({ err: error }, 'relay: recording schedule handoffs failed; next pass'));
      await relayPendingWork(deps);
      await settleLostRuns(deps).catch((error: unknown) => deps.log.warn({ err: error }, 'relay: settling lost action runs failed; next pass'));
      await relayUpdateReminders(deps).catch((error: unknown) => deps.log.warn({ err: error }, 'relay: update reminders failed; next pass'));
      await archiveResolvedChannels(deps).catch((error: unknown) => deps.log.warn({ err: error }, 'relay: archiving channels failed; next pass'));
    } catch (error) {
      deps.log.warn({ err: error }, 'relay pass failed; will try again');
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void pass(), intervalMs);
  timer.unref();
  void pass();
  return {
    kick: () => void pass(),
    stop: () => {
      stopped = true;
      clearInterval(timer);
    },
  };
}
