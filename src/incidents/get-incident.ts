import type { Deps } from '../deps.js';
import { incidentWhere, type IncidentRef } from '../record/incident-ref.js';
import type { Prisma } from '../db/client.js';
import { isoOrNull, toIncidentView, type IncidentView } from './incident-view.js';

/** How an API caller names an incident: its UUID or its number (INC-<number>). */
export type { IncidentRef };

export interface AlertView {
  source: string;
  fingerprint: string;
  name: string;
  status: 'firing' | 'resolved';
  labels: Prisma.JsonValue;
  annotations: Prisma.JsonValue;
  startsAt: string;
  endsAt: string | null;
  generatorUrl: string | null;
}

export interface TimelineEventView {
  /** A BigInt in Postgres: a string, so that no JSON reader rounds it. */
  id: string;
  type: string;
  actor: string;
  source: string;
  at: string;
  data: Prisma.JsonValue;
}

export interface EscalationView {
  step: number;
  level: number;
  reason: string;
  note: string | null;
  actor: string;
  notify: Prisma.JsonValue;
  dueAt: string | null;
  at: string;
}

/** An action run without its full output, which can be large: the summary and figures say what it found. */
export interface ActionRunView {
  id: string;
  actionId: string;
  label: string;
  kind: string;
  type: string;
  status: string;
  requestedBy: string;
  attempts: number;
  summary: string | null;
  figures: Prisma.JsonValue;
  durationMs: number | null;
  requestedAt: string;
  finishedAt: string | null;
}

export interface IncidentDetail extends IncidentView {
  alerts: AlertView[];
  timeline: TimelineEventView[];
  escalations: EscalationView[];
  actionRuns: ActionRunView[];
}

/** One incident with its alerts, full timeline, escalations and action runs; undefined when there is none. */
export async function getIncident(deps: Pick<Deps, 'db'>, ref: IncidentRef): Promise<IncidentDetail | undefined> {
  const where = incidentWhere(ref);
  if (!where) return undefined;
  const incident = await deps.db.incident.findUnique({
    where,
    include: {
      alerts: { orderBy: [{ startsAt: 'asc' }, { createdAt: 'asc' }, { id: 'asc' }] },
      // Ordered by time (index timeline_events(incident_id, at)); the id settles events of one instant.
      timeline: { orderBy: [{ at: 'asc' }, { id: 'asc' }] },
      escalations: { orderBy: { step: 'asc' } },
      actionRuns: { orderBy: [{ requestedAt: 'asc' }, { id: 'asc' }], omit: { output: true, error: true } },
    },
  });
  if (!incident) return undefined;
  const { alerts, timeline, escalations, actionRuns } = incident;
  const firing = alerts.filter((alert) => alert.status === 'firing').length;
  return {
    ...toIncidentView(incident, { firing, resolved: alerts.length - firing }),
    alerts: alerts.map((alert) => ({
      source: alert.source,
      fingerprint: alert.fingerprint,
      name: alert.name,
      status: alert.status,
      labels: alert.labels,
      annotations: alert.annotations,
      startsAt: alert.startsAt.toISOString(),
      endsAt: isoOrNull(alert.endsAt),
      generatorUrl: alert.generatorUrl,
    })),
    timeline: timeline.map((event) => ({ id: event.id.toString(), type: event.type, actor: event.actor, source: event.source, at: event.at.toISOString(), data: event.data })),
    escalations: escalations.map((step) => ({
      step: step.step,
      level: step.level,
      reason: step.reason,
      note: step.note,
      actor: step.actor,
      notify: step.notify,
      dueAt: isoOrNull(step.dueAt),
      at: step.at.toISOString(),
    })),
    actionRuns: actionRuns.map((run) => ({
      id: run.id,
      actionId: run.actionId,
      label: run.label,
      kind: run.kind,
      type: run.type,
      status: run.status,
      requestedBy: run.requestedBy,
      attempts: run.attempts,
      summary: run.summary,
      figures: run.figures,
      durationMs: run.durationMs,
      requestedAt: run.requestedAt.toISOString(),
      finishedAt: isoOrNull(run.finishedAt),
    })),
  };
}
