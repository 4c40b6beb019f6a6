import type { IncomingMessage } from 'node:http';
import { PayloadTooLargeError } from '../errors.js';

/**
 * Reads the raw request body, refusing more than `limit` bytes (by header or as it streams). An
 * oversized body is refused at once but still read to its end and dropped: closing a connection
 * the client is still sending on resets it, and the client would see a reset instead of the 413
 * (Alertmanager retries a reset, not a 413). The server bounds how long it drains (server.ts).
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    return Promise.reject(new PayloadTooLargeError(`the body is ${declared} bytes; the limit is ${limit}`, 'body_too_large', { limit }));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      refused = true;
      chunks.length = 0;
      reject(new PayloadTooLargeError(`the body exceeds the limit of ${limit} bytes`, 'body_too_large', { limit }));
    });
    req.once('end', () => {
      if (!refused) resolve(Buffer.concat(chunks));
    });
    req.once('error', reject);
  });
}
