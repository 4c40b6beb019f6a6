import { DateTime } from 'luxon';
import { localWeekdayAndMinute } from './local-time.js';
import type { Restriction } from '../config/schedule-config.js';

/** Whether wall-clock time `at` in `zone` falls in one of the windows (none: always). */
export function withinRestrictions(restrictions: readonly Restriction[], zone: string, at: number): boolean {
  if (restrictions.length === 0) return true;
  const local = localWeekdayAndMinute(zone, at);
  const minute = local.minute;
  const yesterday = local.weekday === 1 ? 7 : local.weekday - 1;
  return restrictions.some(
    (window) =>
      (window.days.includes(local.weekday) && minute >= window.startMinute && minute < window.startMinute + window.lengthMinutes) ||
      (window.days.includes(yesterday) && window.startMinute + window.lengthMinutes > 1440 && minute < window.startMinute + window.lengthMinutes - 1440),
  );
}

/** Where windows open and close within [from, to): the moments coverage may change. */
export function restrictionBoundaries(restrictions: readonly Restriction[], zone: string, from: number, to: number): number[] {
  const points: number[] = [];
  if (restrictions.length === 0) return points;
  const last = DateTime.fromMillis(to, { zone }).endOf('day');
  for (let day = DateTime.fromMillis(from, { zone }).startOf('day').minus({ days: 1 }); day <= last; day = day.plus({ days: 1 })) {
    for (const window of restrictions) {
      if (!window.days.includes(day.weekday)) continue;
      const end = window.startMinute + window.lengthMinutes;
      const opens = day.set({ hour: Math.floor(window.startMinute / 60), minute: window.startMinute % 60 }).toMillis();
      const closes = day.plus({ days: Math.floor(end / 1440) }).set({ hour: Math.floor((end % 1440) / 60), minute: end % 60 }).toMillis();
      for (const point of [opens, closes]) if (point >= from && point < to) points.push(point);
    }
  }
  return points;
}
