import { DateTime } from 'luxon';
import type { Layer } from '../config/schedule-config.js';

/** One person's turn in a layer, [from, until) in epoch milliseconds. */
export interface LayerShift {
  user: string;
  from: number;
  until: number;
}

const firstHandoffs = new WeakMap<Layer, DateTime>();

/** The first handoff on or after the layer's start date, in the schedule's zone (cached per layer). */
function firstHandoff(layer: Layer, zone: string): DateTime {
  const cached = firstHandoffs.get(layer);
  if (cached) return cached;
  let day = DateTime.fromISO(layer.start, { zone }).startOf('day');
  if (layer.handoffWeekday > 0) day = day.plus({ days: (layer.handoffWeekday - day.weekday + 7) % 7 });
  const first = day.set({ hour: Math.floor(layer.handoffMinute / 60), minute: layer.handoffMinute % 60 });
  firstHandoffs.set(layer, first);
  return first;
}

const turnStarts = new WeakMap<Layer, Map<number, number>>();
const MAX_KEPT_TURNS = 20_000;

/**
 * When turn `index` starts: whole-day rotations add calendar days, so a 10:00 handoff stays 10:00
 * across DST. Calendar arithmetic in a zone is the costly part of a lookup, so turns are kept.
 */
function turnStart(layer: Layer, first: DateTime, index: number): number {
  if (layer.rotation.kind === 'elapsed') return first.toMillis() + index * layer.rotation.ms;
  let kept = turnStarts.get(layer);
  if (!kept) {
    kept = new Map();
    turnStarts.set(layer, kept);
  }
  let start = kept.get(index);
  if (start === undefined) {
    if (kept.size > MAX_KEPT_TURNS) kept.clear();
    start = first.plus({ days: index * layer.rotation.days }).toMillis();
    kept.set(index, start);
  }
  return start;
}

function approximatePeriod(layer: Layer): number {
  return layer.rotation.kind === 'days' ? layer.rotation.days * 86_400_000 : layer.rotation.ms;
}

/** The longest a turn of this layer can last (a day of 25 hours included). */
export function longestTurn(layer: Layer): number {
  return approximatePeriod(layer) + 3_600_000;
}

function shiftOf(layer: Layer, first: DateTime, index: number): LayerShift {
  return { user: layer.users[((index % layer.users.length) + layer.users.length) % layer.users.length] as string, from: turnStart(layer, first, index), until: turnStart(layer, first, index + 1) };
}

function indexAt(layer: Layer, first: DateTime, at: number): number {
  let index = Math.floor((at - first.toMillis()) / approximatePeriod(layer));
  // The estimate is off by at most one around daylight-saving changes.
  while (index > 0 && turnStart(layer, first, index) > at) index--;
  while (turnStart(layer, first, index + 1) <= at) index++;
  return index;
}

/** The layer's turn at `at` (restrictions not applied); undefined before the layer starts. */
export function layerShiftAt(layer: Layer, zone: string, at: number): LayerShift | undefined {
  const first = firstHandoff(layer, zone);
  if (at < first.toMillis()) return undefined;
  return shiftOf(layer, first, indexAt(layer, first, at));
}

/** The layer's turns overlapping [from, to). */
export function layerShiftsIn(layer: Layer, zone: string, from: number, to: number): LayerShift[] {
  const first = firstHandoff(layer, zone);
  const shifts: LayerShift[] = [];
  if (to <= first.toMillis()) return shifts;
  for (let index = from <= first.toMillis() ? 0 : indexAt(layer, first, from); ; index++) {
    const shift = shiftOf(layer, first, index);
    if (shift.from >= to) break;
    shifts.push(shift);
  }
  return shifts;
}
