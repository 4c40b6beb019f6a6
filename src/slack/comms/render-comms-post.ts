import type { Deps } from '../../deps.js';
import type { ParsedChannelPost } from '../../record/channel-post.js';
import { incidentReference } from '../../record/incident-reference.js';
import { subscribersOf } from '../../comms/subscriptions.js';
import { parseUpdateStatus } from '../../comms/update-status.js';
import { LIMITS, section, truncate } from '../render/block-kit.js';
import { escapeMrkdwn } from '../render/mrkdwn.js';
import { slackDate } from '../render/review-summary.js';
import type { RenderedPost } from '../render/rendered-post.js';
import { UPDATE_CONTROL, updateStatusLabel } from './comms-labels.js';

type CommsPost = Extract<ParsedChannelPost, { kind: 'status_update' | 'status_update_announce' | 'update_reminder' | 'update_snoozed' | 'role_assigned' }>;
type UpdatePost = Extract<CommsPost, { kind: 'status_update' | 'status_update_announce' }>;

const mention = (id: string | null) => (id ? (id.startsWith('S') ? `<!subteam^${id}>` : `<@${id}>`) : 'the channel');

/** Renders the posts of stakeholder updates, their reminders and roles; undefined when nothing is left to say. */
export async function renderCommsPost(deps: Pick<Deps, 'db' | 'config'>, post: CommsPost): Promise<RenderedPost | undefined> {
  switch (post.kind) {
    case 'status_update':
    case 'status_update_announce':
      return renderUpdate(deps, post);
    case 'update_reminder': {
      const text = `⏰ ${mention(post.data.to)}: a stakeholder update is due (${slackDate(new Date(post.data.dueAt), '{time}')}). Post one with *Post update* or \`${escapeMrkdwn('/incident update <text>')}\`.`;
      return {
        text,
        blocks: [
          section(text),
          {
            type: 'actions',
            block_id: 'update-reminder',
            elements: [
              { type: 'button', action_id: UPDATE_CONTROL.post, text: { type: 'plain_text', text: 'Post update' }, style: 'primary', value: post.incidentId },
              { type: 'button', action_id: UPDATE_CONTROL.snooze, text: { type: 'plain_text', text: 'Snooze 30m' }, value: post.incidentId },
            ],
          },
        ],
        inThread: false,
      };
    }
    case 'update_snoozed': {
      const data = post.data;
      const text = `😴 <@${data.by}> snoozed the update reminder until ${slackDate(new Date(data.until), '{time}')}${data.byTarget || !data.target ? '' : ` (it was for ${mention(data.target)})`}.`;
      return { text, blocks: [section(text)], inThread: false };
    }
    case 'role_assigned': {
      const data = post.data;
      const duty = deps.config.roles[data.role] ?? '';
      const why = data.firstAck ? ' (first to acknowledge)' : data.by !== data.userId ? ` by <@${data.by}>` : '';
      const text = `🎖️ <@${data.userId}> is now *${escapeMrkdwn(data.role)}*${why}${data.previous ? `, taking over from <@${data.previous}>` : ''}.`;
      const incident = await deps.db.incident.findUnique({ where: { id: post.incidentId }, select: { number: true, title: true, channelId: true } });
      const where = incident ? ` of *${incidentReference(incident)}* ${escapeMrkdwn(incident.title.slice(0, 150))}${incident.channelId ? ` · <#${incident.channelId}>` : ''}` : '';
      return { text, blocks: [section(text)], inThread: false, direct: { to: [data.userId], text: `🎖️ You are *${escapeMrkdwn(data.role)}*${where}. Your duty: ${escapeMrkdwn(duty)}` } };
    }
  }
}

/** An update: in the channel (and to subscribers by direct message), or in the announcement's thread. */
async function renderUpdate(deps: Pick<Deps, 'db'>, post: UpdatePost): Promise<RenderedPost | undefined> {
  const update = await deps.db.statusUpdate.findUnique({ where: { id: post.data.updateId }, include: { incident: { select: { number: true, title: true, channelId: true } } } });
  if (!update) return undefined;
  const reference = incidentReference(update.incident);
  const lines = [
    `📣 *Update on ${reference}* · ${updateStatusLabel(parseUpdateStatus(update.status))} · by <@${update.postedBy}>`,
    escapeMrkdwn(update.summary),
    update.impact ? `*Impact:* ${escapeMrkdwn(update.impact)}` : '',
    update.nextUpdateAt ? `_Next update by ${slackDate(update.nextUpdateAt, '{time}')}._` : '',
  ].filter(Boolean);
  const text = truncate(lines.join('\n'), LIMITS.sectionText);
  if (post.kind === 'status_update_announce') {
    // In the thread of the incident's announcement when there is one (it may have been refused).
    const announced = await deps.db.channelPost.findFirst({ where: { incidentId: post.incidentId, kind: 'announce_opened', ts: { not: null } }, select: { ts: true } });
    return { text, blocks: [section(text)], inThread: false, channel: post.data.channel, ...(announced?.ts ? { threadTs: announced.ts } : {}) };
  }
  const subscribers = await subscribersOf(deps, post.incidentId);
  const where = update.incident.channelId ? ` · <#${update.incident.channelId}>` : '';
  const direct = subscribers.length > 0 ? { to: subscribers, text: truncate(`${text}\n_${escapeMrkdwn(update.incident.title.slice(0, 150))}${where} · \`/incident unsubscribe ${reference}\` to stop these._`, 3_900) } : undefined;
  return { text, blocks: [section(text)], inThread: false, ...(direct ? { direct } : {}) };
}

/** The resolution, by direct message to subscribers (the channel has its own post). */
export async function resolutionForSubscribers(deps: Pick<Deps, 'db'>, incidentId: string, channelText: string): Promise<{ to: string[]; text: string } | undefined> {
  const subscribers = await subscribersOf(deps, incidentId);
  if (subscribers.length === 0) return undefined;
  const incident = await deps.db.incident.findUnique({ where: { id: incidentId }, select: { number: true, title: true, channelId: true } });
  if (!incident) return undefined;
  return { text: `*${incidentReference(incident)}* ${escapeMrkdwn(incident.title.slice(0, 150))}${incident.channelId ? ` · <#${incident.channelId}>` : ''}\n${channelText}`, to: subscribers };
}
