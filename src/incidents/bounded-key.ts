import { createHash } from 'node:crypto';

/** Postgres refuses a btree index entry over about 2,700 bytes; keys stay below that. */
const MAX_KEY_BYTES = 2_000;

/**
 * A key the bot stores in indexed columns (group keys, correlation keys), as it came when it is
 * short enough; otherwise its readable start and a SHA-256 of the whole, so it stays unique and
 * an alert group with very long labels is correlated like any other instead of never being stored.
 */
export function boundedKey(key: string): string {
  if (Buffer.byteLength(key) <= MAX_KEY_BYTES) return key;
  return `${[...key].slice(0, 200).join('')}…sha256:${createHash('sha256').update(key).digest('hex')}`;
}
