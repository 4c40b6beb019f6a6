const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', '57P01', '57P02', '57P03', '08000', '08001', '08003', '08006', '53300']);
const PRISMA_CONNECTION_CODES = new Set(['P1001', 'P1002', 'P1017', 'P2024']);
// node-postgres gives a connection that ends under a running query no code at all (lib/client.js:
// "Connection terminated unexpectedly"), and Prisma's driver adapter passes it through unwrapped:
// its exact text is the only mark it has.
const PG_CONNECTION_ENDED = new Set(['Connection terminated unexpectedly', 'Connection terminated']);

/**
 * True when an error means Postgres cannot be reached or is refusing connections (as opposed to a
 * bad query): callers answer 503 so that senders retry. Walks the cause chain, since Prisma's
 * driver adapter wraps node-postgres errors.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current && typeof current === 'object' && depth < 6; depth++) {
    const record = current as { code?: unknown; cause?: unknown; message?: unknown; name?: unknown; meta?: { driverAdapterError?: unknown } };
    if (typeof record.code === 'string' && (CONNECTION_CODES.has(record.code) || PRISMA_CONNECTION_CODES.has(record.code))) return true;
    if (record.name === 'DriverAdapterError' && typeof record.cause === 'object' && record.cause && (record.cause as { kind?: string }).kind?.match(/Database(NotReachable|Unreachable)|ConnectionClosed|TooManyConnections|SocketTimeout/)) return true;
    if (record.name === 'PrismaClientInitializationError') return true;
    if (record.code === undefined && typeof record.message === 'string' && PG_CONNECTION_ENDED.has(record.message)) return true;
    // A raw query outside a transaction fails as P2010 with the driver's error in meta.
    current = record.cause ?? record.meta?.driverAdapterError;
  }
  return false;
}
