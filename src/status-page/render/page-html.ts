import type { PublicIncidentView, PublicMaintenance } from '../status-snapshot.js';
import { statusLabel } from '../public-statuses.js';
import { escapeHtml } from './escape-html.js';
import { formatDate, formatDateTime } from './format-time.js';
import { htmlLayout } from './html-layout.js';
import { incidentBox } from './incident-html.js';
import type { ComponentView, PageModel } from './page-model.js';

/** Days of "Past incidents" listed one by one; older published incidents follow as a list. */
const PAST_DAYS = 14;
const DAY_MS = 86_400_000;

function componentRow(component: ComponentView): string {
  const bars = component.days
    .map((day) => `<span class="${day.status}" title="${day.date}: ${day.incidents.length > 0 ? escapeHtml(`${statusLabel(day.status)} — ${day.incidents.join('; ')}`) : 'No incidents'}"></span>`)
    .join('');
  return `<div class="component"><div class="component-head"><span class="component-name">${escapeHtml(component.name)}</span><span class="state ${component.status}">${statusLabel(component.status)}</span></div>${component.description ? `<p class="component-desc">${escapeHtml(component.description)}</p>` : ''}<div class="bars" role="img" aria-label="${escapeHtml(component.name)}: 90 days of history">${bars}</div><div class="legend"><span class="ninety">90 days ago</span><span class="thirty">30 days ago</span><span class="rule"></span><span>${component.uptime.toFixed(2)} % uptime</span><span class="rule"></span><span>Today</span></div></div>`;
}

function maintenanceBox(window: PublicMaintenance): string {
  const when = `${formatDateTime(window.scheduledFor)} – ${formatDateTime(window.scheduledUntil)}`;
  return `<article class="incident maintenance"><h2>${escapeHtml(window.title)}</h2><div class="updates"><div class="update"><p><strong>${window.status === 'in_progress' ? 'In progress' : 'Scheduled'}</strong> - ${escapeHtml(window.body)}</p><small>${when}</small></div></div>${window.components.length > 0 ? `<p class="affected">Components: ${window.components.map(escapeHtml).join(', ')}.</p>` : ''}</article>`;
}

function pastIncident(incident: PublicIncidentView): string {
  const latest = incident.updates.slice(0, 3).map((update) => `<p><strong>${statusLabel(update.status)}</strong> - ${escapeHtml(update.body)} <span class="meta">${formatDateTime(update.createdAt)}</span></p>`).join('');
  return `<div class="past-incident ${incident.impact}"><h4><a href="/incidents/${incident.id}">${escapeHtml(incident.title)}</a></h4>${latest}</div>`;
}

function pastIncidents(model: PageModel): string {
  const today = Math.floor(model.now.getTime() / DAY_MS) * DAY_MS;
  const days = Array.from({ length: PAST_DAYS }, (_, index) => today - index * DAY_MS).map((day) => {
    const those = model.snapshot.incidents.filter((incident) => incident.createdAt.getTime() >= day && incident.createdAt.getTime() < day + DAY_MS);
    return `<div class="day"><h3>${formatDate(new Date(day))}</h3>${those.length > 0 ? those.map(pastIncident).join('') : `<p class="none">No incidents reported${day === today ? ' today' : ''}.</p>`}</div>`;
  });
  const earlier = model.snapshot.incidents.filter((incident) => incident.createdAt.getTime() < today - (PAST_DAYS - 1) * DAY_MS);
  const list = earlier.length > 0 ? `<h3 class="section-title">Earlier</h3><ul class="earlier">${earlier.map((incident) => `<li><a href="/incidents/${incident.id}">${escapeHtml(incident.title)}</a> <span class="meta">${formatDate(incident.createdAt)}</span></li>`).join('')}</ul>` : '';
  return `<h2 class="section-title">Past incidents</h2>${days.join('')}${list}`;
}

/** `GET /`: overall state, open incidents, maintenance, components with 90 days of history, past incidents. */
export function pageHtml(model: PageModel): string {
  const maintenance = model.snapshot.maintenances.filter((window) => window.status !== 'completed');
  const body = [
    `<div class="overall ${model.indicator}">${model.description}</div>`,
    model.open.map((incident) => incidentBox(incident, true)).join(''),
    maintenance.length > 0 ? `<h2 class="section-title">Scheduled maintenance</h2>${maintenance.map(maintenanceBox).join('')}` : '',
    model.components.length > 0 ? `<section class="components" aria-label="Components">${model.components.map(componentRow).join('')}</section>` : '',
    pastIncidents(model),
  ].join('');
  return htmlLayout({ siteTitle: model.title, title: model.title, description: `${model.title}: ${model.description}`, body });
}
