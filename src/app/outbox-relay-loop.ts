import type { Deps } from '../deps.js';
import type { Logger } from '../log.js';
import { settleLostRuns } from '../actions/settle-lost-runs.js';
import { relayPendingWork } from '../queue/outbox-relay.js';
import type { RedisOutage } from '../queue/redis-outage.js';
import { recordHandoffs } from '../schedules/record-handoffs.js';
import { archiveResolvedChannels } from '../slack/archive-resolved-channels.js';
import { relayUpdateReminders } from '../comms/relay-update-reminders.js';

/** A logger whose warnings are debug lines: the relay's per-item warnings during a known outage. */
function quiet(log: Logger): Logger {
  const child = log.child({});
  child.warn = child.debug.bind(child);
  return child;
}

/**
 * Runs the relay now and every `intervalMs`, one pass at a time; `kick` asks for a pass at once.
 * Each pass first records schedule handoffs, then settles action runs that lost their job, plans
 * and queues stakeholder update reminders, and archives the channels of resolved incidents that
 * are due. While Slack refuses the token, Slack work is left to wait.
 */
export function outboxRelayLoop(deps: Pick<Deps, 'db' | 'queues' | 'log' | 'runbooks' | 'config' | 'clock' | 'slack' | 'slackHealth'>, intervalMs: number, redisOutage?: RedisOutage): { kick(): void; stop(): Promise<void> } {
  let current: Promise<void> | undefined;
  let stopped = false;
  const pass = (): Promise<void> => {
    if (current || stopped) return current ?? Promise.resolve();
    current = onePass().finally(() => {
      current = undefined;
    });
    return current;
  };
  const onePass = async () => {
    try {
      // While Redis is down every pass fails to queue: the outage is logged once, not per pass.
      const passDeps = redisOutage?.down ? { ...deps, log: quiet(deps.log) } : deps;
      const slackWaits = deps.slackHealth.blocked !== undefined;
      // Each handoff becomes a row first; the relay then queues the rows not done yet.
      await recordHandoffs(passDeps).catch((error: unknown) => passDeps.log.warn({ err: error }, 'relay: recording schedule handoffs failed; next pass'));
      await relayPendingWork(passDeps, undefined, { sweepSlack: !slackWaits });
      await settleLostRuns(passDeps).catch((error: unknown) => passDeps.log.warn({ err: error }, 'relay: settling lost action runs failed; next pass'));
      await relayUpdateReminders(passDeps).catch((error: unknown) => passDeps.log.warn({ err: error }, 'relay: update reminders failed; next pass'));
      if (!slackWaits) await archiveResolvedChannels(passDeps).catch((error: unknown) => passDeps.log.warn({ err: error }, 'relay: archiving channels failed; next pass'));
    } catch (error) {
      if (redisOutage?.down) deps.log.debug({ err: error }, 'relay pass failed while Redis is down; will try again');
      else deps.log.warn({ err: error }, 'relay pass failed; will try again');
    }
  };
  const timer = setInterval(() => void pass(), intervalMs);
  timer.unref();
  void pass();
  return {
    kick: () => void pass(),
    /** Stops the timer and waits for a pass under way, so none uses a connection being closed. */
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await current;
    },
  };
}
