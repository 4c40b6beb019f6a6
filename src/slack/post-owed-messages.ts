import type { KnownBlock } from '@slack/types';
import { inviteLevel, messageDirectly, messageLevelDirectly } from './deliver-escalation.js';
import { mergeAlertChanges } from './merge-alert-changes.js';
import { findMarked, postOnce, type PostMark } from './post-once.js';
import { readOwedPosts } from './read-owed-posts.js';
import { renderChannelPost } from './render/channel-post.js';
import { renewLease, type SyncDeps } from './sync-lease.js';
import { refusedForGood, slackErrorCode } from './web-client.js';

/** Posts the incident's owed channel messages in order, each marked sent before anything after it can fail. */
export async function postOwedMessages(deps: SyncDeps, incidentId: string, channelId: string, messageTs: string): Promise<void> {
  const posts = mergeAlertChanges(await readOwedPosts(deps, incidentId));
  for (const { post, merged } of posts) {
    await renewLease(deps, incidentId);
    const escalation = post.kind === 'escalation' ? await deps.db.escalation.findUnique({ where: { incidentId_step: { incidentId, step: post.data.step } }, include: { incident: true } }) : null;
    if (escalation) await inviteLevel(deps, channelId, escalation);
    if (post.kind === 'declared') await inviteDeclarer(deps, channelId, post.data.by);
    const rendered = await renderChannelPost(deps, post);
    let ts: string | null = null;
    if (rendered) {
      const target = rendered.channel ?? channelId;
      const threadTs = rendered.threadTs ?? (rendered.inThread ? messageTs : undefined);
      const mark: PostMark = { eventType: 'incident_post', payload: { incident_id: incidentId, post_id: String(post.id) } };
      try {
        // An earlier attempt may have posted it and died (or lost the answer) before marking it sent.
        ts = post.attemptedAt ? ((await findMarked(deps.slack, target, mark, threadTs)) ?? null) : null;
        if (!ts) {
          await deps.db.channelPost.update({ where: { id: post.id }, data: { attemptedAt: deps.clock.now() } });
          ts = await postOnce(deps, { channel: target, text: rendered.text, blocks: rendered.blocks, unfurl_links: false, ...(threadTs ? { thread_ts: threadTs } : {}) }, mark, () => renewLease(deps, incidentId));
        }
      } catch (error) {
        // A post Slack will never accept (an announcement channel the bot is not in, an archived
        // channel) is given up, so that it cannot hold back every later post of the incident.
        const code = refusedForGood(error);
        if (!code) throw error;
        const fix = code === 'not_in_channel' ? `: invite the bot to channel ${rendered.channel ?? channelId} (/invite @<the bot> there)` : '';
        deps.log.error({ incidentId, kind: post.kind, error: code }, `Slack refuses this post for good; skipping it${fix}`);
      }
    }
    // Marked sent before anything that follows can fail: a retry must never post it again.
    await deps.db.channelPost.updateMany({ where: { id: { in: [post.id, ...merged] } }, data: { postedAt: deps.clock.now(), ts } });
    if (rendered && ts) await postOverflow(deps, incidentId, rendered.channel ?? channelId, rendered.inThread ? messageTs : ts, `${rendered.text} (continued)`, rendered.overflow ?? []);
    if (escalation && ts) await messageLevelDirectly(deps, escalation.incident, channelId, escalation);
    // Direct messages go out even when the channel refused its post (an archived channel).
    if (rendered?.direct) await messageDirectly(deps, incidentId, rendered.direct);
  }
}

async function inviteDeclarer(deps: SyncDeps, channelId: string, userId: string | undefined): Promise<void> {
  if (!userId) return;
  await deps.slack.conversations.invite({ channel: channelId, users: userId }).catch((error: unknown) => {
    if (slackErrorCode(error) !== 'already_in_channel') deps.log.warn({ channelId, error: slackErrorCode(error) }, 'could not invite the person who declared the incident');
  });
}

/** Thread pages after a message that is already recorded: best effort, never a reason to post the message again. */
export async function postOverflow(deps: SyncDeps, incidentId: string, channelId: string, threadTs: string, text: string, pages: readonly KnownBlock[][]): Promise<void> {
  for (const page of pages) {
    await renewLease(deps, incidentId);
    try {
      await deps.slack.chat.postMessage({ channel: channelId, thread_ts: threadTs, text, blocks: page, unfurl_links: false });
    } catch (error) {
      deps.log.error({ incidentId, error: slackErrorCode(error) ?? String(error) }, 'could not post a continuation page; the rest of the thread is incomplete');
      return;
    }
  }
}
