import { randomUUID } from 'node:crypto';
import type { KnownBlock } from '@slack/types';
import type { ChannelPost, Incident } from '../db/client.js';
import type { AlertsChangedPost } from '../incidents/alert-change.js';
import type { Deps } from '../deps.js';
import { openIncidentChannel } from './open-incident-channel.js';
import { postIncidentMessage } from './post-incident-message.js';
import { findMarked, postOnce, type PostMark } from './post-once.js';
import { renderChannelPost } from './render/channel-post.js';
import { inviteLevel, messageDirectly, messageLevelDirectly } from './deliver-escalation.js';
import { renderIncidentMessage } from './render/incident-message.js';
import { renderTopic } from './render/topic.js';
import { reviewNeedsSync, syncReview } from './sync-review.js';
import { refusedForGood, slackErrorCode } from './web-client.js';

/**
 * How long an incident's Slack sync lease lasts without renewal. The holder renews it on a
 * heartbeat while it works (paced waits included), so a live worker is never overtaken into
 * posting a message twice, and a crashed one holds up the channel for at most this long: short,
 * because after a crash the channel is what responders wait for. A holder that misses renewals for
 * this long (an event loop blocked for seconds) stops before its next Slack call.
 */
const LEASE_MS = 8_000;
const HEARTBEAT_MS = 2_000;
const MAX_ROUNDS = 5;

/** The lease a sync holds: its owner token, and whether a renewal found it taken over. */
interface Lease {
  owner: string;
  lost: boolean;
}

type SyncDeps = Pick<Deps, 'db' | 'slack' | 'config' | 'runbooks' | 'log' | 'metrics' | 'clock'> & { lease?: Lease };

/** The sync lost its lease (it could not renew it in time): it stops before its next Slack call. */
class LeaseLostError extends Error {
  override name = 'LeaseLostError';
}

/**
 * Brings an incident's Slack channel up to date with Postgres: creates the channel, posts or
 * updates the incident message, and posts owed channel messages in order. One worker at a time
 * holds a lease per incident; it re-checks after releasing it, so work requested while it held
 * the lease is never left behind. Slack errors propagate, and the job is retried with backoff.
 * When another worker holds the lease, the answer says how long until it runs out: if that worker
 * died, a sync then takes over (a live holder re-checks itself, and the later sync finds nothing).
 */
export async function syncIncident(deps: SyncDeps, incidentId: string): Promise<{ leaseHeldForMs: number } | undefined> {
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const lease: Lease = { owner: randomUUID(), lost: false };
    const incident = await takeLease(deps, incidentId, lease.owner);
    if (incident === 'held') return { leaseHeldForMs: await leaseLeft(deps, incidentId) };
    if (!incident) return undefined;
    const held = { ...deps, lease };
    const heartbeat = setInterval(() => void renewLease(held, incidentId).catch(() => undefined), HEARTBEAT_MS);
    try {
      await syncOnce(held, incident);
    } catch (error) {
      deps.metrics.slackApiErrors.inc({ method: 'sync', error: slackErrorCode(error) ?? 'request_failed' });
      throw error;
    } finally {
      clearInterval(heartbeat);
      await deps.db.incident.updateMany({ where: { id: incidentId, slackLeaseOwner: lease.owner }, data: { slackLeaseUntil: null, slackLeaseOwner: null } });
    }
    if (!(await hasPendingWork(deps, incidentId))) return undefined;
  }
  return undefined;
}

async function takeLease(deps: SyncDeps, incidentId: string, owner: string): Promise<Incident | 'held' | undefined> {
  const rows = await deps.db.$queryRaw<{ id: string }[]>`
    UPDATE incidents SET slack_lease_until = now() + make_interval(secs => ${LEASE_MS / 1000}), slack_lease_owner = ${owner}::uuid
    WHERE id = ${incidentId}::uuid AND (slack_lease_until IS NULL OR slack_lease_until < now())
    RETURNING id`;
  if (rows.length === 0) return (await deps.db.incident.count({ where: { id: incidentId } })) > 0 ? 'held' : undefined;
  return (await deps.db.incident.findUnique({ where: { id: incidentId } })) ?? undefined;
}

/** Milliseconds until the current lease runs out, by the database's clock (the one leases are taken by). */
async function leaseLeft(deps: SyncDeps, incidentId: string): Promise<number> {
  const rows = await deps.db.$queryRaw<{ ms: number | null }[]>`
    SELECT (EXTRACT(EPOCH FROM (slack_lease_until - now())) * 1000)::float8 AS ms FROM incidents WHERE id = ${incidentId}::uuid`;
  return Math.max(0, Math.ceil(rows[0]?.ms ?? 0));
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
  const log = deps.log.child({ incidentId: incident.id });
  const renew = () => renewLease(deps, incident.id);
  const channelId = incident.channelId ?? (await openIncidentChannel(deps, incident, renew));
  const version = incident.messageVersion;
  const message = await renderCurrent(deps, incident);
  let messageTs = incident.messageTs;
  let synced = incident.messageSynced;
  if (!messageTs) {
    const posted = await postIncidentMessage(deps, incident, channelId, message, renew);
    messageTs = posted.ts;
    if (posted.current) synced = version;
    await postOverflow(deps, incident.id, channelId, posted.ts, 'Runbook (continued)', message.overflow);
  }
  if (synced < version) {
    await renew();
    const ts = messageTs;
    await givingUpOnRefusal(deps, incident.id, 'chat.update', () => deps.slack.chat.update({ channel: channelId, ts, text: message.text, blocks: message.blocks }));
    await deps.db.incident.update({ where: { id: incident.id }, data: { messageSynced: version } });
  }
  await syncTopic(deps, incident.id, channelId);
  await postOwedMessages(deps, incident.id, channelId, messageTs);
  await syncReview({ ...deps, log }, incident.id, channelId, renew);
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
    deps.metrics.slackApiErrors.inc({ method, error: code });
    deps.log.error({ incidentId, method, error: code }, 'Slack refuses this call for good; giving it up');
  }
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
      const target = rendered.channel ?? channelId;
      const threadTs = rendered.inThread ? messageTs : undefined;
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
        deps.metrics.slackApiErrors.inc({ method: 'chat.postMessage', error: code });
        deps.log.error({ incidentId, kind: post.kind, error: code }, 'Slack refuses this post for good; skipping it');
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
