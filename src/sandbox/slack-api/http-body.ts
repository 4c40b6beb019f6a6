/**
 * Request body decoding for the content types Slack accepts: application/x-www-form-urlencoded (what
 * @slack/web-api sends, with object/array arguments JSON-encoded), application/json, multipart/form-data;
 * plus query-string arguments.
 */
import type { ApiArgs } from './types.js';

/** Arguments whose value is JSON (a JSON-encoded string in form bodies). */
const JSON_ARGS = new Set(['blocks', 'attachments', 'view', 'files', 'metadata']);

export interface MultipartPart {
  name: string;
  filename?: string;
  contentType?: string;
  data: Buffer;
}

export type DecodedBody =
  | { ok: true; args: ApiArgs; isJson: boolean; parts: MultipartPart[] }
  | { ok: false; error: string };

function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

function headerParam(contentType: string, name: string): string | undefined {
  const m = new RegExp(`${name}=(?:"([^"]+)"|([^;\\s]+))`, 'i').exec(contentType);
  return m ? (m[1] ?? m[2]) : undefined;
}

export function parseMultipart(raw: Buffer, boundary: string): MultipartPart[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: MultipartPart[] = [];
  let pos = raw.indexOf(delimiter);
  while (pos !== -1) {
    const start = pos + delimiter.length;
    if (raw.subarray(start, start + 2).toString() === '--') break;
    const next = raw.indexOf(delimiter, start);
    if (next === -1) break;
    // Part = CRLF headers CRLF CRLF body CRLF
    const part = raw.subarray(start + 2, next - 2);
    const split = part.indexOf('\r\n\r\n');
    if (split !== -1) {
      const headers = part.subarray(0, split).toString('utf8');
      const disposition = /content-disposition:([^\r\n]*)/i.exec(headers)?.[1] ?? '';
      const name = headerParam(disposition, 'name');
      if (name !== undefined) {
        const filename = headerParam(disposition, 'filename');
        const contentType = /content-type:\s*([^\r\n]*)/i.exec(headers)?.[1]?.trim();
        parts.push({
          name,
          data: Buffer.from(part.subarray(split + 4)),
          ...(filename !== undefined ? { filename } : {}),
          ...(contentType !== undefined ? { contentType } : {}),
        });
      }
    }
    pos = next;
  }
  return parts;
}

/** Decodes JSON-valued arguments sent as strings; a string that is not valid JSON is left as is. */
export function decodeJsonArgs(args: ApiArgs): ApiArgs {
  const out: ApiArgs = { ...args };
  for (const key of JSON_ARGS) {
    const value = out[key];
    if (typeof value !== 'string') continue;
    try {
      out[key] = JSON.parse(value) as unknown;
    } catch {
      // keep the raw string: the method answers invalid_blocks_format / invalid_arguments
    }
  }
  return out;
}

export function decodeBody(contentType: string | undefined, raw: Buffer, query: URLSearchParams): DecodedBody {
  const args: ApiArgs = Object.fromEntries(query.entries());
  const type = mediaType(contentType);
  if (raw.length === 0) return { ok: true, args, isJson: false, parts: [] };
  if (type === 'application/json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw.toString('utf8'));
    } catch {
      return { ok: false, error: 'invalid_json' };
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { ok: false, error: 'invalid_json' };
    return { ok: true, args: { ...args, ...(parsed as ApiArgs) }, isJson: true, parts: [] };
  }
  if (type === 'application/x-www-form-urlencoded' || type === 'text/plain') {
    for (const [k, v] of new URLSearchParams(raw.toString('utf8'))) args[k] = v;
    return { ok: true, args, isJson: false, parts: [] };
  }
  if (type === 'multipart/form-data') {
    const boundary = contentType ? headerParam(contentType, 'boundary') : undefined;
    if (!boundary) return { ok: false, error: 'invalid_form_data' };
    const parts = parseMultipart(raw, boundary);
    for (const p of parts) if (p.filename === undefined) args[p.name] = p.data.toString('utf8');
    return { ok: true, args, isJson: false, parts };
  }
  if (!type) return { ok: false, error: 'missing_post_type' };
  return { ok: false, error: 'invalid_post_type' };
}
