import type { Deps } from '../deps.js';
import type { Escalation, Incident } from '../db/client.js';
import { policyOf } from '../record/policy.js';
import { incidentReference } from '../record/incident-reference.js';
import { escapeMrkdwn } from './render/mrkdwn.js';
import { peopleOf } from '../escalation/people-of.js';
import { mentionAll } from './escalation-audience.js';
import { slackErrorCode } from './web-client.js';

type SlackDeps = Pick<Deps, 'slack' | 'log'>;

/** Invites a level's people to the incident channel (before the mention, so the mention reaches them). */
export async function inviteLevel(deps: SlackDeps, channelId: string, escalation: Escalation): Promise<void> {
  try {
    const people = await peopleOf(deps.slack, escalation.notify as string[]);
    if (people.length === 0) return;
    await deps.slack.conversations.invite({ channel: channelId, users: people.join(','), force: true });
  } catch (error) {
    // Everyone already being in the channel is not a failure; anything else is logged, and the mention still goes out.
    if (slackErrorCode(error) !== 'already_in_channel') deps.log.warn({ channelId, error: slackErrorCode(error) ?? String(error) }, 'could not invite everyone of an escalation level');
  }
}

/** Direct messages to a level's people when its policy says so. */
export async function messageLevelDirectly(deps: SlackDeps, incident: Incident, channelId: string, escalation: Escalation): Promise<void> {
  const level = policyOf(incident)?.levels[escalation.level - 1];
  if (!level?.direct_message) return;
  const text = `🚨 You are paged (L${escalation.level}) for *${incidentReference(incident)}* ${escapeMrkdwn(incident.title)} · severity ${escapeMrkdwn(incident.severity)} · <#${channelId}>${incident.summary ? `\n${escapeMrkdwn(incident.summary)}` : ''}`;
  await messageDirectly(deps, incident.id, { to: escalation.notify as string[], text });
}

/** The channel message for an escalation step. */
export function escalationText(escalation: Escalation, incident: Incident): string {
  const who = mentionAll(escalation.notify as string[]);
  const level = `*L${escalation.level}*`;
  const notify = escalation.notify as string[];
  if (notify.length === 0) return `⚠️ ${level}: nobody to page${escalation.note ? `: ${escapeMrkdwn(escalation.note)}` : ''}.`;
  // Only manual steps carry a reason; on any other step a note is a schedule with nobody on call.
  const gap = escalation.note && escalation.reason !== 'manual' ? ` ⚠️ ${escapeMrkdwn(escalation.note)}.` : '';
  const due = gap + (escalation.dueAt ? ` Acknowledge by <!date^${Math.floor(escalation.dueAt.getTime() / 1000)}^{time}|${escalation.dueAt.toISOString()}> or it escalates.` : '');
  switch (escalation.reason) {
    case 'opened':
      return `🔔 ${level} paged: ${who}.${due}`;
    case 'timeout':
      return `🚨 Not acknowledged in time: escalated to ${level}: ${who}.${due}`;
    case 'repeat':
      return `🔁 Still not acknowledged: reminding ${level}: ${who}.${due}`;
    case 'reopened':
      return `🔔 ${level} paged again: ${who}.${due}`;
    case 'gap':
      return `🚨 Nobody on call at L${escalation.level - 1}: paged ${level} at once: ${who}.${due}`;
    case 'manual':
      return `⏫ <@${escalation.actor}> escalated ${incidentReference(incident)} to ${level}: ${who}.${escalation.note ? ` Reason: ${escapeMrkdwn(escalation.note)}` : ''}${due}`;
    default:
      return `${level}: ${who}`;
  }
}

/** Direct messages to people (user groups expanded), best effort and person by person: the channel already has the message. */
export async function messageDirectly(deps: SlackDeps, incidentId: string, message: { to: string[]; text: string }): Promise<void> {
  const people = await peopleOf(deps.slack, message.to).catch((error: unknown) => {
    deps.log.warn({ incidentId, error: slackErrorCode(error) ?? String(error) }, 'could not expand user groups for direct messages');
    return message.to;
  });
  for (const user of people.filter((id) => !id.startsWith('S'))) {
    await deps.slack.chat.postMessage({ channel: user, text: message.text, unfurl_links: false }).catch((error: unknown) => {
      deps.log.warn({ incidentId, user, error: slackErrorCode(error) ?? String(error) }, 'could not send a direct message');
    });
  }
}
