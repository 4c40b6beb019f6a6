import type { Db, Prisma } from '../db/client.js';
import type { ActiveOverride } from './on-call-at.js';

type Reader = Db | Prisma.TransactionClient;

/** The schedule's overrides (not cancelled) overlapping [from, to), oldest first. */
export async function overridesIn(db: Reader, schedule: string, from: Date, to: Date): Promise<ActiveOverride[]> {
  const rows = await db.scheduleOverride.findMany({
    where: { schedule, cancelledAt: null, endsAt: { gt: from }, startsAt: { lt: to } },
    orderBy: { id: 'asc' },
  });
  return rows.map((row) => ({ id: row.id, user: row.userId, from: row.startsAt.getTime(), until: row.endsAt.getTime() }));
}

/** Every schedule's overrides overlapping [from, to), by schedule name. */
export async function allOverridesIn(db: Reader, from: Date, to: Date): Promise<Map<string, ActiveOverride[]>> {
  const rows = await db.scheduleOverride.findMany({ where: { cancelledAt: null, endsAt: { gt: from }, startsAt: { lt: to } }, orderBy: { id: 'asc' } });
  const bySchedule = new Map<string, ActiveOverride[]>();
  for (const row of rows) {
    const list = bySchedule.get(row.schedule) ?? [];
    list.push({ id: row.id, user: row.userId, from: row.startsAt.getTime(), until: row.endsAt.getTime() });
    bySchedule.set(row.schedule, list);
  }
  return bySchedule;
}
