import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { StatusPageConfig } from '../config/status-page-config.js';
import type { StatusSnapshot } from './status-snapshot.js';
import { atomFeed } from './render/atom-feed.js';
import { incidentHtml } from './render/incident-html.js';
import { pageHtml } from './render/page-html.js';
import { pageModel } from './render/page-model.js';
import { statuspageApi } from './render/statuspage-api.js';

/** A response rendered ahead of requests: served as is, its ETag a digest of the body. */
export interface RenderedResponse {
  body: Buffer;
  etag: string;
  contentType: string;
  /** The same body gzipped once at render time (a 36 kB page is about 5 kB), with its own ETag. */
  gzip: { body: Buffer; etag: string };
}

function rendered(text: string, contentType: string): RenderedResponse {
  const body = Buffer.from(text, 'utf8');
  const digest = createHash('sha256').update(body).digest('base64url').slice(0, 32);
  return { body, etag: `"${digest}"`, contentType, gzip: { body: gzipSync(body, { level: 9 }), etag: `"${digest}-gzip"` } };
}

/** Every route of the status listener, rendered from one snapshot, keyed by path. */
export function renderStatusPage(page: StatusPageConfig, snapshot: StatusSnapshot, now: Date): Map<string, RenderedResponse> {
  const model = pageModel(page, snapshot, now);
  const routes = new Map<string, RenderedResponse>();
  routes.set('/', rendered(pageHtml(model), 'text/html; charset=utf-8'));
  routes.set('/history.atom', rendered(atomFeed(model), 'application/atom+xml; charset=utf-8'));
  for (const [path, document] of Object.entries(statuspageApi(model))) routes.set(path, rendered(JSON.stringify(document), 'application/json; charset=utf-8'));
  for (const incident of snapshot.incidents) routes.set(`/incidents/${incident.id}`, rendered(incidentHtml(model, incident), 'text/html; charset=utf-8'));
  return routes;
}
