import type { Deps } from '../deps.js';
import { finalShifts, shiftHorizon } from './final-shifts.js';
import { overridesIn } from './schedule-overrides.js';

/**
 * Records the current handoff of every schedule: who is on call now, since the moment they took
 * over (the start of their unbroken time on call) and until when. The row is unique per
 * schedule, start and person, so every pass on every worker may call this: each handoff is
 * recorded once, and its Slack work is queued from the row.
 */
export async function recordHandoffs(deps: Pick<Deps, 'db' | 'config' | 'clock'>): Promise<number> {
  const now = deps.clock.now().getTime();
  const rows = [];
  for (const [name, schedule] of Object.entries(deps.config.schedules)) {
    const horizon = shiftHorizon(schedule);
    const shifts = finalShifts(schedule, await overridesIn(deps.db, name, new Date(now - horizon), new Date(now + horizon)), now - horizon, now + horizon);
    const index = shifts.findIndex((shift) => shift.from <= now && now < shift.until);
    const current = shifts[index];
    if (!current) continue;
    let start = index;
    while (start > 0 && shifts[start - 1]?.user === current.user && shifts[start - 1]?.until === shifts[start]?.from) start--;
    let end = index;
    while (shifts[end + 1]?.user === current.user && shifts[end + 1]?.from === shifts[end]?.until) end++;
    const from = shifts[start]?.from ?? current.from;
    const until = shifts[end]?.until ?? current.until;
    rows.push({ schedule: name, userId: current.user, startsAt: new Date(from), endsAt: new Date(until), layer: current.layer, overrideId: current.override });
  }
  if (rows.length === 0) return 0;
  const created = await deps.db.scheduleHandoff.createMany({ data: rows, skipDuplicates: true });
  return created.count;
}

/** Handoffs whose Slack work is not done yet, oldest first. */
export async function pendingHandoffs(deps: Pick<Deps, 'db'>, limit: number): Promise<string[]> {
  const rows = await deps.db.scheduleHandoff.findMany({ where: { doneAt: null }, orderBy: { startsAt: 'asc' }, select: { id: true }, take: limit });
  return rows.map((row) => row.id);
}
