import type { Deps } from '../deps.js';
import { escapeMrkdwn } from '../slack/render/mrkdwn.js';
import { incidentReference } from '../slack/render/incident-message.js';

const SHOWN = 20;

function describe(type: string, data: Record<string, unknown>): string {
  const text = (value: unknown) => escapeMrkdwn(String(value ?? '')).slice(0, 200);
  switch (type) {
    case 'alert.received':
      return `alert received: ${text(data.name)}${data.summary ? ` (${text(data.summary)})` : ''}`;
    case 'alert.resolved':
      return `alert resolved: ${text(data.name)}`;
    case 'escalation.notified':
      return `${text(data.level)} notified (${text(data.reason)})${data.note ? `: ${text(data.note)}` : ''}`;
    case 'escalation.nobody_on_call':
      return `${text(data.level)}: nobody on call in schedule ${text(data.schedule)}${data.next ? `, ${text(data.next)} paged at once` : ''}`;
    case 'note.added':
    case 'note.pinned':
      return `note by <@${text(data.author)}>: ${text(data.text)}`;
    case 'incident.severity_changed':
      return `severity ${text(data.from)} → ${text(data.to)}`;
    default:
      return [type.replace('.', ' '), data.label ? text(data.label) : '', data.summary ? text(data.summary) : ''].filter(Boolean).join(': ');
  }
}

/** `/incident timeline`: the last events of this channel's incident, oldest first. */
export async function describeTimeline(deps: Pick<Deps, 'db'>, incidentId: string): Promise<string> {
  const incident = await deps.db.incident.findUniqueOrThrow({ where: { id: incidentId } });
  const events = (await deps.db.timelineEvent.findMany({ where: { incidentId }, orderBy: { id: 'desc' }, take: SHOWN })).reverse();
  const total = await deps.db.timelineEvent.count({ where: { incidentId } });
  const lines = events.map((event) => {
    const actor = /^[UW][A-Z0-9]+$/.test(event.actor) ? `<@${event.actor}>` : event.actor;
    return `\`${event.at.toISOString().slice(11, 19)}Z\` ${describe(event.type, event.data as Record<string, unknown>)} · ${actor}`;
  });
  const head = `*Timeline of ${incidentReference(incident)}*${total > SHOWN ? ` (last ${SHOWN} of ${total}; all of it: GET /api/incidents/${incident.id})` : ''}`;
  return [head, ...lines].join('\n');
}
