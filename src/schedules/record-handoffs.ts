import type { Deps } from '../deps.js';
import { shiftAt, shiftHorizon } from './final-shifts.js';
import { overridesIn } from './schedule-overrides.js';

/**
 * Records the current handoff of every schedule: who is on call now, since the moment they took
 * over (the start of their unbroken time on call) and until when. The row is unique per
 * schedule, start and person, so every pass on every worker may call this: each handoff is
 * recorded once, and its Slack work is queued from the row. When someone takes over again
 * within a span already recorded (an override cancelled early), the handoff is dated just after
 * the latest one, which every worker computes alike.
 */
export async function recordHandoffs(deps: Pick<Deps, 'db' | 'config' | 'clock'>): Promise<number> {
  const now = deps.clock.now().getTime();
  const latest = await deps.db.scheduleHandoff.findMany({ distinct: ['schedule'], orderBy: [{ schedule: 'asc' }, { startsAt: 'desc' }], select: { schedule: true, userId: true, startsAt: true } });
  const latestOf = new Map(latest.map((row) => [row.schedule, row]));
  const rows = [];
  for (const [name, schedule] of Object.entries(deps.config.schedules)) {
    const horizon = shiftHorizon(schedule);
    const current = shiftAt(schedule, await overridesIn(deps.db, name, new Date(now - horizon), new Date(now + horizon)), now, true);
    if (!current) continue;
    const last = latestOf.get(name);
    const recordedAlready = last !== undefined && last.startsAt.getTime() >= current.from;
    if (recordedAlready && last.userId === current.user) continue;
    const startsAt = recordedAlready ? new Date(last.startsAt.getTime() + 1) : new Date(current.from);
    rows.push({ schedule: name, userId: current.user, startsAt, endsAt: new Date(current.until), layer: current.layer, overrideId: current.override });
  }
  if (rows.length === 0) return 0;
  const created = await deps.db.scheduleHandoff.createMany({ data: rows, skipDuplicates: true });
  return created.count;
}
