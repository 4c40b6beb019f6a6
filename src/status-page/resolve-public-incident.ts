import type { Prisma } from '../db/client.js';
import { notifyStatusChange } from './notify-status-change.js';

const RESOLVED_BODY = 'This incident has been resolved.';

/**
 * Inside the resolving transaction (incident row locked): a published incident still open on the
 * page resolves with it, so its components turn operational. A no-op for an unpublished incident.
 */
export async function resolvePublicIncidentLocked(tx: Prisma.TransactionClient, incidentId: string, now: Date): Promise<void> {
  const open = await tx.publicIncident.findFirst({ where: { incidentId, resolvedAt: null }, select: { id: true, hiddenAt: true } });
  if (!open) return;
  await tx.publicIncident.update({ where: { id: open.id }, data: { status: 'resolved', resolvedAt: now, updatedAt: now } });
  await tx.publicUpdate.create({ data: { publicIncidentId: open.id, status: 'resolved', body: RESOLVED_BODY, components: [], createdAt: now } });
  if (!open.hiddenAt) await notifyStatusChange(tx);
}
