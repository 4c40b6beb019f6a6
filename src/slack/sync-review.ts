import type { Deps } from '../deps.js';
import type { Review } from '../db/client.js';
import { currentDraft } from '../review/current-draft.js';
import { renderReviewSummary } from './render/review-summary.js';
import { slackUserNames } from './user-names.js';
import { refusedForGood, slackErrorCode } from './web-client.js';

type ReviewSyncDeps = Pick<Deps, 'db' | 'slack' | 'runbooks' | 'log'>;

/** Whether the review has something Slack does not show yet: a revision to upload, or a summary to update. */
export function reviewNeedsSync(review: Pick<Review, 'revision' | 'postedRevision' | 'summaryRevision'>): boolean {
  return review.postedRevision < review.revision || review.summaryRevision < review.postedRevision;
}

/** What triggered a new file version, in its comment. */
function versionComment(revision: number, state: string): string {
  if (state === 'done') return `Final version (revision ${revision}).`;
  return revision === 1 ? 'Draft of the post-incident review (Markdown).' : `Draft updated (revision ${revision}).`;
}

/**
 * Brings the incident's review up to date in Slack: the summary message (posted once, updated
 * after) and, under it, the draft as a Markdown file, uploaded again whenever the draft changed.
 * Called by the Slack sync while it holds the incident's lease; `beforeCall` renews that lease.
 * A crash between a Slack call and saving what it did repeats the call (a second summary message
 * or a repeated file in the thread); nothing is lost.
 */
export async function syncReview(deps: ReviewSyncDeps, incidentId: string, channelId: string, beforeCall: () => Promise<void>): Promise<void> {
  const pending = await deps.db.review.findUnique({ where: { incidentId }, select: { revision: true, postedRevision: true, summaryRevision: true } });
  if (!pending || !reviewNeedsSync(pending)) return;
  const incident = await deps.db.incident.findUnique({ where: { id: incidentId }, select: { id: true, number: true, title: true } });
  if (!incident) return;
  if (pending.postedRevision < pending.revision) {
    try {
      await postRevision(deps, incident, channelId, beforeCall);
    } catch (error) {
      // A channel that will never take it (archived, or an app without files:write, which no retry
      // can grant): the revision stays in Postgres and the API, and is not retried forever.
      if (!refusedForGood(error) && slackErrorCode(error) !== 'missing_scope') throw error;
      await deps.db.review.updateMany({ where: { incidentId, revision: pending.revision }, data: { postedRevision: pending.revision } });
      deps.log.error({ incidentId, error: slackErrorCode(error) }, 'Slack refuses the review in the incident channel for good; it stays available from the API');
    }
  }
  await updateSummary(deps, incident, channelId, beforeCall);
}

type IncidentRef = { id: string; number: number; title: string };

/** Uploads the current draft into the summary's thread (posting the summary first if there is none). */
async function postRevision(deps: ReviewSyncDeps, incident: IncidentRef, channelId: string, beforeCall: () => Promise<void>): Promise<void> {
  const draft = await currentDraft({ ...deps, names: slackUserNames(deps.slack, deps.log) }, incident.id);
  if (!draft) return;
  const { review, markdown } = draft;
  let summaryTs = review.summaryTs;
  if (!summaryTs) {
    await beforeCall();
    const summary = renderReviewSummary(incident, review, await deps.db.followUp.count({ where: { incidentId: incident.id } }));
    const posted = await deps.slack.chat.postMessage({ channel: channelId, text: summary.text, blocks: summary.blocks, unfurl_links: false });
    summaryTs = posted.ts as string;
    await deps.db.review.update({ where: { id: review.id }, data: { summaryTs } });
  }
  await beforeCall();
  const uploaded = await deps.slack.filesUploadV2({
    channel_id: channelId,
    thread_ts: summaryTs,
    file: Buffer.from(markdown, 'utf8'),
    filename: `INC-${incident.number}-review.md`,
    title: `INC-${incident.number} post-incident review (revision ${review.revision})`,
    initial_comment: versionComment(review.revision, review.state),
    snippet_type: 'markdown',
  });
  const file = uploaded.files[0]?.files?.[0];
  await deps.db.review.update({ where: { id: review.id }, data: { postedRevision: review.revision, fileId: file?.id ?? null, filePermalink: file?.permalink ?? null } });
  deps.log.info({ incidentId: incident.id, revision: review.revision, fileId: file?.id }, 'review file posted');
}

/** Shows the review's state, owner and latest file on its summary message, once per posted revision. */
async function updateSummary(deps: ReviewSyncDeps, incident: IncidentRef, channelId: string, beforeCall: () => Promise<void>): Promise<void> {
  const review = await deps.db.review.findUnique({ where: { incidentId: incident.id } });
  if (!review || review.summaryRevision >= review.postedRevision) return;
  if (!review.summaryTs) {
    await deps.db.review.update({ where: { id: review.id }, data: { summaryRevision: review.postedRevision } });
    return;
  }
  await beforeCall();
  const summary = renderReviewSummary(incident, review, await deps.db.followUp.count({ where: { incidentId: incident.id } }));
  try {
    await deps.slack.chat.update({ channel: channelId, ts: review.summaryTs, text: summary.text, blocks: summary.blocks });
  } catch (error) {
    const code = slackErrorCode(error);
    if (code === 'message_not_found' || code === 'cant_update_message') {
      // Someone deleted the summary: post a new one, with the current revision under it.
      await deps.db.review.update({ where: { id: review.id }, data: { summaryTs: null, postedRevision: 0, summaryRevision: 0 } });
      deps.log.warn({ incidentId: incident.id, error: code }, 'the review summary message is gone; posting it again');
      return;
    }
    if (!refusedForGood(error)) throw error;
    deps.log.error({ incidentId: incident.id, error: code }, 'Slack refuses the review summary update for good; giving it up');
  }
  await deps.db.review.update({ where: { id: review.id }, data: { summaryRevision: review.postedRevision } });
}
