import type { TimelineEventBody } from './timeline.js';

/** How one surface writes record text: escaped and cut for it, people named the way it names them. */
export interface EventWords {
  text(value: string, max: number): string;
  who(actor: string): string;
}

/** Why an escalation step paged, in words. */
export const ESCALATION_REASON: Record<string, string> = {
  opened: 'incident opened',
  timeout: 'not acknowledged in time',
  manual: 'escalated by hand',
  repeat: 'repeat: still not acknowledged',
  reopened: 'incident reopened',
  gap: 'nobody on call at the level before',
};

/** How an action run ended, in words. */
export const ACTION_OUTCOME: Record<string, string> = {
  succeeded: 'succeeded',
  failed: 'failed',
  timed_out: 'timed out',
  outcome_unknown: 'outcome unknown',
  queued: 'not run yet (queued)',
  running: 'still running',
};


/**
 * One timeline event in words. `levelAt` gives the escalation level paged last at a time: an
 * acknowledgement's own `level` is the highest level the incident ever reached, which after a
 * reopen is not the level that was paged.
 */
export function describeEvent(event: TimelineEventBody & { at: Date }, words: EventWords, levelAt?: (at: Date) => number | null): string {
  const text = (value: string | null | undefined, max: number) => words.text(value ?? '', max);
  const who = words.who;
  switch (event.type) {
    case 'alert.received':
      return `alert ${event.data.status === 'resolved' ? 'received, already resolved' : 'firing'}: ${text(event.data.name, 120)}${event.data.summary ? ` — ${text(event.data.summary, 200)}` : ''}`;
    case 'alert.resolved':
      return `alert resolved: ${text(event.data.name, 120)}`;
    case 'incident.opened':
      return [
        event.data.declaredBy ? `incident declared by hand by ${who(event.data.declaredBy)}` : 'incident opened',
        event.data.severity ? `severity ${text(event.data.severity, 40)}` : '',
        event.data.runbookId ? `runbook \`${text(event.data.runbookId, 80)}\`` : '',
        event.data.policy ? `policy \`${text(event.data.policy, 80)}\`` : '',
      ]
        .filter(Boolean)
        .join(', ');
    case 'incident.acknowledged': {
      const level = levelAt?.(event.at) ?? event.data.level;
      return `acknowledged${level ? ` at L${level}` : ''}`;
    }
    case 'incident.ack_refused':
      return 'acknowledgement refused: not in the escalation policy';
    case 'incident.resolved':
      return `incident resolved${event.data.summary ? `: ${text(event.data.summary, 200)}` : ''}`;
    case 'incident.reopened':
      return 'incident reopened: its alerts fired again';
    case 'incident.group_joined':
      return `alert group joined (${event.data.reason === 'storm' ? 'alert storm' : 'same service'}): \`${text(event.data.groupKey, 120)}\``;
    case 'incident.severity_changed':
      return `severity ${text(event.data.from, 40)} → ${text(event.data.to, 40)}`;
    case 'escalation.notified': {
      const picks = (event.data.oncall ?? []).map((pick) => `${who(pick.user)} on call in \`${text(pick.schedule, 80)}\`, ${pick.override !== null ? `override #${pick.override}` : `layer \`${text(pick.layer, 80)}\``}`);
      return `${text(event.data.level, 10)} notified (${ESCALATION_REASON[event.data.reason] ?? text(event.data.reason, 40)}): ${event.data.notify.length > 0 ? event.data.notify.map((entry) => who(entry)).join(', ') : '—'}${picks.length > 0 ? ` (${picks.join('; ')})` : ''}${event.data.note ? ` — ${text(event.data.note, 200)}` : ''}`;
    }
    case 'escalation.nobody_on_call':
      return `${text(event.data.level, 10)}: nobody on call in schedule \`${text(event.data.schedule, 80)}\`${event.data.next ? `, ${text(event.data.next, 10)} paged at once` : ''}`;
    case 'slack.channel_created':
      return `channel ${event.data.name ? `#${text(event.data.name, 80)}` : ''} created`.replace('  ', ' ');
    case 'slack.message_posted':
      return 'incident message posted';
    case 'slack.channel_archived':
      return 'channel archived';
    case 'runbook.posted':
      return `runbook \`${text(event.data.runbookId, 80)}\` posted`;
    case 'runbook.changed':
      return `runbook changed: \`${text(event.data.from, 80) || 'none'}\` → \`${text(event.data.to, 80)}\``;
    case 'action.requested':
      return `action requested: ${text(event.data.label, 120)}${event.data.kind ? ` (${text(event.data.kind, 20)})` : ''}`;
    case 'action.refused':
      return `action refused: ${text(event.data.label, 120)}${event.data.reason ? ` (${text(event.data.reason, 80)})` : ''}`;
    case 'action.started':
      return `action started: ${text(event.data.label, 120)}`;
    case 'action.succeeded':
    case 'action.failed':
    case 'action.timed_out':
    case 'action.outcome_unknown':
      return `action ${ACTION_OUTCOME[event.type.slice('action.'.length)]}: ${text(event.data.label, 120)}${event.data.summary ? ` — ${text(event.data.summary, 200)}` : ''}`;
    case 'note.added':
      return `note by ${who(event.data.author)}: ${text(event.data.text, 200)}`;
    case 'note.pinned':
      return `message by ${who(event.data.author)} pinned: ${text(event.data.text, 200)}`;
    case 'review.reminded':
      return `review reminder (${event.data.kind === 'due_soon' ? 'due soon' : 'overdue'}) to ${event.data.owner ? who(event.data.owner) : 'the channel'}`;
    case 'review.edited':
      return `review edited: ${text(event.data.sections.join(', '), 200)}`;
    case 'review.owner_changed':
      return `review owner ${event.data.from ? `${who(event.data.from)} → ` : 'set to '}${who(event.data.to)}`;
    case 'review.completed':
      return 'review marked done';
    case 'followup.added':
      return `follow-up for ${who(event.data.owner)}, due ${text(event.data.dueOn, 10)}: ${text(event.data.text, 200)}`;
    case 'update.posted':
      return `stakeholder update (${text(event.data.status, 20)}): ${text(event.data.summary, 300)}${event.data.impact ? ` — impact: ${text(event.data.impact, 200)}` : ''}`;
    case 'update.reminded':
      return `update reminder to ${event.data.to ? who(event.data.to) : 'the channel'}`;
    case 'update.snoozed':
      return `update reminder snoozed by ${who(event.data.by)}${!event.data.byTarget && event.data.target ? ` (it was for ${who(event.data.target)})` : ''}`;
    case 'role.assigned':
      return `${who(event.data.userId)} is ${text(event.data.role, 30)}${event.data.firstAck ? ' (first to acknowledge)' : ''}${event.data.previous ? `, after ${who(event.data.previous)}` : ''}`;
    case 'subscriber.added':
      return `${who(event.data.userId)} subscribed to updates${event.data.via === 'escalation' ? ' (paged at L3)' : ''}`;
    case 'subscriber.removed':
      return `${who(event.data.userId)} unsubscribed`;
    case 'statuspage.published':
      return `published on the status page (${text(event.data.status, 20)}): ${text(event.data.title, 200)}${event.data.components.length ? ` — ${text(event.data.components.map((component) => `${component.name}: ${component.status.replaceAll('_', ' ')}`).join(', '), 300)}` : ''}`;
    case 'statuspage.hidden':
      return 'taken off the status page';
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
}
