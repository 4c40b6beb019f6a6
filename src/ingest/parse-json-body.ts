import { ValidationError } from '../errors.js';
import type { Logger } from '../log.js';

/** What JSON can carry and Postgres cannot store (jsonb and text): NUL, and halves of surrogate pairs. */
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/** In the JSON text those characters can only come escaped; this finds every body that may hold one. */
const UNSTORABLE_ESCAPE = /\\u(?:0000|d[89a-f])/i;

/**
 * Parses a JSON body; malformed JSON is a 400 that says where it broke. Characters Postgres cannot
 * store become U+FFFD, so an alert whose annotation holds a NUL is taken (and logged) instead of
 * being refused with a 5xx that its sender would retry forever.
 */
export function parseJsonBody(body: Buffer, log: Logger): unknown {
  if (body.length === 0) throw new ValidationError('the request body is empty; expected JSON', 'empty_body');
  const text = body.toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ValidationError(`malformed JSON: ${(error as Error).message}`, 'malformed_json');
  }
  if (!UNSTORABLE_ESCAPE.test(text)) return value;
  const replaced = { count: 0 };
  const storable = storableJson(value, replaced);
  if (replaced.count > 0) log.warn({ replaced: replaced.count }, 'the body holds characters Postgres cannot store (NUL or unpaired surrogates): they are stored as U+FFFD');
  return storable;
}

function storableString(text: string, replaced: { count: number }): string {
  return text.replace(UNSTORABLE, () => {
    replaced.count += 1;
    return '\uFFFD';
  });
}

function storableJson(value: unknown, replaced: { count: number }): unknown {
  if (typeof value === 'string') return storableString(value, replaced);
  if (Array.isArray(value)) return value.map((item) => storableJson(item, replaced));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [storableString(key, replaced), storableJson(item, replaced)]));
  }
  return value;
}
