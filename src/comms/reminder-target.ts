import type { Incident, Prisma } from '../db/client.js';

/** Who is reminded that an update is due: the commander, else whoever acknowledged, else the first person or group paged at L1. */
export async function reminderTarget(tx: Prisma.TransactionClient, incident: Pick<Incident, 'id' | 'acknowledgedBy'>): Promise<string | null> {
  const commander = await tx.incidentRole.findUnique({ where: { incidentId_role: { incidentId: incident.id, role: 'commander' } }, select: { userId: true } });
  if (commander) return commander.userId;
  if (incident.acknowledgedBy) return incident.acknowledgedBy;
  const first = await tx.escalation.findFirst({ where: { incidentId: incident.id, level: 1 }, orderBy: { step: 'asc' }, select: { notify: true } });
  const notified = Array.isArray(first?.notify) ? first.notify.filter((entry): entry is string => typeof entry === 'string' && /^[UWS][A-Z0-9]+$/.test(entry)) : [];
  return notified[0] ?? null;
}
