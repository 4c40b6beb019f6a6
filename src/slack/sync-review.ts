import type { Deps } from '../deps.js';
import { currentDraft } from '../review/current-draft.js';
import { renderReviewSummary } from './render/review-summary.js';
import { isRefusedForGood, slackErrorCode } from './web-client.js';

type ReviewSyncDeps = Pick<Deps, 'db' | 'slack' | 'runbooks' | 'log'>;

/** What triggered a new file version, in its comment. */
function versionComment(revision: number, state: string): string {
  if (state === 'done') return `Final version (revision ${revision}).`;
  return revision === 1 ? 'Draft of the post-incident review (Markdown).' : `Draft updated (revision ${revision}).`;
}

/**
 * Brings the incident's review up to date in Slack: the summary message (posted once, updated
 * after) and, under it, the draft as a Markdown file, uploaded again whenever the draft changed.
 * Called by the Slack sync while it holds the incident's lease; `beforeCall` renews that lease.
 * A crash between an upload and saving it uploads that revision again (a repeated file in the
 * thread), never loses one.
 */
export async function syncReview(deps: ReviewSyncDeps, incidentId: string, channelId: string, beforeCall: () => Promise<void>): Promise<void> {
  try {
    await postLatestRevision(deps, incidentId, channelId, beforeCall);
  } catch (error) {
    // A channel that will never take it (archived since the incident resolved): the revision stays
    // in Postgres and the API, and is not retried forever.
    // A missing files:write (an app installed before reviews existed) is also given up: retrying cannot grant it.
    if (!isRefusedForGood(error) && slackErrorCode(error) !== 'missing_scope') throw error;
    const review = await deps.db.review.findUnique({ where: { incidentId }, select: { revision: true } });
    if (review) await deps.db.review.updateMany({ where: { incidentId, revision: review.revision }, data: { postedRevision: review.revision } });
    deps.log.error({ incidentId, error: slackErrorCode(error) }, 'Slack refuses the review in the incident channel for good; it stays available from the API');
  }
}

async function postLatestRevision(deps: ReviewSyncDeps, incidentId: string, channelId: string, beforeCall: () => Promise<void>): Promise<void> {
  const pending = await deps.db.review.findUnique({ where: { incidentId }, select: { revision: true, postedRevision: true } });
  if (!pending || pending.postedRevision >= pending.revision) return;
  const [draft, incident, followUps] = await Promise.all([
    currentDraft(deps, incidentId),
    deps.db.incident.findUnique({ where: { id: incidentId }, select: { id: true, number: true, title: true } }),
    deps.db.followUp.count({ where: { incidentId } }),
  ]);
  if (!draft || !incident) return;
  const { review, markdown } = draft;
  let summaryTs = review.summaryTs;
  if (!summaryTs) {
    await beforeCall();
    const summary = renderReviewSummary(incident, review, followUps);
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
  const saved = await deps.db.review.update({
    where: { id: review.id },
    data: { postedRevision: review.revision, fileId: file?.id ?? null, filePermalink: file?.permalink ?? null },
  });
  deps.log.info({ incidentId, revision: review.revision, fileId: file?.id }, 'review file posted');
  await beforeCall();
  const summary = renderReviewSummary(incident, saved, followUps);
  try {
    await deps.slack.chat.update({ channel: channelId, ts: summaryTs, text: summary.text, blocks: summary.blocks });
  } catch (error) {
    const code = slackErrorCode(error);
    if (code !== 'message_not_found' && code !== 'cant_update_message') throw error;
    // Someone deleted the summary: the next revision posts a new one.
    await deps.db.review.update({ where: { id: review.id }, data: { summaryTs: null } });
    deps.log.warn({ incidentId, error: code }, 'the review summary message is gone; the next revision posts a new one');
  }
}
