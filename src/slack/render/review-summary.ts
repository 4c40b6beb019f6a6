import type { KnownBlock } from '@slack/types';
import type { Incident, Review } from '../../db/client.js';
import { incidentReference } from '../../record/incident-reference.js';
import { escapeMrkdwn, link } from './mrkdwn.js';
import { mentionAll } from '../escalation-audience.js';

export const REVIEW_CONTROL = { edit: 'review-edit', done: 'review-done' } as const;

/** A Slack date token: readers see it in their own time zone; the fallback is UTC. */
export function slackDate(at: Date, format = '{date_short_pretty} {time}'): string {
  return `<!date^${Math.floor(at.getTime() / 1000)}^${format}|${at.toISOString().slice(0, 16).replace('T', ' ')} UTC>`;
}

export function ownerMention(owner: string | null): string {
  return owner ? mentionAll([owner]) : 'nobody yet';
}

/** The review's state in one line: owner, due time, follow-ups, done or not. */
export function reviewStatusLine(review: Pick<Review, 'state' | 'owner' | 'dueAt' | 'completedAt' | 'completedBy'>, followUps: number): string {
  const state = review.state === 'done' ? `✅ done${review.completedBy ? ` by <@${review.completedBy}>` : ''}${review.completedAt ? ` ${slackDate(review.completedAt)}` : ''}` : '📝 draft';
  return `${state} · owner ${ownerMention(review.owner)} · due ${slackDate(review.dueAt)} · ${followUps} follow-up${followUps === 1 ? '' : 's'}`;
}

/** The message the review file hangs under: what it is, its state, a link to its latest file, and its buttons. */
export function renderReviewSummary(incident: Pick<Incident, 'id' | 'number' | 'title'>, review: Review, followUps: number): { text: string; blocks: KnownBlock[] } {
  const head = `📋 *Post-incident review of ${incidentReference(incident)}* ${escapeMrkdwn(incident.title.slice(0, 200))}`;
  const file = review.filePermalink ? link(review.filePermalink, `the draft (revision ${review.postedRevision})`) : 'the draft (in this thread)';
  const body =
    review.state === 'done'
      ? `Marked done. The last version is ${file}.`
      : `The bot drafted the figures and the timeline: ${file}. Fill in what only people know (impact, root cause, what went well and poorly, action items, tests and alerts to add) with *Edit review*; add action items with \`/incident followup &lt;@owner&gt; &lt;due&gt; &lt;text&gt;\`.`;
  const blocks: KnownBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: `${head}\n${reviewStatusLine(review, followUps)}` } },
    { type: 'section', text: { type: 'mrkdwn', text: body } },
  ];
  if (review.state !== 'done') {
    blocks.push({
      type: 'actions',
      block_id: 'review-controls',
      elements: [
        { type: 'button', action_id: REVIEW_CONTROL.edit, text: { type: 'plain_text', text: '✏️ Edit review', emoji: true }, value: incident.id },
        {
          type: 'button',
          action_id: REVIEW_CONTROL.done,
          text: { type: 'plain_text', text: '✅ Mark done', emoji: true },
          style: 'primary',
          value: incident.id,
          confirm: {
            title: { type: 'plain_text', text: 'Mark the review done?' },
            text: { type: 'mrkdwn', text: 'Reminders stop. Do it once the root cause and the action items are written down.' },
            confirm: { type: 'plain_text', text: 'Mark done' },
            deny: { type: 'plain_text', text: 'Cancel' },
          },
        },
      ],
    });
  }
  return { text: `Post-incident review of ${incidentReference(incident)}: ${review.state}`, blocks };
}
