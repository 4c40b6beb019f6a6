import { decodeBody, type MultipartPart } from './http-body.js';

/** The bytes posted to an upload URL: the file part of a multipart body (as @slack/web-api sends), else the raw body. */
export function uploadedBytes(contentType: string | undefined, body: Buffer): Buffer {
  const decoded = decodeBody(contentType, body, new URLSearchParams());
  if (decoded.ok && decoded.parts.length > 0) {
    const part: MultipartPart | undefined = decoded.parts.find((p) => p.filename !== undefined) ?? decoded.parts.find((p) => p.name === 'file');
    if (part) return part.data;
  }
  return body;
}
