import type { Incident, Prisma } from '../db/client.js';

/** Locks the incident row for the rest of the transaction and returns it fresh. */
export async function lockIncident(tx: Prisma.TransactionClient, incidentId: string): Promise<Incident | null> {
  await tx.$queryRaw`SELECT id FROM incidents WHERE id = ${incidentId}::uuid FOR UPDATE`;
  return tx.incident.findUnique({ where: { id: incidentId } });
}
