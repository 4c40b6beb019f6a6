import type { Prisma } from '../db/client.js';

/** Who or what caused a timeline event. */
export type EventSource = 'alert' | 'slack' | 'api' | 'escalation' | 'worker';

export type TimelineEventType =
  | 'alert.received'
  | 'alert.resolved'
  | 'incident.opened'
  | 'slack.channel_created'
  | 'slack.message_posted'
  | 'runbook.posted'
  | 'runbook.changed'
  | 'action.requested'
  | 'action.refused'
  | 'action.started'
  | 'action.succeeded'
  | 'action.failed'
  | 'action.timed_out'
  | 'action.outcome_unknown'
  | 'escalation.notified'
  | 'escalation.nobody_on_call'
  | 'incident.acknowledged'
  | 'incident.ack_refused'
  | 'incident.resolved'
  | 'incident.reopened'
  | 'incident.group_joined'
  | 'incident.declared'
  | 'incident.severity_changed'
  | 'note.added'
  | 'note.pinned'
  | 'slack.channel_archived'
  | 'review.reminded'
  | 'review.edited'
  | 'review.owner_changed'
  | 'review.completed'
  | 'followup.added';

export interface NewTimelineEvent {
  incidentId: string;
  type: TimelineEventType;
  actor: string;
  source: EventSource;
  at?: Date;
  data?: Prisma.InputJsonObject;
}

/** Appends events to an incident's timeline inside the caller's transaction. */
export async function recordEvents(tx: Prisma.TransactionClient, events: NewTimelineEvent[]): Promise<void> {
  if (events.length === 0) return;
  await tx.timelineEvent.createMany({ data: events.map((event) => ({ ...event, data: event.data ?? {} })) });
}
