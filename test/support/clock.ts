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
