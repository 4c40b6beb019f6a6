import { randomUUID } from 'node:crypto';
import type { KnownBlock } from '@slack/types';
import type { ChannelPost, Incident } from '../db/client.js';
import type { AlertsChangedPost } from '../incidents/alert-change.js';
import type { Deps } from '../deps.js';
import { recordEvents } from '../incidents/timeline.js';
import { createIncidentChannel } from './create-incident-channel.js';
import { renderChannelPost } from './render/channel-post.js';
import { inviteLevel, messageDirectly, messageLevelDirectly } from './deliver-escalation.js';
import { renderIncidentMessage } from './render/incident-message.js';
import { renderTopic } from './render/topic.js';
import { reviewNeedsSync, syncReview } from './sync-review.js';
import { refusedForGood, slackErrorCode } from './web-client.js';
import { childLog } from '../log.js';

/**
 * How long an incident's Slack sync lease lasts without renewal. The holder renews it on a
 * heartbeat while it works (paced waits included), so a live worker is never overtaken into
 * posting a message twice, and a crashed one holds up the channel for at most this long.
 */
const LEASE_MS = 15_000;
const HEARTBEAT_MS = 5_000;
const MAX_ROUNDS = 5;

/** The lease a sync holds: its owner token, and whether a renewal found it taken over. */
interface Lease {
  owner: string;
  lost: boolean;
}

type SyncDeps = Pick<Deps, 'db' | 'slack' | 'config' | 'runbooks' | 'log' | 'metrics'> & { lease?: Lease };

/** The sync lost its lease (it could not renew it in time): it stops before its next Slack call. */
class LeaseLostError extends Error {
  override name = 'LeaseLostError';
}

/**
 * Brings an incident's Slack channel up to date with Postgres: creates the channel, posts or
 * updates the incident message, and posts owed channel messages in order. One worker at a time
 * holds a lease per incident; it re-checks after releasing it, so work requested while it held
 * the lease is never left behind. Slack errors propagate, and the job is retried with backoff.
 */
export async function syncIncident(deps: SyncDeps, incidentId: string): Promise<void> {
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const lease: Lease = { owner: randomUUID(), lost: false };
    const incident = await takeLease(deps, incidentId, lease.owner);
    if (!incident) return;
    const held = { ...deps, lease };
    const heartbeat = setInterval(() => void renewLease(held, incidentId).catch(() => undefined), HEARTBEAT_MS);
    try {
      await syncOnce(held, incident);
    } finally {
      clearInterval(heartbeat);
      await deps.db.incident.updateMany({ where: { id: incidentId, slackLeaseOwner: lease.owner }, data: { slackLeaseUntil: null, slackLeaseOwner: null } });
    }
    if (!(await hasPendingWork(deps, incidentId))) return;
  }
}

async function takeLease(deps: SyncDeps, incidentId: string, owner: string): Promise<Incident | undefined> {
  const rows = await deps.db.$queryRaw<{ id: string }[]>`
    UPDATE incidents SET slack_lease_until = now() + make_interval(secs => ${LEASE_MS / 1000}), slack_lease_owner = ${owner}::uuid
    WHERE id = ${incidentId}::uuid AND (slack_lease_until IS NULL OR slack_lease_until < now())
    RETURNING id`;
  if (rows.length === 0) return undefined;
  return (await deps.db.incident.findUnique({ where: { id: incidentId } })) ?? undefined;
}

async function inviteDeclarer(deps: SyncDeps, channelId: string, userId: string | undefined): Promise<void> {
  if (!userId) return;
  await deps.slack.conversations.invite({ channel: channelId, users: userId }).catch((error: unknown) => {
    if (slackErrorCode(error) !== 'already_in_channel') deps.log.warn({ channelId, error: slackErrorCode(error) }, 'could not invite the person who declared the incident');
  });
}

/** Renews the lease if this sync still holds it; throws before a Slack call once it is lost. */
async function renewLease(deps: SyncDeps, incidentId: string): Promise<void> {
  const lease = deps.lease;
  if (!lease) return;
  if (lease.lost) throw new LeaseLostError(`lost the Slack lease of incident ${incidentId}`);
  const renewed = await deps.db.$executeRaw`UPDATE incidents SET slack_lease_until = now() + make_interval(secs => ${LEASE_MS / 1000}) WHERE id = ${incidentId}::uuid AND slack_lease_owner = ${lease.owner}::uuid`;
  if (renewed === 0) {
    lease.lost = true;
    throw new LeaseLostError(`lost the Slack lease of incident ${incidentId}`);
  }
}

async function hasPendingWork(deps: SyncDeps, incidentId: string): Promise<boolean> {
  const incident = await deps.db.incident.findUnique({ where: { id: incidentId }, select: { channelId: true, messageTs: true, messageVersion: true, messageSynced: true } });
  if (!incident) return false;
  if (!incident.channelId || !incident.messageTs || incident.messageSynced < incident.messageVersion) return true;
  if ((await deps.db.channelPost.count({ where: { incidentId, postedAt: null } })) > 0) return true;
  const review = await deps.db.review.findUnique({ where: { incidentId }, select: { revision: true, postedRevision: true, summaryRevision: true } });
  return review !== null && reviewNeedsSync(review);
}

async function syncOnce(deps: SyncDeps, incident: Incident): Promise<void> {
  const log = childLog(deps.log, { incidentId: incident.id });
  const channelId = incident.channelId ?? (await openChannel(deps, incident));
  const version = incident.messageVersion;
  const message = await renderCurrent(deps, incident);
  let messageTs = incident.messageTs;
  if (!messageTs) {
    const posted = await deps.slack.chat.postMessage({ channel: channelId, text: message.text, blocks: message.blocks, unfurl_links: false });
    const ts = posted.ts as string;
    messageTs = ts;
    // Saved before anything else can fail: a retry must never post a second incident message.
    await deps.db.$transaction(async (tx) => {
      await tx.incident.update({ where: { id: incident.id }, data: { messageTs: ts, messageSynced: version } });
      await recordEvents(tx, [
        { incidentId: incident.id, type: 'slack.message_posted', actor: 'bot', source: 'worker', data: { channelId, ts } },
        ...(incident.runbookId ? [{ incidentId: incident.id, type: 'runbook.posted' as const, actor: 'bot', source: 'worker' as const, data: { runbookId: incident.runbookId, channelId, ts } }] : []),
      ]);
    });
    log.info({ channelId, ts }, 'incident message posted');
    await postOverflow(deps, incident.id, channelId, ts, 'Runbook (continued)', message.overflow);
  } else if (incident.messageSynced < version) {
    await renewLease(deps, incident.id);
    const ts = messageTs;
    await givingUpOnRefusal(deps, incident.id, 'chat.update', () => deps.slack.chat.update({ channel: channelId, ts, text: message.text, blocks: message.blocks }));
    await deps.db.incident.update({ where: { id: incident.id }, data: { messageSynced: version } });
  }
  await syncTopic(deps, incident.id, channelId);
  await postOwedMessages(deps, incident.id, channelId, messageTs);
  await syncReview({ ...deps, log }, incident.id, channelId, () => renewLease(deps, incident.id));
}

/** Sets the channel topic when status or severity changed it (conversations.setTopic is Tier 2: once per change). */
async function syncTopic(deps: SyncDeps, incidentId: string, channelId: string): Promise<void> {
  const current = await deps.db.incident.findUnique({ where: { id: incidentId } });
  if (!current) return;
  const topic = renderTopic(current);
  if (current.topic === topic) return;
  await givingUpOnRefusal(deps, incidentId, 'conversations.setTopic', () => deps.slack.conversations.setTopic({ channel: channelId, topic }));
  await deps.db.incident.update({ where: { id: incidentId }, data: { topic } });
}

/** Runs a Slack call whose refusal for good (e.g. an archived channel) is logged and given up, not retried forever. */
async function givingUpOnRefusal(deps: SyncDeps, incidentId: string, method: string, call: () => Promise<unknown>): Promise<void> {
  try {
    await call();
  } catch (error) {
    const code = refusedForGood(error);
    if (!code) throw error;
    deps.log.error({ incidentId, method, error: code }, 'Slack refuses this call for good; giving it up');
  }
}

async function openChannel(deps: SyncDeps, incident: Incident): Promise<string> {
  const channel = await createIncidentChannel(deps.slack, {
    prefix: deps.config.incidents.channel_prefix,
    openedAt: incident.openedAt,
    title: incident.title,
    isPrivate: deps.config.incidents.private_channels,
  });
  await deps.db.$transaction(async (tx) => {
    await tx.incident.update({ where: { id: incident.id }, data: { channelId: channel.id, channelName: channel.name } });
    await recordEvents(tx, [{ incidentId: incident.id, type: 'slack.channel_created', actor: 'bot', source: 'worker', data: { channelId: channel.id, name: channel.name } }]);
  });
  deps.log.info({ incidentId: incident.id, channelId: channel.id, channelName: channel.name }, 'incident channel created');
  const topic = renderTopic(incident);
  await deps.slack.conversations.setTopic({ channel: channel.id, topic });
  await deps.db.incident.update({ where: { id: incident.id }, data: { topic } });
  const invite = deps.config.incidents.invite.filter((id) => !id.startsWith('S'));
  if (invite.length > 0) {
    await deps.slack.conversations.invite({ channel: channel.id, users: invite.join(',') }).catch((error: unknown) => {
      deps.log.warn({ incidentId: incident.id, error: slackErrorCode(error) }, 'could not invite everyone to the incident channel');
    });
  }
  return channel.id;
}

async function renderCurrent(deps: SyncDeps, incident: Incident) {
  const counts = await deps.db.alert.groupBy({ by: ['status'], where: { incidentId: incident.id }, _count: { _all: true } });
  const count = (status: string) => counts.find((row) => row.status === status)?._count._all ?? 0;
  const runbook = deps.runbooks.find((candidate) => candidate.id === incident.runbookId);
  const groups = 1 + (await deps.db.incidentKey.count({ where: { incidentId: incident.id } }));
  return renderIncidentMessage(incident, { firing: count('firing'), resolved: count('resolved'), groups }, runbook, deps.config.incidents.key_labels);
}

async function postOwedMessages(deps: SyncDeps, incidentId: string, channelId: string, messageTs: string): Promise<void> {
  const posts = mergeAlertChanges(await deps.db.channelPost.findMany({ where: { incidentId, postedAt: null }, orderBy: { id: 'asc' } }));
  for (const { post, merged } of posts) {
    await renewLease(deps, incidentId);
    const escalation = post.kind === 'escalation' ? await deps.db.escalation.findUnique({ where: { incidentId_step: { incidentId, step: (post.data as { step: number }).step } }, include: { incident: true } }) : null;
    if (escalation) await inviteLevel(deps, channelId, escalation);
    if (post.kind === 'declared') await inviteDeclarer(deps, channelId, (post.data as { by?: string }).by);
    const rendered = await renderChannelPost(deps, post);
    let ts: string | null = null;
    if (rendered) {
      try {
        const result = await deps.slack.chat.postMessage({
          channel: rendered.channel ?? channelId,
          text: rendered.text,
          blocks: rendered.blocks,
          unfurl_links: false,
          ...(rendered.inThread ? { thread_ts: messageTs } : {}),
        });
        ts = result.ts ?? null;
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
    await deps.db.channelPost.updateMany({ where: { id: { in: [post.id, ...merged] } }, data: { postedAt: new Date(), ts } });
    if (rendered && ts) await postOverflow(deps, incidentId, rendered.channel ?? channelId, rendered.inThread ? messageTs : ts, `${rendered.text} (continued)`, rendered.overflow ?? []);
    if (escalation && ts) await messageLevelDirectly(deps, escalation.incident, channelId, escalation);
    // Direct messages go out even when the channel refused its post (an archived channel).
    if (rendered?.direct) await messageDirectly(deps, incidentId, rendered.direct);
  }
}

/** Thread pages after a message that is already recorded: best effort, never a reason to post the message again. */
async function postOverflow(deps: SyncDeps, incidentId: string, channelId: string, threadTs: string, text: string, pages: readonly KnownBlock[][]): Promise<void> {
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

const MERGE_AT_MOST = 100;

/**
 * Consecutive "alerts changed" posts become one message: in a storm, dozens of alert groups join
 * an incident at once, and chat.postMessage allows about one message a second per channel.
 */
function mergeAlertChanges(posts: ChannelPost[]): { post: ChannelPost; merged: bigint[] }[] {
  const out: { post: ChannelPost; merged: bigint[] }[] = [];
  for (const post of posts) {
    const last = out.at(-1);
    if (post.kind === 'alerts_changed' && last?.post.kind === 'alerts_changed' && last.merged.length < MERGE_AT_MOST) {
      const into = last.post.data as unknown as AlertsChangedPost;
      const add = post.data as unknown as AlertsChangedPost;
      last.post = { ...last.post, data: { firing: [...into.firing, ...add.firing], resolved: [...into.resolved, ...add.resolved] } as unknown as ChannelPost['data'] };
      last.merged.push(post.id);
    } else {
      out.push({ post, merged: [] });
    }
  }
  return out;
}
