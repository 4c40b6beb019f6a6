import type { Readable } from 'node:stream';

export interface CappedBody {
  bytes: Buffer;
  /** Bytes received; when `complete` is false the body was longer and the rest was not read. */
  received: number;
  complete: boolean;
}

/** Reads a response body up to `limit` bytes, then stops reading and destroys the stream. */
export async function readCapped(body: Readable, limit: number): Promise<CappedBody> {
  const chunks: Buffer[] = [];
  let received = 0;
  for await (const chunk of body) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    const room = limit - received;
    if (buffer.length > room) {
      chunks.push(buffer.subarray(0, room));
      received += room;
      body.destroy();
      return { bytes: Buffer.concat(chunks), received, complete: false };
    }
    chunks.push(buffer);
    received += buffer.length;
  }
  return { bytes: Buffer.concat(chunks), received, complete: true };
}
