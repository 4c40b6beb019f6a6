import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Incident } from '../db/client.js';
import { openIncidentChannel } from './open-incident-channel.js';
import { postIncidentMessage } from './post-incident-message.js';
import { renderIncidentMessage } from './render/incident-message.js';
import { renderTopic } from './render/topic.js';
import { loadCommsSummary } from '../comms/comms-summary.js';
import { renderCommsSection } from './comms/comms-section.js';
import { reviewNeedsSync, syncReview } from './sync-review.js';
import { postOverflow, postOwedMessages } from './post-owed-messages.js';
import { HEARTBEAT_MS, leaseLeft, releaseLease, renewLease, takeLease, type Lease, type SyncDeps } from './sync-lease.js';
import { refusedForGood, slackErrorCode } from './web-client.js';
import { childLog } from '../log.js';

const MAX_ROUNDS = 5;

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
    } finally {
      clearInterval(heartbeat);
      await releaseLease(deps, incidentId, lease.owner);
    }
    if (!(await hasPendingWork(deps, incidentId))) return undefined;
  }
  return undefined;
}

const pendingWork = z.object({
  channelId: z.string().nullable(),
  messageTs: z.string().nullable(),
  messageVersion: z.number(),
  messageSynced: z.number(),
  owedPosts: z.boolean(),
  review: z.object({ revision: z.number(), postedRevision: z.number(), summaryRevision: z.number() }).nullable(),
});

/** Whether Slack is behind Postgres for this incident: channel, message, owed posts or review. One statement. */
async function hasPendingWork(deps: SyncDeps, incidentId: string): Promise<boolean> {
  const rows = z.array(pendingWork).parse(
    await deps.db.$queryRaw`
      SELECT i.channel_id AS "channelId", i.message_ts AS "messageTs", i.message_version AS "messageVersion", i.message_synced AS "messageSynced",
             EXISTS (SELECT 1 FROM channel_posts p WHERE p.incident_id = i.id AND p.posted_at IS NULL) AS "owedPosts",
             CASE WHEN r.id IS NULL THEN NULL ELSE json_build_object('revision', r.revision, 'postedRevision', r.posted_revision, 'summaryRevision', r.summary_revision) END AS review
      FROM incidents i LEFT JOIN reviews r ON r.incident_id = i.id
      WHERE i.id = ${incidentId}::uuid`,
  );
  const incident = rows[0];
  if (!incident) return false;
  if (!incident.channelId || !incident.messageTs || incident.messageSynced < incident.messageVersion) return true;
  return incident.owedPosts || (incident.review !== null && reviewNeedsSync(incident.review));
}

async function syncOnce(deps: SyncDeps, incident: Incident): Promise<void> {
  const log = childLog(deps.log, { incidentId: incident.id });
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
  let fresh: Incident | null = null;
  if (synced < version) {
    await renew();
    const ts = messageTs;
    await givingUpOnRefusal(deps, incident.id, 'chat.update', () => deps.slack.chat.update({ channel: channelId, ts, text: message.text, blocks: message.blocks }));
    fresh = await deps.db.incident.update({ where: { id: incident.id }, data: { messageSynced: version } });
  }
  await syncTopic(deps, fresh ?? (await deps.db.incident.findUnique({ where: { id: incident.id } })), channelId);
  await postOwedMessages(deps, incident.id, channelId, messageTs);
  await syncReview({ ...deps, log }, incident.id, channelId, renew);
}

/**
 * Sets the channel topic when status or severity changed it (conversations.setTopic is Tier 2: once
 * per change). `current` is the incident as Postgres has it now, not as the sync began.
 */
async function syncTopic(deps: SyncDeps, current: Incident | null, channelId: string): Promise<void> {
  if (!current) return;
  const topic = renderTopic(current);
  if (current.topic === topic) return;
  await givingUpOnRefusal(deps, current.id, 'conversations.setTopic', () => deps.slack.conversations.setTopic({ channel: channelId, topic }));
  await deps.db.incident.update({ where: { id: current.id }, data: { topic } });
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

async function renderCurrent(deps: SyncDeps, incident: Incident) {
  const counts = await deps.db.alert.groupBy({ by: ['status'], where: { incidentId: incident.id }, _count: { _all: true } });
  const count = (status: string) => counts.find((row) => row.status === status)?._count._all ?? 0;
  const runbook = deps.runbooks.find((candidate) => candidate.id === incident.runbookId);
  const groups = 1 + (await deps.db.incidentKey.count({ where: { incidentId: incident.id } }));
  const comms = renderCommsSection(await loadCommsSummary(deps, incident.id), incident.status === 'resolved');
  return renderIncidentMessage(incident, { firing: count('firing'), resolved: count('resolved'), groups }, runbook, deps.config.incidents.key_labels, comms);
}

