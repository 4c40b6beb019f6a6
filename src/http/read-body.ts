import type { IncomingMessage } from 'node:http';
import { PayloadTooLargeError } from '../errors.js';

/** Reads the raw request body, refusing more than `limit` bytes (by header or as it streams). */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    throw new PayloadTooLargeError(`the body is ${declared} bytes; the limit is ${limit}`, 'body_too_large', { limit });
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new PayloadTooLargeError(`the body exceeds the limit of ${limit} bytes`, 'body_too_large', { limit });
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
