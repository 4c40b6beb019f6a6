import type { ActionRun, Alert, Db, Escalation, Incident, TimelineEvent } from '../db/client.js';
import { parseTimelineEvent, type EventSource, type TimelineEventBody } from '../record/timeline.js';

/** What a post-incident review is drafted from: one consistent read of the incident's record. */
export interface ReviewFacts {
  incident: Pick<
    Incident,
    | 'id'
    | 'number'
    | 'title'
    | 'status'
    | 'severity'
    | 'source'
    | 'runbookId'
    | 'policyName'
    | 'level'
    | 'summary'
    | 'labels'
    | 'channelId'
    | 'channelName'
    | 'openedAt'
    | 'reopenedAt'
    | 'acknowledgedAt'
    | 'acknowledgedBy'
    | 'resolvedAt'
  >;
  /** Every alert linked to the incident (its own group and the groups that joined it), by start. */
  alerts: Pick<Alert, 'source' | 'fingerprint' | 'name' | 'status' | 'labels' | 'annotations' | 'startsAt' | 'endsAt' | 'generatorUrl' | 'groupKey'>[];
  /** The full timeline, ordered by `at`, then `id` (events of one instant in the order they were written). */
  timeline: (Pick<TimelineEvent, 'id' | 'actor' | 'at'> & TimelineEventBody & { source: EventSource })[];
  /** Escalation steps by step number. */
  escalations: Pick<Escalation, 'step' | 'level' | 'reason' | 'note' | 'actor' | 'notify' | 'at'>[];
  /** Action runs by request time, without their (possibly large) output. */
  actionRuns: Pick<ActionRun, 'id' | 'actionId' | 'label' | 'kind' | 'status' | 'requestedBy' | 'attempts' | 'summary' | 'error' | 'durationMs' | 'requestedAt' | 'startedAt' | 'finishedAt'>[];
  /** Alert groups that joined the incident after it opened (same service, or a storm). */
  joinedGroups: string[];
}

/**
 * Reads everything a review draft needs in one repeatable-read transaction (so the timeline,
 * the incident row and the runs agree with each other): one query per table, none per event.
 * Undefined when there is no such incident.
 */
export async function loadReviewFacts(db: Db, incidentId: string): Promise<ReviewFacts | undefined> {
  const [incident, alerts, timeline, escalations, actionRuns, keys] = await db.$transaction(
    [
      db.incident.findUnique({
        where: { id: incidentId },
        select: {
          id: true,
          number: true,
          title: true,
          status: true,
          severity: true,
          source: true,
          runbookId: true,
          policyName: true,
          level: true,
          summary: true,
          labels: true,
          channelId: true,
          channelName: true,
          openedAt: true,
          reopenedAt: true,
          acknowledgedAt: true,
          acknowledgedBy: true,
          resolvedAt: true,
        },
      }),
      db.alert.findMany({
        where: { incidentId },
        orderBy: [{ startsAt: 'asc' }, { createdAt: 'asc' }, { id: 'asc' }],
        select: { source: true, fingerprint: true, name: true, status: true, labels: true, annotations: true, startsAt: true, endsAt: true, generatorUrl: true, groupKey: true },
      }),
      // Index timeline_events(incident_id, at); the id settles events of one instant.
      db.timelineEvent.findMany({
        where: { incidentId },
        orderBy: [{ at: 'asc' }, { id: 'asc' }],
        select: { id: true, type: true, actor: true, source: true, at: true, data: true },
      }),
      db.escalation.findMany({
        where: { incidentId },
        orderBy: { step: 'asc' },
        select: { step: true, level: true, reason: true, note: true, actor: true, notify: true, at: true },
      }),
      db.actionRun.findMany({
        where: { incidentId },
        orderBy: [{ requestedAt: 'asc' }, { id: 'asc' }],
        select: { id: true, actionId: true, label: true, kind: true, status: true, requestedBy: true, attempts: true, summary: true, error: true, durationMs: true, requestedAt: true, startedAt: true, finishedAt: true },
      }),
      db.incidentKey.findMany({ where: { incidentId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], select: { groupKey: true } }),
    ],
    { isolationLevel: 'RepeatableRead' },
  );
  if (!incident) return undefined;
  return { incident, alerts, timeline: timeline.map(parseTimelineEvent), escalations, actionRuns, joinedGroups: keys.map((key) => key.groupKey) };
}
