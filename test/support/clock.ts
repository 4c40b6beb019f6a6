import type { Clock } from '../../src/clock.js';

/**
 * A clock that starts at a fixed instant and runs at real speed from there: a test whose alerts
 * carry fixed dates sees the bot read the same calendar, whatever day the test runs on.
 */
export function clockStartingAt(start: Date | string): Clock {
  const origin = new Date(start).getTime();
  const realStart = Date.now();
  return { now: () => new Date(origin + (Date.now() - realStart)) };
}

/** A clock at real speed that a test can move forward at once (a day passes between two pages). */
export function movableClock(start: Date | string = new Date()): Clock & { advance(ms: number): void } {
  let offset = new Date(start).getTime() - Date.now();
  return {
    now: () => new Date(Date.now() + offset),
    advance: (ms: number) => {
      offset += ms;
    },
  };
}
