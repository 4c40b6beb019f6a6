import type { Deps } from '../deps.js';
import { finalShifts, shiftAt, type FinalShift } from './final-shifts.js';
import type { Schedule } from '../config/schedule-config.js';
import { overridesIn } from './schedule-overrides.js';

/** The longest override accepted: longer ones are a layer's job. */
const MAX_OVERRIDE_MS = 90 * 86_400_000;

type ScheduleDeps = Pick<Deps, 'db' | 'config' | 'clock' | 'log'>;

/** The people of a schedule: everyone in any of its layers. */
export function schedulePeople(schedule: Schedule): string[] {
  return [...new Set(schedule.layers.flatMap((layer) => layer.users))];
}

export type CreateOverrideOutcome = { kind: 'created'; id: number; from: Date; until: Date } | { kind: 'unknown_schedule' } | { kind: 'bad_span'; reason: string };

/** Puts `user` on call in `scheduleName` for [from, until); the override wins over every layer. */
export async function createOverride(deps: ScheduleDeps, request: { schedule: string; user: string; from: Date; until: Date; by: string }): Promise<CreateOverrideOutcome> {
  if (!deps.config.schedules[request.schedule]) return { kind: 'unknown_schedule' };
  const now = deps.clock.now();
  if (request.until <= request.from) return { kind: 'bad_span', reason: 'the end must come after the start' };
  if (request.until <= now) return { kind: 'bad_span', reason: 'the span is already over' };
  if (request.until.getTime() - request.from.getTime() > MAX_OVERRIDE_MS) return { kind: 'bad_span', reason: 'an override lasts at most 90 days' };
  const row = await deps.db.scheduleOverride.create({ data: { schedule: request.schedule, userId: request.user, startsAt: request.from, endsAt: request.until, createdBy: request.by } });
  deps.log.info({ overrideId: row.id, schedule: request.schedule, user: request.user, by: request.by }, 'schedule override created');
  return { kind: 'created', id: row.id, from: row.startsAt, until: row.endsAt };
}

export type CancelOverrideOutcome = { kind: 'cancelled'; schedule: string } | { kind: 'not_found' } | { kind: 'already' } | { kind: 'refused'; schedule: string };

/** Cancels an override; `mayManage` says whether the person may manage the override's schedule. */
export async function cancelOverride(deps: ScheduleDeps, id: number, by: string, mayManage: (schedule: string) => Promise<boolean>): Promise<CancelOverrideOutcome> {
  const row = await deps.db.scheduleOverride.findUnique({ where: { id } });
  if (!row) return { kind: 'not_found' };
  if (row.cancelledAt) return { kind: 'already' };
  if (!(await mayManage(row.schedule))) return { kind: 'refused', schedule: row.schedule };
  const updated = await deps.db.scheduleOverride.updateMany({ where: { id, cancelledAt: null }, data: { cancelledAt: deps.clock.now(), cancelledBy: by } });
  if (updated.count === 0) return { kind: 'already' };
  deps.log.info({ overrideId: id, schedule: row.schedule, by }, 'schedule override cancelled');
  return { kind: 'cancelled', schedule: row.schedule };
}

/** The overrides of a schedule that are not over yet, soonest first. */
export async function upcomingOverrides(deps: ScheduleDeps, schedule: string) {
  return deps.db.scheduleOverride.findMany({ where: { schedule, cancelledAt: null, endsAt: { gt: deps.clock.now() } }, orderBy: { startsAt: 'asc' }, take: 50 });
}

/** Who is on call now in a schedule, with the shift's start and end; undefined: nobody. */
export async function onCallNow(deps: ScheduleDeps, name: string, at: Date = deps.clock.now()): Promise<FinalShift | undefined> {
  const schedule = deps.config.schedules[name];
  if (!schedule) return undefined;
  const horizon = 100 * 86_400_000;
  return shiftAt(schedule, await overridesIn(deps.db, name, new Date(at.getTime() - horizon), new Date(at.getTime() + horizon)), at.getTime());
}

/** The final shifts of a schedule over [from, to). */
export async function shiftsOf(deps: ScheduleDeps, name: string, from: Date, to: Date): Promise<FinalShift[]> {
  const schedule = deps.config.schedules[name];
  if (!schedule) return [];
  return finalShifts(schedule, await overridesIn(deps.db, name, from, to), from.getTime(), to.getTime());
}
