/**
 * Cursor pagination (opaque base64 cursors, as Slack's) and message timestamp ordering.
 */

/** Comparable key of a "seconds.micros" ts (floats lose the micros at today's epoch). */
export function tsKey(ts: string): bigint | undefined {
  const m = /^(\d+)(?:\.(\d{1,6}))?$/.exec(ts);
  if (!m) return undefined;
  return BigInt(m[1] as string) * 1_000_000n + BigInt((m[2] ?? '').padEnd(6, '0'));
}

export function encodeCursor(offset: number): string {
  return Buffer.from(`next_offset:${offset}`).toString('base64');
}

/** Offset encoded in `cursor` (0 without cursor), or undefined for a cursor the fake did not issue. */
export function decodeCursor(cursor: string | undefined): number | undefined {
  if (!cursor) return 0;
  const m = /^next_offset:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  return m ? Number(m[1]) : undefined;
}

export interface Page<T> {
  items: T[];
  hasMore: boolean;
  nextCursor?: string;
}

export function paginate<T>(all: readonly T[], offset: number, limit: number): Page<T> {
  const items = all.slice(offset, offset + limit);
  const hasMore = offset + limit < all.length;
  return { items, hasMore, nextCursor: hasMore ? encodeCursor(offset + limit) : undefined };
}
