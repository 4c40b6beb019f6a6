import type { Prisma } from '../db/client.js';
import { onCallAt } from './on-call-at.js';
import { SCHEDULE_PREFIX, type Schedules } from '../config/schedule-config.js';
import { overridesIn } from './schedule-overrides.js';

/** Who a schedule named in a notify list chose, and how; recorded on the timeline. */
export interface SchedulePick {
  schedule: string;
  user: string;
  layer: string | null;
  override: number | null;
}

export interface ResolvedNotify {
  /** People and user groups to invite and mention. */
  notify: string[];
  picks: SchedulePick[];
  /** Schedules named in the list with nobody on call. */
  empty: string[];
}

/** Replaces every `schedule:<name>` of a notify list by the person on call in it at `at`. */
export async function resolveNotify(tx: Prisma.TransactionClient, schedules: Schedules, notify: readonly string[], at: Date): Promise<ResolvedNotify> {
  const resolved: ResolvedNotify = { notify: [], picks: [], empty: [] };
  for (const entry of notify) {
    if (!entry.startsWith(SCHEDULE_PREFIX)) {
      if (!resolved.notify.includes(entry)) resolved.notify.push(entry);
      continue;
    }
    const name = entry.slice(SCHEDULE_PREFIX.length);
    const schedule = schedules[name];
    const who = schedule ? onCallAt(schedule, await overridesIn(tx, name, at, new Date(at.getTime() + 1)), at.getTime()) : undefined;
    if (!who) {
      resolved.empty.push(name);
      continue;
    }
    resolved.picks.push({ schedule: name, ...who });
    if (!resolved.notify.includes(who.user)) resolved.notify.push(who.user);
  }
  return resolved;
}
