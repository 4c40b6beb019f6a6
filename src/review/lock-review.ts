import type { Incident, Prisma, Review } from '../db/client.js';
import { lockIncident } from '../record/lock-incident.js';

/**
 * Locks an incident's row and then its review's, for the rest of the transaction, and returns
 * both fresh. Every writer of a review takes the incident first (a resolution or a reopen already
 * holds it when it touches the review, and inserting timeline rows takes a key-share lock on it),
 * so two writers can never wait on each other in opposite orders.
 */
export async function lockIncidentAndReview(tx: Prisma.TransactionClient, incidentId: string): Promise<{ incident: Incident; review: Review } | null> {
  const incident = await lockIncident(tx, incidentId);
  if (!incident) return null;
  const review = await lockReviewOf(tx, incidentId);
  return review ? { incident, review } : null;
}

/** Locks the review of an incident whose row the caller already holds locked. */
export async function lockReviewOf(tx: Prisma.TransactionClient, incidentId: string): Promise<Review | null> {
  await tx.$queryRaw`SELECT id FROM reviews WHERE incident_id = ${incidentId}::uuid FOR UPDATE`;
  return tx.review.findUnique({ where: { incidentId } });
}
