import type { Incident } from '../../db/client.js';
import { incidentReference } from '../../record/incident-reference.js';
import { escapeMrkdwn } from './mrkdwn.js';
import { severityEmoji } from './severity-style.js';

/** The stakeholder announcement of an incident opening or resolving, with a link to its channel. */
export function renderAnnouncement(incident: Incident, what: 'opened' | 'resolved'): string {
  const where = incident.channelId ? ` · <#${incident.channelId}>` : '';
  if (what === 'opened') return `${severityEmoji(incident.severity)} *${incidentReference(incident)} opened* (${escapeMrkdwn(incident.severity)}): ${escapeMrkdwn(incident.title)}${where}`;
  const minutes = incident.resolvedAt ? Math.max(1, Math.round((incident.resolvedAt.getTime() - incident.openedAt.getTime()) / 60_000)) : undefined;
  return `🟢 *${incidentReference(incident)} resolved*${minutes ? ` after ${minutes} min` : ''}: ${escapeMrkdwn(incident.title)}${where}`;
}
