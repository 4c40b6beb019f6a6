import { statusLabel } from '../public-statuses.js';
import type { PublicIncidentView } from '../status-snapshot.js';
import { escapeHtml } from './escape-html.js';
import { formatDateTime } from './format-time.js';
import { htmlLayout } from './html-layout.js';
import type { PageModel } from './page-model.js';

/** An incident's public updates, newest first. */
export function updatesHtml(incident: PublicIncidentView): string {
  return incident.updates
    .map((update) => `<div class="update"><p><strong>${statusLabel(update.status)}</strong> - ${escapeHtml(update.body)}</p><small>${formatDateTime(update.createdAt)}</small></div>`)
    .join('');
}

/** An incident box as the top of the page shows it: coloured by impact, its updates beneath. */
export function incidentBox(incident: PublicIncidentView, linked: boolean): string {
  const title = escapeHtml(incident.title);
  const affected = incident.components.length > 0 ? `<p class="affected">This incident affects: ${incident.components.map((state) => escapeHtml(state.name)).join(', ')}.</p>` : '';
  return `<article class="incident ${incident.impact}"><h2>${linked ? `<a href="/incidents/${incident.id}">${title}</a>` : title}</h2><div class="updates">${updatesHtml(incident)}</div>${affected}</article>`;
}

/** `GET /incidents/<id>`: one incident's page. */
export function incidentHtml(model: PageModel, incident: PublicIncidentView): string {
  const state = incident.resolvedAt ? `Resolved ${formatDateTime(incident.resolvedAt)}` : statusLabel(incident.status);
  return htmlLayout({
    siteTitle: model.title,
    title: `${incident.title} · ${model.title}`,
    description: `${incident.title}: ${state}`,
    body: `<p class="meta"><a href="/">← Current status</a> · Started ${formatDateTime(incident.createdAt)} · ${escapeHtml(state)}</p>${incidentBox(incident, false)}`,
  });
}
