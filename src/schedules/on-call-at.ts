import { layerShiftAt } from './layer-rotation.js';
import { withinRestrictions } from './restriction-windows.js';
import type { Schedule } from '../config/schedule-config.js';

/** An override as the computation needs it: [from, until) in epoch milliseconds. */
export interface ActiveOverride {
  id: number;
  user: string;
  from: number;
  until: number;
}

/** Who is on call and what chose them: a layer, or an override (which wins over every layer). */
export interface OnCall {
  user: string;
  layer: string | null;
  override: number | null;
}

/**
 * Who is on call at `at`: the newest override covering it, else the last layer that covers it
 * (its turn has begun and a restriction window is open), else nobody.
 */
export function onCallAt(schedule: Schedule, overrides: readonly ActiveOverride[], at: number): OnCall | undefined {
  let chosen: ActiveOverride | undefined;
  for (const override of overrides) {
    if (override.from <= at && at < override.until && (!chosen || override.id > chosen.id)) chosen = override;
  }
  if (chosen) return { user: chosen.user, layer: null, override: chosen.id };
  for (let index = schedule.layers.length - 1; index >= 0; index--) {
    const layer = schedule.layers[index];
    if (!layer) continue;
    const shift = layerShiftAt(layer, schedule.time_zone, at);
    if (shift && withinRestrictions(layer.restrict, schedule.time_zone, at)) return { user: shift.user, layer: layer.name, override: null };
  }
  return undefined;
}
