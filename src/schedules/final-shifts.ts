import { layerShiftsIn, longestTurn } from './layer-rotation.js';
import { onCallAt, type ActiveOverride, type OnCall } from './on-call-at.js';
import { restrictionBoundaries } from './restriction-windows.js';
import type { Schedule } from '../config/schedule-config.js';

/** A span of the final schedule: one person chosen by one layer or override, [from, until) in epoch ms. */
export interface FinalShift extends OnCall {
  from: number;
  until: number;
}

/**
 * The final schedule over [from, to): every moment a layer turn, a restriction window or an
 * override may change who is on call is a boundary; between two of them one answer holds.
 * Spans with nobody on call are absent; neighbours with the same answer are merged.
 */
export function finalShifts(schedule: Schedule, overrides: readonly ActiveOverride[], from: number, to: number): FinalShift[] {
  const points = new Set<number>([from]);
  for (const layer of schedule.layers) {
    for (const shift of layerShiftsIn(layer, schedule.time_zone, from, to)) if (shift.from > from) points.add(shift.from);
    for (const point of restrictionBoundaries(layer.restrict, schedule.time_zone, from, to)) points.add(point);
  }
  for (const override of overrides) {
    for (const point of [override.from, override.until]) if (point > from && point < to) points.add(point);
  }
  const sorted = [...points].sort((a, b) => a - b);
  const shifts: FinalShift[] = [];
  sorted.forEach((start, index) => {
    const end = sorted[index + 1] ?? to;
    const who = onCallAt(schedule, overrides, start);
    if (!who) return;
    const previous = shifts.at(-1);
    if (previous && previous.until === start && previous.user === who.user && previous.layer === who.layer && previous.override === who.override) previous.until = end;
    else shifts.push({ ...who, from: start, until: end });
  });
  return shifts;
}

/** How far either side of a moment to look to find the whole shift around it. */
export function shiftHorizon(schedule: Schedule): number {
  return Math.max(...schedule.layers.map(longestTurn)) * 2 + 86_400_000;
}

/**
 * The final shift at `at` with its real start and end (as far as the horizon reaches), or
 * undefined: nobody. With `samePerson`, neighbouring shifts of the same person (another layer,
 * an override) count as one: the person's whole time on call, from their handoff. It looks a day
 * either side first and wider only while the answer reaches the edge of what it looked at: most
 * shifts are shorter than that.
 */
export function shiftAt(schedule: Schedule, overrides: readonly ActiveOverride[], at: number, samePerson = false): FinalShift | undefined {
  const horizon = shiftHorizon(schedule);
  for (let reach = 86_400_000; ; reach = Math.min(reach * 4, horizon)) {
    const shifts = finalShifts(schedule, overrides, at - reach, at + reach);
    const index = shifts.findIndex((candidate) => candidate.from <= at && at < candidate.until);
    const found = shifts[index];
    if (!found) return undefined;
    const shift = { ...found };
    if (samePerson) {
      for (let before = index - 1; shifts[before]?.user === shift.user && shifts[before]?.until === shift.from; before--) shift.from = shifts[before]?.from ?? shift.from;
      for (let after = index + 1; shifts[after]?.user === shift.user && shifts[after]?.from === shift.until; after++) shift.until = shifts[after]?.until ?? shift.until;
    }
    if (reach >= horizon || (shift.from > at - reach && shift.until < at + reach)) return shift;
  }
}

/** The spans of [from, to) where nobody is on call. */
export function scheduleGaps(schedule: Schedule, overrides: readonly ActiveOverride[], from: number, to: number): { from: number; until: number }[] {
  const gaps: { from: number; until: number }[] = [];
  let cursor = from;
  for (const shift of finalShifts(schedule, overrides, from, to)) {
    if (shift.from > cursor) gaps.push({ from: cursor, until: shift.from });
    cursor = Math.max(cursor, shift.until);
  }
  if (cursor < to) gaps.push({ from: cursor, until: to });
  return gaps;
}
