import type { Deps } from '../deps.js';
import { relayPendingWork } from './outbox-relay.js';

/** Runs the relay now and every `intervalMs`, one pass at a time; `kick` asks for a pass at once. */
export function outboxRelayLoop(deps: Pick<Deps, 'db' | 'queues' | 'log' | 'runbooks' | 'config' | 'clock' | 'slack' | 'slackHealth'>, intervalMs: number): { kick(): void; stop(): void } {
  let running = false;
  let stopped = false;
  const pass = async () => {
    if (running || stopped) return;
    running = true;
    try {
      await relayPendingWork(deps);
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
