import type { Deps } from '../../deps.js';
import { describeEvent, type EventWords } from '../../record/describe-event.js';
import { incidentReference } from '../../record/incident-reference.js';
import { parseTimelineEvent } from '../../record/timeline.js';
import { escapeMrkdwn } from '../render/mrkdwn.js';

const SHOWN = 20;

const mention = (actor: string) => (/^[UW][A-Z0-9]+$/.test(actor) ? `<@${actor}>` : escapeMrkdwn(actor));

/** Slack's words for the record: mrkdwn-escaped text on one line, people as mentions. */
const SLACK_WORDS: EventWords = {
  text: (value, max) => {
    const flat = value.replace(/\s*\r?\n\s*/g, ' ').trim();
    return escapeMrkdwn(flat.length > max ? `${flat.slice(0, max - 1)}…` : flat);
  },
  who: mention,
};

/** `/incident timeline`: the last events of this channel's incident, oldest first, in the words the review uses. */
export async function describeTimeline(deps: Pick<Deps, 'db'>, incidentId: string): Promise<string> {
  const incident = await deps.db.incident.findUniqueOrThrow({ where: { id: incidentId } });
  const events = (await deps.db.timelineEvent.findMany({ where: { incidentId }, orderBy: { id: 'desc' }, take: SHOWN })).reverse();
  const total = await deps.db.timelineEvent.count({ where: { incidentId } });
  const lines = events.map((row) => {
    const event = parseTimelineEvent(row);
    return `\`${event.at.toISOString().slice(11, 19)}Z\` ${describeEvent(event, SLACK_WORDS)} · ${mention(event.actor)}`;
  });
  const head = `*Timeline of ${incidentReference(incident)}*${total > SHOWN ? ` (last ${SHOWN} of ${total}; all of it: GET /api/incidents/${incident.id})` : ''}`;
  return [head, ...lines].join('\n');
}
