/**
 * Schedules benchmark: how cheap "who is on call" is, and how long an eight-week calendar feed
 * takes to compute and render. Pure computation, no database: overrides are given in memory, as
 * the bot has them once read from Postgres.
 *
 *   npm run bench:schedules [-- --schedules 200 --overrides 50 --lookups 10000 --seed 7]
 *
 * Builds `--schedules` schedules of three layers (weekly, business hours over it, weekend days
 * in 12-hour turns) in a mix of time zones with `--overrides` overrides each spread over a year,
 * then asks who is on call in a random schedule at `--lookups` random times over that year
 * (onCallAt, the query escalation uses) and with the whole shift's start and end (shiftAt, what
 * /incident oncall and the API answer). Prints p50/p99 of each, and the time to compute and
 * render the iCalendar feed of eight weeks for a schedule.
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { configSchema } from '../src/config/config-file.js';
import { finalShifts, shiftAt } from '../src/schedules/final-shifts.js';
import { renderIcsFeed } from '../src/schedules/ical-feed.js';
import { onCallAt, type ActiveOverride } from '../src/schedules/on-call-at.js';
import { summarize } from './support/stats.js';

const AIM_P99_MS = 1;
const { values } = parseArgs({ options: { schedules: { type: 'string', default: '200' }, overrides: { type: 'string', default: '50' }, lookups: { type: 'string', default: '10000' }, seed: { type: 'string', default: '7' } } });
const count = Number(values.schedules);
const overridesEach = Number(values.overrides);
const lookups = Number(values.lookups);
let state = Number(values.seed) >>> 0 || 1;
/** A small seeded generator (xorshift32), so runs are comparable. */
const random = () => {
  state ^= state << 13;
  state ^= state >>> 17;
  state ^= state << 5;
  return (state >>> 0) / 4_294_967_296;
};

const ZONES = ['Europe/Berlin', 'America/New_York', 'Asia/Tokyo', 'Australia/Sydney', 'UTC', 'America/Los_Angeles'];
const user = (index: number) => `U${String(index).padStart(9, '0')}`;
const raw: Record<string, unknown> = {};
for (let index = 0; index < count; index++) {
  raw[`s${index}`] = {
    time_zone: ZONES[index % ZONES.length],
    layers: [
      { name: 'weekly', users: [0, 1, 2, 3, 4].map((n) => user(index * 10 + n)), rotation: 'weekly', handoff: 'monday 10:00', start: '2026-01-05' },
      { name: 'business-hours', users: [5, 6].map((n) => user(index * 10 + n)), rotation: 'daily', handoff: '09:00', start: '2026-01-05', restrict: ['mon-fri 09:00-17:00'] },
      { name: 'weekend', users: [7, 8, 9].map((n) => user(index * 10 + n)), rotation: '12h', handoff: '08:00', start: '2026-01-05', restrict: ['sat-sun 08:00-20:00'] },
    ],
  };
}
const schedules = Object.values(configSchema.parse({ schedules: raw }).schedules);
const yearStart = Date.parse('2026-01-05T00:00:00Z');
const YEAR = 365 * 86_400_000;
const overrides: ActiveOverride[][] = schedules.map((_, index) =>
  Array.from({ length: overridesEach }, (__, n) => {
    const from = yearStart + Math.floor(random() * YEAR);
    return { id: index * overridesEach + n + 1, user: user(900_000 + n), from, until: from + Math.floor(3_600_000 + random() * 3 * 86_400_000) };
  }),
);

function time(run: () => unknown): number {
  const start = performance.now();
  run();
  return performance.now() - start;
}

// Warm up Luxon's zone caches and the JIT before measuring.
for (let n = 0; n < 2_000; n++) onCallAt(schedules[n % count] ?? (schedules[0] as never), overrides[n % count] ?? [], yearStart + Math.floor(random() * YEAR));

const lookup: number[] = [];
const withSpan: number[] = [];
let nobody = 0;
for (let n = 0; n < lookups; n++) {
  const index = Math.floor(random() * count);
  const schedule = schedules[index];
  if (!schedule) continue;
  const at = yearStart + Math.floor(random() * YEAR);
  lookup.push(
    time(() => {
      if (!onCallAt(schedule, overrides[index] ?? [], at)) nobody++;
    }),
  );
  withSpan.push(time(() => shiftAt(schedule, overrides[index] ?? [], at)));
}

const feeds: number[] = [];
let events = 0;
for (let n = 0; n < 50; n++) {
  const index = Math.floor(random() * count);
  const schedule = schedules[index];
  if (!schedule) continue;
  const from = yearStart + Math.floor(random() * (YEAR - 56 * 86_400_000));
  feeds.push(
    time(() => {
      const shifts = finalShifts(schedule, overrides[index] ?? [], from, from + 56 * 86_400_000);
      events = shifts.length;
      renderIcsFeed(`s${index}`, shifts, new Date(from));
    }),
  );
}

const f = (value: number) => `${value.toFixed(3)} ms`;
const a = summarize(lookup);
const b = summarize(withSpan);
const c = summarize(feeds);
console.log(`schedules: ${count} × 3 layers, ${overridesEach} overrides each, ${lookups} random times over a year (nobody on call at ${nobody})`);
console.log(`who is on call (onCallAt)       p50 ${f(a.p50)}  p99 ${f(a.p99)}  max ${f(a.max)}  (aim: p99 < ${AIM_P99_MS} ms: ${a.p99 < AIM_P99_MS ? 'met' : 'NOT met'})`);
console.log(`with the shift's span (shiftAt)  p50 ${f(b.p50)}  p99 ${f(b.p99)}  max ${f(b.max)}`);
console.log(`eight-week iCalendar feed (${events} events in the last one, ${c.count} feeds)  p50 ${f(c.p50)}  p99 ${f(c.p99)}  max ${f(c.max)}`);
