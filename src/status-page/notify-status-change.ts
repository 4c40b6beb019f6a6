import type { Prisma } from '../db/client.js';

/** The Postgres channel every process's status page listens on. */
export const STATUS_PAGE_CHANNEL = 'status_page';

/**
 * Tells every process that the public state changed. NOTIFY inside the transaction is delivered
 * only when it commits (and never if it rolls back), so listeners reload committed state.
 */
export async function notifyStatusChange(tx: Prisma.TransactionClient): Promise<void> {
  await tx.$executeRaw`SELECT pg_notify(${STATUS_PAGE_CHANNEL}, '')`;
}
