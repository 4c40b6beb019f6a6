import { z } from 'zod';
import type { Prisma, TimelineEvent } from '../db/client.js';
import { alertBriefSchema } from './channel-post.js';
import { StoredRecordError } from './stored-record-error.js';

/** Who or what caused a timeline event. */
export const eventSourceSchema = z.enum(['alert', 'slack', 'api', 'escalation', 'worker']);
export type EventSource = z.infer<typeof eventSourceSchema>;

const text = z.string();
const maybe = z.string().nullable();
const event = <T extends string, S extends z.ZodRawShape>(type: T, data: S) => z.object({ type: z.literal(type), data: z.object(data) });
const actionData = { runId: z.string().optional(), actionId: text, label: text };
const finished = { ...actionData, requestedBy: text, summary: maybe.optional(), attempts: z.number().nullable().optional(), durationMs: z.number().nullable().optional() };
const note = { author: text, text, permalink: maybe.optional(), messageTs: maybe.optional() };

/**
 * Every kind of event on an incident's timeline, with its data, as stored in `timeline_events`.
 * A new kind is one member here; `describeEvent` then names it as unhandled until it has words.
 */
export const timelineEventBodySchema = z.discriminatedUnion('type', [
  event('alert.received', { ...alertBriefSchema.shape, status: text, startsAt: text }),
  event('alert.resolved', { fingerprint: text, name: text, endsAt: maybe }),
  event('incident.opened', { title: text, severity: text, runbookId: maybe, policy: maybe.optional(), deliveryId: z.string().optional(), declaredBy: z.string().optional() }),
  event('slack.channel_created', { channelId: text, name: z.string().optional() }),
  event('slack.message_posted', { channelId: text, ts: text }),
  event('runbook.posted', { runbookId: text, channelId: text, ts: text }),
  event('runbook.changed', { from: maybe, to: text }),
  event('action.requested', { ...actionData, kind: text }),
  event('action.refused', { ...actionData, reason: text }),
  event('action.started', { ...actionData, requestedBy: text }),
  event('action.succeeded', finished),
  event('action.failed', finished),
  event('action.timed_out', finished),
  event('action.outcome_unknown', finished),
  event('escalation.notified', {
    step: z.number(),
    level: text,
    reason: text,
    notify: z.array(text),
    note: maybe.optional(),
    nextDueAt: maybe.optional(),
    /** Who each `schedule:<name>` of the level chose, and by which layer or override. */
    oncall: z.array(z.object({ schedule: text, user: text, layer: maybe, override: z.number().nullable() })).optional(),
  }),
  event('escalation.nobody_on_call', { step: z.number(), level: text, schedule: text, next: maybe }),
  event('incident.acknowledged', { level: z.number(), secondsToAck: z.number().optional() }),
  event('incident.ack_refused', { policy: maybe }),
  event('incident.resolved', { summary: maybe.optional() }),
  event('incident.reopened', { resolvedAt: maybe }),
  event('incident.group_joined', { groupKey: text, reason: text }),
  event('incident.severity_changed', { from: text, to: text }),
  event('note.added', note),
  event('note.pinned', note),
  event('slack.channel_archived', { channelId: text }),
  event('review.reminded', { reviewId: z.string().optional(), step: z.number(), kind: z.enum(['due_soon', 'overdue']), owner: maybe.optional(), dueAt: text }),
  event('review.edited', { sections: z.array(text) }),
  event('review.owner_changed', { from: maybe, to: text }),
  event('review.completed', { dueAt: text, onTime: z.boolean() }),
  event('followup.added', { owner: text, dueOn: text, text }),
  event('update.posted', { updateId: text, status: text, summary: text, impact: maybe, nextUpdateAt: maybe }),
  event('update.reminded', { to: maybe, dueAt: text }),
  event('update.snoozed', { by: text, target: maybe, byTarget: z.boolean(), until: text }),
  event('role.assigned', { role: text, userId: text, by: text, previous: maybe, firstAck: z.boolean() }),
  event('subscriber.added', { userId: text, via: z.enum(['slack', 'escalation']) }),
  event('subscriber.removed', { userId: text }),
  event('statuspage.published', { title: text, status: text, body: text, components: z.array(z.object({ name: text, status: text })) }),
  event('statuspage.hidden', {}),
]);

export type TimelineEventBody = z.infer<typeof timelineEventBodySchema>;
export type TimelineEventType = TimelineEventBody['type'];
/** A stored event with its data parsed. */
export type ParsedTimelineEvent = Omit<TimelineEvent, 'type' | 'data' | 'source'> & TimelineEventBody & { source: EventSource };

export type NewTimelineEvent = TimelineEventBody & {
  incidentId: string;
  actor: string;
  source: EventSource;
  at?: Date;
};

/** Parses a stored `timeline_events` row; an unknown type or malformed data is refused with a clear error. */
export function parseTimelineEvent<R extends Pick<TimelineEvent, 'id' | 'type' | 'data' | 'source'>>(row: R): Omit<R, 'type' | 'data' | 'source'> & TimelineEventBody & { source: EventSource } {
  const parsed = z.intersection(timelineEventBodySchema, z.object({ source: eventSourceSchema })).safeParse({ type: row.type, data: row.data, source: row.source });
  if (!parsed.success) throw new StoredRecordError(`timeline event (type "${row.type}")`, String(row.id), z.prettifyError(parsed.error));
  return { ...row, ...parsed.data };
}

/** The row of a new event, checked against its kind by the compiler. */
export function timelineRow(entry: NewTimelineEvent): Prisma.TimelineEventCreateManyInput {
  return { incidentId: entry.incidentId, type: entry.type, actor: entry.actor, source: entry.source, at: entry.at, data: entry.data };
}

/**
 * Appends events to an incident's timeline inside the caller's transaction. One INSERT whose rows
 * travel as one JSON parameter: Prisma compiles every createMany afresh (its plan cache skips
 * them), and every correlation pass records events.
 */
export async function recordEvents(tx: Prisma.TransactionClient, events: NewTimelineEvent[]): Promise<void> {
  if (events.length === 0) return;
  const now = new Date();
  const rows = JSON.stringify(events.map((entry, n) => ({ n, incident_id: entry.incidentId, type: entry.type, actor: entry.actor, source: entry.source, at: (entry.at ?? now).toISOString(), data: entry.data })));
  await tx.$executeRaw`
    INSERT INTO timeline_events (incident_id, type, actor, source, at, data)
    SELECT e.incident_id, e.type, e.actor, e.source, e.at AT TIME ZONE 'UTC', e.data
    FROM jsonb_to_recordset(${rows}::jsonb) AS e (n int, incident_id uuid, type text, actor text, source text, at timestamptz, data jsonb)
    ORDER BY e.n`;
}
