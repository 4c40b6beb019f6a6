import type { Deps } from '../deps.js';
import type { Prisma } from '../db/client.js';
import { recordEvents } from '../record/timeline.js';

export type SubscribeOutcome = { kind: 'subscribed' } | { kind: 'already' };
export type UnsubscribeOutcome = { kind: 'unsubscribed' } | { kind: 'not_subscribed' };

/** Follows an incident's updates and resolution by direct message; a second subscription changes nothing (unique index). */
export async function subscribe(deps: Pick<Deps, 'db' | 'clock'>, incidentId: string, userId: string): Promise<SubscribeOutcome> {
  return deps.db.$transaction(async (tx) => ((await subscribeLocked(tx, incidentId, [userId], 'slack', deps.clock.now())) > 0 ? { kind: 'subscribed' } : { kind: 'already' }));
}

export async function unsubscribe(deps: Pick<Deps, 'db' | 'clock'>, incidentId: string, userId: string): Promise<UnsubscribeOutcome> {
  return deps.db.$transaction(async (tx) => {
    const removed = await tx.subscription.deleteMany({ where: { incidentId, userId } });
    if (removed.count === 0) return { kind: 'not_subscribed' };
    await recordEvents(tx, [{ incidentId, type: 'subscriber.removed', actor: userId, source: 'slack', at: deps.clock.now(), data: { userId } }]);
    return { kind: 'unsubscribed' };
  });
}

/** Subscribes people (user IDs or user groups) inside the caller's transaction; returns how many were new. */
export async function subscribeLocked(tx: Prisma.TransactionClient, incidentId: string, ids: readonly string[], via: 'slack' | 'escalation', now: Date): Promise<number> {
  const people = ids.filter((id) => /^[UWS][A-Z0-9]+$/.test(id));
  let added = 0;
  for (const userId of people) {
    const created = await tx.subscription.createMany({ data: [{ incidentId, userId, via, createdAt: now }], skipDuplicates: true });
    if (created.count === 0) continue;
    added++;
    await recordEvents(tx, [{ incidentId, type: 'subscriber.added', actor: via === 'slack' ? userId : 'bot', source: via === 'slack' ? 'slack' : 'escalation', at: now, data: { userId, via } }]);
  }
  return added;
}

/** Everyone subscribed to an incident (user groups as they were given). */
export async function subscribersOf(deps: Pick<Deps, 'db'>, incidentId: string): Promise<string[]> {
  const rows = await deps.db.subscription.findMany({ where: { incidentId }, orderBy: { createdAt: 'asc' }, select: { userId: true } });
  return rows.map((row) => row.userId);
}
