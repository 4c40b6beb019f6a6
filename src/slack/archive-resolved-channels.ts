import type { Deps } from '../deps.js';
import { timelineRow } from '../record/timeline.js';
import { slackErrorCode } from './web-client.js';

/** conversations.archive is Tier 2 (about 20 a minute): a few per pass. */
const ARCHIVE_BATCH = 5;

/** Archives resolved incidents' channels once `incidents.archive_after` has passed (off when unset). */
export async function archiveResolvedChannels(deps: Pick<Deps, 'db' | 'config' | 'slack' | 'log' | 'clock'>): Promise<number> {
  const after = deps.config.incidents.archive_after;
  if (after === undefined) return 0;
  // Not while the review is a draft (its buttons and reminders point to the channel), nor before
  // Slack shows everything owed to the channel (the "done" message, the final file).
  const due = await deps.db.$queryRaw<{ id: string; channelId: string }[]>`
    SELECT i.id, i.channel_id AS "channelId" FROM incidents i
    LEFT JOIN reviews r ON r.incident_id = i.id
    WHERE i.status = 'resolved' AND i.archived_at IS NULL AND i.channel_id IS NOT NULL
      AND i.resolved_at < ${new Date(deps.clock.now().getTime() - after)}
      AND (i.slack_lease_until IS NULL OR i.slack_lease_until < now())
      AND (r.id IS NULL OR (r.state = 'done' AND r.posted_revision >= r.revision AND r.summary_revision >= r.posted_revision))
      AND NOT EXISTS (SELECT 1 FROM channel_posts p WHERE p.incident_id = i.id AND p.posted_at IS NULL)
    ORDER BY i.resolved_at
    LIMIT ${ARCHIVE_BATCH}`;
  for (const incident of due) {
    try {
      await deps.slack.conversations.archive({ channel: incident.channelId });
    } catch (error) {
      if (slackErrorCode(error) !== 'already_archived') throw error;
    }
    await deps.db.$transaction([
      deps.db.incident.update({ where: { id: incident.id }, data: { archivedAt: deps.clock.now() } }),
      deps.db.timelineEvent.create({ data: timelineRow({ incidentId: incident.id, type: 'slack.channel_archived', actor: 'bot', source: 'worker', data: { channelId: incident.channelId } }) }),
    ]);
  }
  return due.length;
}
