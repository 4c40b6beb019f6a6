import type { KnownBlock } from '@slack/types';
import type { Deps } from '../../deps.js';
import type { ParsedChannelPost } from '../../record/channel-post.js';
import { renderActionResult, renderActionStarted } from './action-posts.js';
import { renderAlertsChanged } from './alerts-changed.js';
import { renderActionButtons } from './action-buttons.js';
import { LIMITS, paginate, section, truncate } from './block-kit.js';
import { escapeMrkdwn } from './mrkdwn.js';
import { escalationText } from '../deliver-escalation.js';
import { renderAnnouncement } from './announcement.js';
import { incidentReference } from '../../record/incident-reference.js';
import { renderRunbook } from './incident-message.js';
import { ownerMention, slackDate } from './review-summary.js';
import { renderCommsPost, resolutionForSubscribers } from '../comms/render-comms-post.js';
import type { RenderedPost } from './rendered-post.js';

type ReminderPost = Extract<ParsedChannelPost, { kind: 'review_reminder' }>;

/** Renders an owed channel post from current state; undefined when there is nothing left to say. */
export async function renderChannelPost(deps: Pick<Deps, 'db' | 'runbooks' | 'config'>, post: ParsedChannelPost): Promise<RenderedPost | undefined> {
  switch (post.kind) {
    case 'alerts_changed':
      return { ...renderAlertsChanged(post.data), inThread: false };
    case 'action_started':
    case 'action_result': {
      const run = await deps.db.actionRun.findUnique({ where: { id: post.data.runId } });
      if (!run) return undefined;
      return { ...(post.kind === 'action_started' ? renderActionStarted(run) : renderActionResult(run)), inThread: true };
    }
    case 'runbook': {
      const data = post.data;
      const runbook = deps.runbooks.find((candidate) => candidate.id === data.runbookId);
      if (!runbook) return undefined;
      const [first = [], ...overflow] = paginate([...renderActionButtons(post.incidentId, runbook.actions), ...renderRunbook(runbook)]);
      return { text: `📖 Runbook: ${escapeMrkdwn(runbook.title)}${data.requestedBy ? ` (posted for <@${data.requestedBy}>)` : ''}`, blocks: first, inThread: false, overflow };
    }
    case 'escalation': {
      const step = post.data.step;
      const escalation = await deps.db.escalation.findUnique({ where: { incidentId_step: { incidentId: post.incidentId, step } }, include: { incident: true } });
      if (!escalation) return undefined;
      const text = escalationText(escalation, escalation.incident);
      return { text, blocks: [section(text)], inThread: false };
    }
    case 'acknowledged': {
      const data = post.data;
      const text = `✅ Acknowledged by <@${data.by}>${data.level ? ` at L${data.level}` : ''}: escalation stopped.`;
      return { text, blocks: [section(text)], inThread: false };
    }
    case 'declared': {
      const by = post.data.by;
      const text = `📣 Declared by <@${by}>.`;
      return { text, blocks: [section(text)], inThread: false };
    }
    case 'reopened': {
      const text = '🔁 Reopened: an alert of this incident fired again within the reopen window.';
      return { text, blocks: [section(text)], inThread: false };
    }
    case 'announce_opened':
    case 'announce_resolved': {
      const channel = post.data.channel;
      const incident = await deps.db.incident.findUnique({ where: { id: post.incidentId } });
      if (!incident) return undefined;
      const text = renderAnnouncement(incident, post.kind === 'announce_opened' ? 'opened' : 'resolved');
      return { text, blocks: [section(text)], inThread: false, channel };
    }
    case 'resolved': {
      const data = post.data;
      const by = /^[UW]/.test(data.by) ? `<@${data.by}>` : data.by;
      const text = `🟢 Resolved by ${by}.${data.summary ? ` ${escapeMrkdwn(data.summary)}` : ''}`;
      const direct = await resolutionForSubscribers(deps, post.incidentId, text);
      return { text, blocks: [section(text)], inThread: false, ...(direct ? { direct } : {}) };
    }
    case 'review_reminder':
      return renderReviewReminder(deps, post.incidentId, post.data);
    case 'review_done': {
      const by = post.data.by;
      const text = `✅ <@${by}> marked the post-incident review done: reminders stop.`;
      return { text, blocks: [section(text)], inThread: false };
    }
    case 'followup_added': {
      const data = post.data;
      const text = truncate(`📌 Follow-up for ${ownerMention(data.owner)}, due ${escapeMrkdwn(data.dueOn)} (added by <@${data.by}>): ${escapeMrkdwn(data.text)}`, LIMITS.sectionText);
      return { text, blocks: [section(text)], inThread: false };
    }
    case 'status_update':
    case 'status_update_announce':
    case 'update_reminder':
    case 'update_snoozed':
    case 'role_assigned':
      return renderCommsPost(deps, post);
    default: {
      const unhandled: never = post;
      return unhandled;
    }
  }
}

/** "Due soon" or "overdue": to the channel, mentioning the owner, and to the owner directly. */
async function renderReviewReminder(deps: Pick<Deps, 'db'>, incidentId: string, data: ReminderPost['data']): Promise<RenderedPost | undefined> {
  const review = await deps.db.review.findUnique({ where: { incidentId }, include: { incident: { select: { number: true, title: true, channelId: true, status: true } } } });
  // Done, reopened or due anew since the reminder was planned: it no longer says anything true.
  if (!review || review.state === 'done' || review.incident.status !== 'resolved' || review.dueAt.toISOString() !== data.dueAt) return undefined;
  const reference = incidentReference(review.incident);
  const due = slackDate(review.dueAt);
  const what = data.kind === 'due_soon' ? `⏰ The post-incident review of *${reference}* is due ${due}.` : `⚠️ The post-incident review of *${reference}* is overdue: it was due ${due}.`;
  const text = `${what} Owner: ${ownerMention(review.owner)}. \`/incident review\` shows it; *Edit review* or \`/incident review done\` when it is complete.`;
  const direct = review.owner
    ? { to: [review.owner], text: `${what} You own it: ${escapeMrkdwn(review.incident.title.slice(0, 200))}${review.incident.channelId ? ` · <#${review.incident.channelId}>` : ''}` }
    : undefined;
  return { text, blocks: [section(text)], inThread: false, ...(direct ? { direct } : {}) };
}
