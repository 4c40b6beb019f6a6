import type { BotConfig } from '../config/config-file.js';
import { scheduleGaps } from './final-shifts.js';
import type { ActiveOverride } from './on-call-at.js';

const AHEAD_MS = 14 * 86_400_000;

/**
 * Warnings for the spans of the next 14 days where a schedule has nobody on call (overrides
 * counted when given): a level paged then goes straight to the next one.
 */
export function checkScheduleGaps(config: BotConfig, now: Date, overrides: ReadonlyMap<string, readonly ActiveOverride[]> = new Map()): string[] {
  const warnings: string[] = [];
  for (const [name, schedule] of Object.entries(config.schedules)) {
    const gaps = scheduleGaps(schedule, overrides.get(name) ?? [], now.getTime(), now.getTime() + AHEAD_MS);
    if (gaps.length === 0) continue;
    const shown = gaps.slice(0, 5).map((gap) => `${new Date(gap.from).toISOString()} to ${new Date(gap.until).toISOString()}`);
    warnings.push(`schedule "${name}" has nobody on call in the next 14 days from ${shown.join(', ')}${gaps.length > 5 ? ` and ${gaps.length - 5} more spans` : ''}: a level naming it pages the next level at once then`);
  }
  return warnings;
}
