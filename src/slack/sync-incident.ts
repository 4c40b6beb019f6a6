import type { ChannelPost, Incident } from '../db/client.js';
import type { AlertsChangedPost } from '../incidents/alert-change.js';
import type { Deps } from '../deps.js';
import { recordEvents } from '../incidents/timeline.js';
import { createIncidentChannel } from './create-incident-channel.js';
import { renderChannelPost } from './render/channel-post.js';
import { inviteLevel, messageLevelDirectly } from './deliver-escalation.js';
import { renderIncidentMessage } from './render/incident-message.js';
import { renderTopic } from './render/topic.js';
import { slackErrorCode } from './web-client.js';

/**
 * How long an incident's Slack sync lease lasts without renewal. The holder renews it on a
 * heartbeat while it works (paced waits included), so a live worker is never overtaken into
 * posting a message twice, and a crashed one holds up the channel for at most this long.
 */
const LEASE_MS = 15_000;
const HEARTBEAT_MS = 5_000;
const MAX_ROUNDS = 5;

type SyncDeps = Pick<Deps, 'db' | 'slack' | 'config' | 'runbooks' | 'log' | 'metrics'>;

/**
 * Brings an incident's Slack channel up to date with Postgres: creates the channel, posts or
 * updates the incident message, and posts owed channel messages in order. One worker at a time
 * holds a lease per incident; it re-checks after releasing it, so work requested while it held
 * the lease is never left behind. Slack errors propagate, and the job is retried with backoff.
 */
export async function syncIncident(deps: SyncDeps, incidentId: string): Promise<void> {
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const incident = await takeLease(deps, incidentId);
    if (!incident) return;
    const heartbeat = setInterval(() => void renewLease(deps, incidentId).catch(() => undefined), HEARTBEAT_MS);
    try {
      await syncOnce(deps, incident);
    } catch (error) {
      deps.metrics.slackApiErrors.inc({ method: 'sync', error: slackErrorCode(error) ?? 'request_failed' });
      throw error;
    } finally {
      clearInterval(heartbeat);
      await deps.db.incident.update({ where: { id: incidentId }, data: { slackLeaseUntil: null } });
    }
    if (!(await hasPendingWork(deps, incidentId))) return;
  }
}

async function takeLease(deps: SyncDeps, incidentId: string): Promise<Incident | undefined> {
  const rows = await deps.db.$queryRaw<{ id: string }[]>`
    UPDATE incidents SET slack_lease_until = now() + make_interval(secs => ${LEASE_MS / 1000})
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

async function renewLease(deps: SyncDeps, incidentId: string): Promise<void> {
  await deps.db.$executeRaw`UPDATE incidents SET slack_lease_until = now() + make_interval(secs => ${LEASE_MS / 1000}) WHERE id = ${incidentId}::uuid`;
}

async function hasPendingWork(deps: SyncDeps, incidentId: string): Promise<boolean> {
  const incident = await deps.db.incident.findUnique({ where: { id: incidentId }, select: { channelId: true, messageTs: true, messageVersion: true, messageSynced: true } });
  if (!incident) return false;
  if (!incident.channelId || !incident.messageTs || incident.messageSynced < incident.messageVersion) return true;
  return (await deps.db.channelPost.count({ where: { incidentId, postedAt: null } })) > 0;
}

async function syncOnce(deps: SyncDeps, incident: Incident): Promise<void> {
  const log = deps.log.child({ incidentId: incident.id });
  const channelId = incident.channelId ?? (await openChannel(deps, incident));
  const version = incident.messageVersion;
  const message = await renderCurrent(deps, incident);
  let messageTs = incident.messageTs;
  if (!messageTs) {
    const posted = await deps.slack.chat.postMessage({ channel: channelId, text: message.text, blocks: message.blocks, unfurl_links: false });
    const ts = posted.ts as string;
    messageTs = ts;
    for (const page of message.overflow) {
      await renewLease(deps, incident.id);
      await deps.slack.chat.postMessage({ channel: channelId, thread_ts: ts, text: 'Runbook (continued)', blocks: page, unfurl_links: false });
    }
    await deps.db.$transaction(async (tx) => {
      await tx.incident.update({ where: { id: incident.id }, data: { messageTs: ts, messageSynced: version } });
      await recordEvents(tx, [
        { incidentId: incident.id, type: 'slack.message_posted', actor: 'bot', source: 'worker', data: { channelId, ts } },
        ...(incident.runbookId ? [{ incidentId: incident.id, type: 'runbook.posted' as const, actor: 'bot', source: 'worker' as const, data: { runbookId: incident.runbookId, channelId, ts } }] : []),
      ]);
    });
    log.info({ channelId, ts }, 'incident message posted');
  } else if (incident.messageSynced < version) {
    await renewLease(deps, incident.id);
    await deps.slack.chat.update({ channel: channelId, ts: messageTs, text: message.text, blocks: message.blocks });
    await deps.db.incident.update({ where: { id: incident.id }, data: { messageSynced: version } });
  }
  await syncTopic(deps, incident.id, channelId);
  await postOwedMessages(deps, incident.id, channelId, messageTs);
}

/** Sets the channel topic when status or severity changed it (conversations.setTopic is Tier 2: once per change). */
async function syncTopic(deps: SyncDeps, incidentId: string, channelId: string): Promise<void> {
  const current = await deps.db.incident.findUnique({ where: { id: incidentId } });
  if (!current) return;
  const topic = renderTopic(current);
  if (current.topic === topic) return;
  await deps.slack.conversations.setTopic({ channel: channelId, topic });
  await deps.db.incident.update({ where: { id: incidentId }, data: { topic } });
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
      const result = await deps.slack.chat.postMessage({
        channel: rendered.channel ?? channelId,
        text: rendered.text,
        blocks: rendered.blocks,
        unfurl_links: false,
        ...(rendered.inThread ? { thread_ts: messageTs } : {}),
      });
      ts = result.ts ?? null;
      for (const page of rendered.overflow ?? []) {
        await deps.slack.chat.postMessage({ channel: channelId, thread_ts: rendered.inThread ? messageTs : (ts as string), text: `${rendered.text} (continued)`, blocks: page, unfurl_links: false });
      }
    }
    if (escalation) await messageLevelDirectly(deps, escalation.incident, channelId, escalation);
    await deps.db.channelPost.updateMany({ where: { id: { in: [post.id, ...merged] } }, data: { postedAt: new Date(), ts } });
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
