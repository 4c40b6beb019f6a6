import { statusLabel } from '../public-statuses.js';
import { escapeHtml } from './escape-html.js';
import { formatDateTime } from './format-time.js';
import type { PageModel } from './page-model.js';

/** `GET /history.atom` (RFC 4287): published incidents, open and resolved, most recently changed first. */
export function atomFeed(model: PageModel): string {
  const incidents = [...model.snapshot.incidents].sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime());
  const entries = incidents.map((incident) => {
    const link = `${model.url}/incidents/${incident.id}`;
    const content = incident.updates.map((update) => `<p><small>${formatDateTime(update.createdAt)}</small><br><strong>${statusLabel(update.status)}</strong> - ${escapeHtml(update.body)}</p>`).join('');
    return `<entry><id>${escapeHtml(link)}</id><title>${escapeHtml(incident.title)}</title><published>${incident.createdAt.toISOString()}</published><updated>${incident.updatedAt.toISOString()}</updated><link rel="alternate" type="text/html" href="${escapeHtml(link)}"/><content type="html">${escapeHtml(content)}</content></entry>`;
  });
  const title = escapeHtml(`${model.title} status history`);
  return `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en"><id>${escapeHtml(`${model.url}/history.atom`)}</id><title>${title}</title><updated>${model.snapshot.changedAt.toISOString()}</updated><author><name>${escapeHtml(model.title)}</name></author><link rel="alternate" type="text/html" href="${escapeHtml(model.url)}"/><link rel="self" type="application/atom+xml" href="${escapeHtml(`${model.url}/history.atom`)}"/>${entries.join('')}</feed>
`;
}
