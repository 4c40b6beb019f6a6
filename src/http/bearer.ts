import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { UnauthorizedError } from '../errors.js';

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** Checks `Authorization: Bearer <token>` in constant time; a missing or wrong token is a 401. */
export function requireBearer(headers: IncomingHttpHeaders, expected: string): void {
  const header = headers.authorization;
  if (!header) throw new UnauthorizedError('missing Authorization header: send "Authorization: Bearer <token>"', 'missing_token');
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  if (!match || !timingSafeEqual(digest(match[1] ?? ''), digest(expected))) throw new UnauthorizedError('invalid bearer token', 'invalid_token');
}
