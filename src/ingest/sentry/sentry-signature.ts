import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { UnauthorizedError } from '../../errors.js';

const HEX_SHA256 = /^[0-9a-f]{64}$/i;

/** The `Sentry-Hook-Signature` header, or a 401 when it is missing (checked before the body is read). */
export function sentrySignatureHeader(headers: IncomingHttpHeaders): string {
  const signature = headers['sentry-hook-signature'];
  if (typeof signature !== 'string' || signature.trim() === '') {
    throw new UnauthorizedError('missing Sentry-Hook-Signature header: send the webhook from a Sentry integration whose Client Secret is SENTRY_CLIENT_SECRET', 'missing_signature');
  }
  return signature.trim();
}

/**
 * Checks `Sentry-Hook-Signature`: hex HMAC-SHA256 of the raw body bytes keyed with the
 * integration's Client Secret, compared in constant time. The raw bytes matter: Sentry's JSON
 * is compact and ASCII-escaped, so a body parsed and serialised again no longer matches (the
 * snippet in Sentry's webhook docs that signs `JSON.stringify(request.body)` only works by luck).
 */
export function verifySentrySignature(signature: string, body: Buffer, secret: string): void {
  const expected = createHmac('sha256', secret).update(body).digest();
  const given = HEX_SHA256.test(signature) ? Buffer.from(signature, 'hex') : Buffer.alloc(0);
  // timingSafeEqual needs equal lengths; a malformed header fails without comparing.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new UnauthorizedError('invalid Sentry-Hook-Signature: check that SENTRY_CLIENT_SECRET is the Client Secret of the Sentry integration that sends this webhook', 'invalid_signature');
  }
}
