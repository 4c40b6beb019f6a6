/**
 * What the sandbox's demo application remembers: whether its job queue is paused, what its cache
 * last invalidated, and counters the ops endpoints move. Diagnostics read it back, so a mitigation
 * pressed in the sandbox shows in the next diagnostic's result.
 */
export interface DemoState {
  startedAt: Date;
  queue: { paused: boolean; changedAt: Date | undefined; waiting: number; running: number };
  cache: { invalidatedAt: Date | undefined; tags: string[]; keys: number };
  deadTasks: number;
  redelivered: number;
  retentionRuns: number;
}

export function newDemoState(now: Date): DemoState {
  return {
    startedAt: new Date(now.getTime() - 70 * 60_000),
    queue: { paused: false, changedAt: undefined, waiting: 37, running: 4 },
    cache: { invalidatedAt: undefined, tags: [], keys: 1_842 },
    deadTasks: 3,
    redelivered: 0,
    retentionRuns: 0,
  };
}

/** Jobs keep arriving while the queue is paused, so its length grows with the pause. */
export function queueWaiting(state: DemoState, now: Date): number {
  if (!state.queue.paused || !state.queue.changedAt) return state.queue.waiting;
  return state.queue.waiting + Math.floor((now.getTime() - state.queue.changedAt.getTime()) / 2_000);
}

/** After an invalidation the cache refills: the hit ratio starts low and climbs back within ten minutes. */
export function cacheHitRatio(state: DemoState, now: Date): number {
  if (!state.cache.invalidatedAt) return 0.93;
  const minutes = (now.getTime() - state.cache.invalidatedAt.getTime()) / 60_000;
  return Math.min(0.93, 0.35 + 0.058 * minutes);
}
