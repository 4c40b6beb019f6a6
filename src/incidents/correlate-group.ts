import type { Incident, Prisma } from '../db/client.js';
import type { BotConfig } from '../config/config-file.js';
import { recordEvents } from '../record/timeline.js';
import { boundedKey } from './bounded-key.js';

/** `service=checkout` from the `group_by` labels; null when grouping is off or a label is missing. */
export function correlationKeyOf(labels: Record<string, string>, groupBy: readonly string[]): string | null {
  if (groupBy.length === 0 || groupBy.some((label) => labels[label] === undefined)) return null;
  return boundedKey(groupBy.map((label) => `${label}=${labels[label]}`).join(','));
}

export const STORM_KEY = 'storm';

async function lock(tx: Prisma.TransactionClient, key: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`;
}

/** The active incident an alert group belongs to: opened by it, or joined by it. */
export async function findActiveIncident(tx: Prisma.TransactionClient, groupKey: string): Promise<Incident | null> {
  const own = await tx.incident.findUnique({ where: { activeGroupKey: groupKey } });
  if (own) return own;
  return (await tx.incidentKey.findUnique({ where: { activeKey: groupKey }, include: { incident: true } }))?.incident ?? null;
}

/** The most recent incident of an alert group, active or not (a late resolution belongs there). */
export async function latestIncidentOf(tx: Prisma.TransactionClient, groupKey: string): Promise<Incident | null> {
  const own = await tx.incident.findFirst({ where: { groupKey }, orderBy: { openedAt: 'desc' } });
  const joined = await tx.incidentKey.findFirst({ where: { groupKey }, orderBy: { createdAt: 'desc' }, include: { incident: true } });
  if (!own) return joined?.incident ?? null;
  return joined && joined.createdAt > own.openedAt ? joined.incident : own;
}

/**
 * A new alert group that shares its service with an incident opened within the grouping window
 * joins it. Serialised per correlation key (an advisory lock taken after the group's own lock,
 * always in that order), so two such groups arriving together still end up in one incident.
 */
export async function findSibling(tx: Prisma.TransactionClient, correlationKey: string, config: BotConfig, now: Date): Promise<Incident | null> {
  await lock(tx, `correlation:${correlationKey}`);
  return tx.incident.findFirst({
    where: { correlationKey, status: { not: 'resolved' }, openedAt: { gte: new Date(now.getTime() - config.incidents.grouping_window) } },
    orderBy: { openedAt: 'desc' },
  });
}

/** Whether new incidents come faster than the storm threshold allows; takes the storm lock. */
export async function inStorm(tx: Prisma.TransactionClient, config: BotConfig, now: Date): Promise<boolean> {
  const threshold = config.incidents.storm_threshold;
  if (threshold === 0) return false;
  await lock(tx, STORM_KEY);
  const recent = await tx.incident.count({
    where: { openedAt: { gte: new Date(now.getTime() - config.incidents.storm_window) }, source: { not: 'manual' }, OR: [{ correlationKey: null }, { correlationKey: { not: STORM_KEY } }] },
  });
  return recent >= threshold;
}

/** Records that an alert group joined an incident opened by another group. */
export async function joinIncident(tx: Prisma.TransactionClient, incident: Incident, groupKey: string, reason: 'service' | 'storm', actor: string, at: Date): Promise<void> {
  await tx.incidentKey.create({ data: { incidentId: incident.id, groupKey, activeKey: groupKey } });
  await tx.incident.update({ where: { id: incident.id }, data: { messageVersion: { increment: 1 } } });
  await recordEvents(tx, [{ incidentId: incident.id, type: 'incident.group_joined', actor, source: 'alert', at, data: { groupKey, reason } }]);
}
