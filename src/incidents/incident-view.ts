import type { Incident } from '../db/client.js';
import { incidentReference } from '../record/incident-reference.js';

/** How many of an incident's alerts fire and how many have resolved. */
export interface AlertCounts {
  firing: number;
  resolved: number;
}

/** An incident as the JSON API shows it: dates as ISO strings, internals (locks, tokens, policy snapshot) left out. */
export interface IncidentView {
  id: string;
  number: number;
  reference: string;
  title: string;
  status: Incident['status'];
  severity: string;
  source: string;
  runbookId: string | null;
  level: number;
  policyName: string | null;
  channel: { id: string; name: string | null } | null;
  openedAt: string;
  /** Set when a resolved incident fired again within the reopen window (its status is then `reopened`). */
  reopenedAt: string | null;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  resolvedAt: string | null;
  alertCounts: AlertCounts;
}

export const isoOrNull = (date: Date | null): string | null => (date ? date.toISOString() : null);

export function toIncidentView(incident: Incident, alertCounts: AlertCounts): IncidentView {
  return {
    id: incident.id,
    number: incident.number,
    reference: incidentReference(incident),
    title: incident.title,
    status: incident.status,
    severity: incident.severity,
    source: incident.source,
    runbookId: incident.runbookId,
    level: incident.level,
    policyName: incident.policyName,
    // The channel is created by the worker after the incident opens: null until then.
    channel: incident.channelId ? { id: incident.channelId, name: incident.channelName } : null,
    openedAt: incident.openedAt.toISOString(),
    reopenedAt: isoOrNull(incident.reopenedAt),
    acknowledgedAt: isoOrNull(incident.acknowledgedAt),
    acknowledgedBy: incident.acknowledgedBy,
    resolvedAt: isoOrNull(incident.resolvedAt),
    alertCounts,
  };
}
