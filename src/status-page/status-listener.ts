import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { RenderedResponse } from './render-status-page.js';

/**
 * Browsers revalidate every time (a 304 costs nothing: the ETag is ready); a shared cache such as
 * a CDN may keep a copy for 2 s, the time a change takes to reach every process anyway.
 */
export const CACHE_CONTROL = 'public, max-age=0, s-maxage=2';
const HTML_POLICY = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((candidate) => {
    const tag = candidate.trim();
    return tag === '*' || tag === etag || tag === `W/${etag}`;
  });
}

function plain(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', ...headers });
  res.end(text);
}

interface Variant {
  body: Buffer;
  etag: string;
  ok: Record<string, string>;
  notModified: Record<string, string>;
}

// Built once per rendered response: under a flood every request would otherwise build them anew.
const built = new WeakMap<RenderedResponse, { identity: Variant; gzip: Variant }>();

function variantsOf(found: RenderedResponse, api: boolean): { identity: Variant; gzip: Variant } {
  const cached = built.get(found);
  if (cached) return cached;
  const variant = (body: Buffer, etag: string, encoding?: string): Variant => {
    const common: Record<string, string> = { etag, 'cache-control': CACHE_CONTROL, vary: 'Accept-Encoding', 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' };
    if (found.contentType.startsWith('text/html')) common['content-security-policy'] = HTML_POLICY;
    if (api) common['access-control-allow-origin'] = '*';
    return { body, etag, notModified: common, ok: { ...common, 'content-type': found.contentType, 'content-length': String(body.length), ...(encoding ? { 'content-encoding': encoding } : {}) } };
  };
  const variants = { identity: variant(found.body, found.etag), gzip: variant(found.gzip.body, found.gzip.etag, 'gzip') };
  built.set(found, variants);
  return variants;
}

const acceptsGzip = (header: string | undefined) => header !== undefined && /\bgzip\b(?!;\s*q=0(?:\.0*)?(?:,|$))/i.test(header);

/**
 * The status listener: GET and HEAD of the rendered routes, from memory only. It serves nothing
 * else (no bot route is reachable on its port).
 */
export function createStatusListener(lookup: (path: string) => RenderedResponse | undefined | 'not_ready'): Server {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return plain(res, 405, 'Only GET and HEAD are allowed.\n', { allow: 'GET, HEAD' });
    const target = req.url ?? '/';
    const query = target.indexOf('?');
    const path = query === -1 ? target : target.slice(0, query);
    const found = lookup(path);
    if (found === 'not_ready') return plain(res, 503, 'The status page is starting.\n', { 'retry-after': '1' });
    if (!found) return plain(res, 404, 'Not found.\n');
    const variants = variantsOf(found, path.startsWith('/api/'));
    const chosen = acceptsGzip(req.headers['accept-encoding']) ? variants.gzip : variants.identity;
    if (matches(req.headers['if-none-match'], chosen.etag)) {
      res.writeHead(304, chosen.notModified);
      return void res.end();
    }
    res.writeHead(200, chosen.ok);
    res.end(req.method === 'HEAD' ? undefined : chosen.body);
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 10_000;
  server.requestTimeout = 10_000;
  return server;
}
