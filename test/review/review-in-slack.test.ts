import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertmanagerPayload, dbAlert } from '../support/alertmanager.js';
import { startFakeSlack, type FakeSlack, type Message, type StoredFile } from '../support/fake-slack/index.js';
import { startResponseSink } from '../support/response-url-sink.js';
import { blockActionsPayload, buttonsOf, postInteraction, viewSubmissionPayload } from '../support/slack-interactions.js';
import { signedHeaders, slashCommandBody } from '../support/slack-signing.js';
import { SIGNING_SECRET, startTestBot, type TestBot } from '../support/test-bot.js';
import { waitFor } from '../support/wait-for.js';

const API_TOKEN = 'review-api-token';
const L1 = 'UL1ONCALL';
const OUTSIDER = 'UNOBODY01';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const escalation = {
  default: {
    levels: [
      { level: 'L1', notify: [L1], ack_timeout: '1h' },
      { level: 'L2', notify: ['UL2LEAD'], ack_timeout: '1h' },
    ],
  },
};

/** `2026-11-26 08:30:00`: how the review prints a UTC instant. */
const utc = (at: Date) => at.toISOString().slice(0, 19).replace('T', ' ');
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

interface IncidentRef {
  id: string;
  number: number;
  channelId: string;
}

interface PostedFile {
  file: StoredFile;
  markdown: string;
  /** The thread reply that shares the file. */
  share: Message;
}

/** The Slack side of a bot: slash commands with their ephemeral answers, the review's summary message and files. */
function slackUser(bot: () => TestBot, sink: () => Awaited<ReturnType<typeof startResponseSink>>) {
  let sequence = 0;

  /** Runs `/incident <text>` as `userId`; `answer()` waits for the ephemeral reply on response_url. */
  async function command(channelId: string, text: string, userId: string) {
    sequence += 1;
    const path = `/answers/${sequence}`;
    const body = slashCommandBody({ text, channelId, userId, responseUrl: `${sink().url}${path}` });
    const response = await fetch(`${bot().url}/slack/events`, { method: 'POST', headers: signedHeaders(SIGNING_SECRET, body), body });
    expect(response.status).toBe(200);
    return {
      answer: async () => {
        const entry = await waitFor(() => sink().received.find((received) => received.path === path), { what: `answer to /incident ${text}` });
        expect(entry.body).toMatchObject({ response_type: 'ephemeral' });
        return String(entry.body.text);
      },
      /** Whether an answer arrived (for commands that answer nothing when they succeed). */
      answered: () => sink().received.some((received) => received.path === path),
    };
  }

  const summaryMessages = (incident: IncidentRef) => bot().slack.messagesIn(incident.channelId).filter((message) => message.text.startsWith(`Post-incident review of INC-${incident.number}`));

  /** The file of the given revision, once it is the latest one shared in the summary message's thread. */
  function reviewFile(incident: IncidentRef, revision: number): Promise<PostedFile> {
    return waitFor(
      () => {
        const [summary] = summaryMessages(incident);
        if (!summary) return undefined;
        const shares = bot()
          .slack.messagesIn(incident.channelId)
          .filter((message) => message.thread_ts === summary.ts && message.ts !== summary.ts && (message.files ?? []).length > 0);
        const share = shares.at(-1);
        const file = share ? bot().slack.files.get(String(share.files?.[0]?.id)) : undefined;
        if (!share || !file?.data || !file.title.includes(`(revision ${revision})`)) return undefined;
        return { file, markdown: file.data.toString('utf8'), share };
      },
      { what: `review file revision ${revision} of INC-${incident.number}` },
    );
  }

  /** Waits until the summary message links the file (chat.update after the upload). */
  function summaryLinking(incident: IncidentRef, file: StoredFile): Promise<Message> {
    const permalink = `files/${file.user}/${file.id}/${file.name}`;
    return waitFor(() => summaryMessages(incident).find((message) => JSON.stringify(message.blocks ?? []).includes(permalink)), { what: `summary linking ${file.id}` });
  }

  const channelSays = (incident: IncidentRef, prefix: string) =>
    waitFor(() => bot().slack.messagesIn(incident.channelId).find((message) => message.text.startsWith(prefix)), { what: `"${prefix}" in the channel` });

  return { command, summaryMessages, reviewFile, summaryLinking, channelSays };
}

describe('the post-incident review in Slack (alert incident with an escalation policy)', () => {
  let bot: TestBot;
  let fake: FakeSlack;
  let sink: Awaited<ReturnType<typeof startResponseSink>>;
  const slack = slackUser(
    () => bot,
    () => sink,
  );
  const { command, summaryMessages, reviewFile, summaryLinking, channelSays } = slack;
  let incident: IncidentRef;
  let severity: string;
  /** The revision the review's latest file should carry. */
  let revision = 0;

  beforeAll(async () => {
    sink = await startResponseSink();
    // People with names, as the review file shows them (it is read outside Slack too).
    fake = await startFakeSlack({ users: [{ id: L1, name: 'lee', realName: 'Lee Oncall' }, { id: 'U2', name: 'bob', realName: 'Bob Builder' }] });
    bot = await startTestBot({ config: { escalation }, env: { API_TOKEN }, slack: fake });
  });
  afterAll(async () => {
    await bot?.stop();
    await fake?.close();
    await sink?.close();
  });

  const reviewRow = () => bot.db.review.findUniqueOrThrow({ where: { incidentId: incident.id } });
  const statusIs = (status: string) => waitFor(async () => (await bot.db.incident.findUniqueOrThrow({ where: { id: incident.id } })).status === status, { what: `incident ${status}` });

  it('drafts the review when the incident resolves: a summary message, INC-n-review.md in its thread, and /incident review', async () => {
    const startsAt = new Date(Date.now() - 2 * 60_000).toISOString();
    await bot.post('/webhooks/alertmanager', alertmanagerPayload({ alerts: [dbAlert({ startsAt })] }));
    const opened = await waitFor(() => bot.db.incident.findFirst({ where: { title: 'API cannot reach its database', messageTs: { not: null } } }), { what: 'incident posted' });
    incident = { id: opened.id, number: opened.number, channelId: opened.channelId as string };
    severity = opened.severity;
    expect(opened.runbookId).toBe('db-connection-failures');

    await command(incident.channelId, 'ack', L1);
    await statusIs('acknowledged');
    await command(incident.channelId, 'note Connection pool exhausted on api-1', L1);
    await waitFor(() => bot.db.timelineEvent.findFirst({ where: { incidentId: incident.id, type: 'note.added' } }), { what: 'note recorded' });
    // Not resolved yet: nothing to review.
    expect(await bot.db.review.count({ where: { incidentId: incident.id } })).toBe(0);

    await command(incident.channelId, 'resolve Raised the pool size to 200', L1);
    await statusIs('resolved');
    const resolvedAt = (await bot.db.incident.findUniqueOrThrow({ where: { id: incident.id } })).resolvedAt as Date;
    const dueAt = new Date(resolvedAt.getTime() + 48 * HOUR);

    revision = 1;
    const { file, markdown, share } = await reviewFile(incident, revision);
    expect(file.name).toBe(`INC-${incident.number}-review.md`);
    expect(file.shares).toEqual([{ channel: incident.channelId, ts: share.ts }]);
    expect(share.text).toBe('Draft of the post-incident review (Markdown).');
    const summaries = summaryMessages(incident);
    expect(summaries).toHaveLength(1);
    expect(share.thread_ts).toBe(summaries[0]?.ts);

    expect(markdown.startsWith(`# INC-${incident.number}: API cannot reach its database\n`)).toBe(true);
    expect(markdown).toMatch(new RegExp(`^- \\*\\*Time to acknowledge:\\*\\* \\d.* \\(@Lee Oncall at (\\d{4}-\\d{2}-\\d{2} )?\\d{2}:\\d{2}:\\d{2}, at L1\\)$`, 'm'));
    expect(markdown).toContain(`- **Review:** owned by @Lee Oncall; due ${utc(dueAt)} UTC; draft\n`);
    expect(markdown).toMatch(/^- \*\*Status:\*\* resolved at .* — Raised the pool size to 200$/m);
    expect(markdown).toMatch(new RegExp(`note by @Lee Oncall\\n\\n> Connection pool exhausted on api-1\\n`));
    expect(markdown).toContain('## Timeline\n\n| Time (UTC) | Offset | Event | By |\n|---|---|---|---|\n');
    expect(markdown).toMatch(new RegExp(`^\\| [^|]+ \\| \\+[\\d:]+ \\| acknowledged at L1 \\| @Lee Oncall \\|$`, 'm'));
    expect(markdown).toMatch(new RegExp(`^\\| [^|]+ \\| \\+[\\d:]+ \\| incident resolved: Raised the pool size to 200 \\| @Lee Oncall \\|$`, 'm'));

    const review = await reviewRow();
    expect(review).toMatchObject({ owner: L1, state: 'draft', revision: 1 });
    expect(review.dueAt.toISOString()).toBe(dueAt.toISOString());

    const summary = await summaryLinking(incident, file);
    expect(summary.text).toBe(`Post-incident review of INC-${incident.number}: draft`);
    expect(buttonsOf(summary.blocks).filter((button) => button.block_id === 'review-controls').map((button) => [button.action_id, button.value])).toEqual([
      ['review-edit', incident.id],
      ['review-done', incident.id],
    ]);

    const asked = await command(incident.channelId, 'review', OUTSIDER);
    const answer = await asked.answer();
    expect(answer).toContain(`Post-incident review of INC-${incident.number}`);
    expect(answer).toContain(`owner <@${L1}>`);
    expect(answer).toContain(`due <!date^${Math.floor(dueAt.getTime() / 1000)}^`);
    expect(answer).toContain(`files/${file.user}/${file.id}/${file.name}`);
    expect(answer).toContain('Draft, revision 1');
  });

  it('/incident followup posts to the channel and adds the item to a new revision; bad owners and past dates add nothing', async () => {
    await command(incident.channelId, 'followup <@U2|bob> 2w Add pool alerts', L1);
    const posted = await channelSays(incident, '📌 Follow-up for <@U2>');
    const item = await bot.db.followUp.findFirstOrThrow({ where: { incidentId: incident.id } });
    const today = item.createdAt.toISOString().slice(0, 10);
    const due = new Date(Date.parse(`${today}T00:00:00.000Z`) + 14 * DAY).toISOString().slice(0, 10);
    expect(posted.text).toBe(`📌 Follow-up for <@U2>, due ${due} (added by <@${L1}>): Add pool alerts`);
    expect(item).toMatchObject({ owner: 'U2', text: 'Add pool alerts', createdBy: L1 });

    revision = 2;
    const { markdown, share } = await reviewFile(incident, revision);
    expect(share.text).toBe('Draft updated (revision 2).');
    // The recorded items are computed, so they sit ahead of the people-written part of the section.
    expect(markdown).toContain(`## Action items\n\nRecorded with \`/incident followup\`:\n\n| Owner | Deadline | Item | Added by |\n|---|---|---|---|\n| @Bob Builder | ${due} | Add pool alerts | @Lee Oncall |\n\nMore:\n\n<!-- review:action-items -->\n`);

    const badOwner = await command(incident.channelId, 'followup bob 2w Add more alerts', L1);
    expect(await badOwner.answer()).toContain('Usage: `/incident followup &lt;@owner&gt; &lt;due&gt; &lt;text&gt;`');
    const pastDate = await command(incident.channelId, 'followup me 2020-01-01 Add more alerts', L1);
    const refused = await pastDate.answer();
    expect(refused).toContain('today or later');
    expect(refused).toContain('Usage: `/incident followup &lt;@owner&gt; &lt;due&gt; &lt;text&gt;`');

    expect(await bot.db.followUp.count({ where: { incidentId: incident.id } })).toBe(1);
    expect((await reviewRow()).revision).toBe(2);
    expect(bot.slack.messagesIn(incident.channelId).filter((message) => message.text.startsWith('📌 Follow-up'))).toHaveLength(1);
  });

  it('Edit review opens a modal with the sections; a submission saves the changed section into a new revision', async () => {
    const [summary] = summaryMessages(incident);
    const edit = buttonsOf(summary?.blocks).find((button) => button.action_id === 'review-edit');
    if (!summary || !edit) throw new Error('no Edit review button on the summary message');
    const pressed = await postInteraction(
      bot.url,
      SIGNING_SECRET,
      blockActionsPayload({ userId: L1, channelId: incident.channelId, messageTs: summary.ts, button: edit, responseUrl: `${sink.url}/edit`, triggerId: bot.slack.issueTriggerId() }),
    );
    expect(pressed.status).toBe(200);
    const opened = await waitFor(() => bot.slack.views.find((view) => view.view.callback_id === 'review-edit-modal' && String(view.view.private_metadata).includes(incident.id)), { what: 'modal opened' });
    expect(bot.slack.callsTo('views.open').filter((call) => call.ok)).toHaveLength(1);

    type InputBlock = { type: string; block_id?: string; element?: { action_id?: string; initial_value?: string } };
    const inputs = (opened.view.blocks as InputBlock[]).filter((block) => block.type === 'input');
    expect(inputs.map((block) => [block.block_id, block.element?.action_id])).toEqual(
      ['impact', 'root-cause', 'went-well', 'went-poorly', 'action-items', 'tests-and-alerts'].map((key) => [key, 'text']),
    );
    const initial = Object.fromEntries(inputs.map((block) => [block.block_id as string, block.element?.initial_value ?? '']));
    // An unwritten section opens empty, its hint shown as the box's placeholder.
    expect(initial['root-cause']).toBe('');
    const rootCauseBox = inputs.find((block) => block.block_id === 'root-cause') as { element?: { placeholder?: { text?: string } } };
    expect(rootCauseBox.element?.placeholder?.text).toBe('What caused it, and what made that possible');
    expect(initial['tests-and-alerts']).toContain('From the Prevention section of the runbook `db-connection-failures`');
    expect(initial['tests-and-alerts']).toContain('Put a connection pooler in front of Postgres');

    const rootCause = 'The pool was capped at 10 connections per process.\nA deploy doubled the number of workers.';
    const values = Object.fromEntries(Object.entries({ ...initial, 'root-cause': rootCause }).map(([key, value]) => [key, { text: { type: 'plain_text_input', value } }]));
    const submitted = await postInteraction(bot.url, SIGNING_SECRET, viewSubmission(String(opened.view.private_metadata), L1, values));
    expect(submitted.status).toBe(200);

    revision = 3;
    const { markdown } = await reviewFile(incident, revision);
    expect(markdown).toContain(`<!-- review:root-cause -->\n${rootCause}\n<!-- /review:root-cause -->`);
    // Only the section that changed is saved; the others keep following the draft.
    expect((await reviewRow()).sections).toEqual({ 'root-cause': rootCause });
    expect(markdown).toContain('<!-- review:tests-and-alerts -->\n_From the Prevention section of the runbook `db-connection-failures`');
  });

  it('a reopen pauses the reminders; the next resolution drafts again with "Reopened", the root cause, the same owner and a new due time', async () => {
    const firstDue = (await reviewRow()).dueAt;
    expect((await reviewRow()).nextReminderAt).not.toBeNull();
    await bot.post('/webhooks/alertmanager', alertmanagerPayload({ alerts: [dbAlert({ startsAt: new Date().toISOString() })] }));
    await statusIs('reopened');
    await channelSays(incident, '🔁 Reopened');
    expect(await bot.db.incident.count()).toBe(1);
    expect((await reviewRow()).nextReminderAt).toBeNull();

    await command(incident.channelId, 'resolve Pool raised for good', L1);
    await statusIs('resolved');
    const resolvedAt = (await bot.db.incident.findUniqueOrThrow({ where: { id: incident.id } })).resolvedAt as Date;
    const dueAt = new Date(resolvedAt.getTime() + 48 * HOUR);
    expect(dueAt.getTime()).toBeGreaterThan(firstDue.getTime());

    revision = 4;
    const { markdown } = await reviewFile(incident, revision);
    expect(markdown).toMatch(/^- \*\*Reopened:\*\* 1 time: resolved .+, reopened .+, resolved again .+$/m);
    expect(markdown).toContain('A deploy doubled the number of workers.\n<!-- /review:root-cause -->');
    expect(markdown).toContain(`- **Review:** owned by @Lee Oncall; due ${utc(dueAt)} UTC; draft\n`);
    expect(markdown).toContain(`| @Bob Builder | `);
    const review = await reviewRow();
    expect(review).toMatchObject({ owner: L1, state: 'draft' });
    expect(review.dueAt.toISOString()).toBe(dueAt.toISOString());
    expect(review.nextReminderAt).not.toBeNull();
    // Still one summary message: later revisions go into its thread.
    expect(summaryMessages(incident)).toHaveLength(1);
  });

  it('/incident review done: refused to others, done by the owner (reminders stop, final file), then "Already marked done"', async () => {
    const refusedCommand = await command(incident.channelId, 'review done', OUTSIDER);
    expect(await refusedCommand.answer()).toContain(`Only the review's owner (<@${L1}>)`);
    expect((await reviewRow()).state).toBe('draft');

    const done = await command(incident.channelId, 'review done', L1);
    await channelSays(incident, `✅ <@${L1}> marked the post-incident review done`);
    const review = await reviewRow();
    expect(review).toMatchObject({ state: 'done', completedBy: L1, nextReminderAt: null, reminderToken: null });

    revision = 5;
    const { file, markdown, share } = await reviewFile(incident, revision);
    expect(share.text).toBe('Final version (revision 5).');
    expect(markdown).toMatch(new RegExp(`^- \\*\\*Review:\\*\\* owned by @Lee Oncall; due ${escapeRegExp(utc(review.dueAt))} UTC; done by @Lee Oncall at \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} UTC$`, 'm'));
    const summary = await summaryLinking(incident, file);
    expect(summary.text).toBe(`Post-incident review of INC-${incident.number}: done`);
    expect(JSON.stringify(summary.blocks)).toContain('Marked done.');
    expect(buttonsOf(summary.blocks)).toEqual([]);
    // Done on time: the channel post says it, no ephemeral answer.
    expect(done.answered()).toBe(false);

    const again = await command(incident.channelId, 'review done', L1);
    expect(await again.answer()).toBe(`Already marked done by <@${L1}>.`);
    expect((await reviewRow()).revision).toBe(5);
  });

  it('serves the last posted Markdown over the API, and reports MTTR and reviews done on time in /metrics', async () => {
    const { markdown } = await reviewFile(incident, revision);
    const review = await reviewRow();
    const response = await fetch(`${bot.url}/api/incidents/INC-${incident.number}/review`, { headers: { authorization: `Bearer ${API_TOKEN}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/markdown/);
    expect(response.headers.get('review-state')).toBe('done');
    expect(response.headers.get('review-owner')).toBe(L1);
    expect(response.headers.get('review-due-at')).toBe(review.dueAt.toISOString());
    expect(await response.text()).toBe(markdown);

    const anonymous = await fetch(`${bot.url}/api/incidents/INC-${incident.number}/review`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error: { code: 'UNAUTHORIZED' } });

    // An incident that has not resolved has no review yet.
    await bot.post('/webhooks/alertmanager', alertmanagerPayload({ alerts: [{ labels: { alertname: 'WorkerQueueBacklog', service: 'worker', severity: 'warning' }, annotations: { summary: 'Worker queue backlog' } }] }));
    const open = await waitFor(() => bot.db.incident.findFirst({ where: { title: 'Worker queue backlog' } }), { what: 'second incident' });
    const early = await fetch(`${bot.url}/api/incidents/${open.id}/review`, { headers: { authorization: `Bearer ${API_TOKEN}` } });
    expect(early.status).toBe(404);
    expect(await early.json()).toMatchObject({ error: { code: 'NOT_FOUND', details: { reason: 'review_not_drafted' } } });

    const metrics = await (await fetch(`${bot.url}/metrics`)).text();
    const mttr = new RegExp(`^incident_bot_mttr_seconds\\{severity="${severity}"\\} ([0-9.e+-]+)$`, 'm').exec(metrics);
    expect(mttr).not.toBeNull();
    expect(Number(mttr?.[1])).toBeGreaterThan(0);
    expect(metrics).toMatch(/^incident_bot_reviews\{state="done_on_time"\} 1$/m);
    expect(metrics).toMatch(/^incident_bot_reviews\{state="pending"\} 0$/m);
  });
});

describe('the post-incident review of an incident declared by hand', () => {
  let bot: TestBot;
  let fake: FakeSlack;
  let sink: Awaited<ReturnType<typeof startResponseSink>>;
  const { command, reviewFile } = slackUser(
    () => bot,
    () => sink,
  );
  beforeAll(async () => {
    sink = await startResponseSink();
    // No escalation policy: nobody is paged and nobody acknowledges.
    fake = await startFakeSlack({ users: [{ id: 'UDECLARER', name: 'dana', realName: 'Dana Declarer' }] });
    bot = await startTestBot({ slack: fake });
  });
  afterAll(async () => {
    await bot?.stop();
    await fake?.close();
    await sink?.close();
  });

  it('is owned by the person who declared it and says it was declared by hand', async () => {
    const declared = await command('CGENERAL', 'declare Checkout is double-charging', 'UDECLARER');
    expect(await declared.answer()).toMatch(/^Declared \*INC-\d+\*/);
    const row = await waitFor(() => bot.db.incident.findFirst({ where: { title: 'Checkout is double-charging', messageTs: { not: null } } }), { what: 'declared incident posted' });
    const incident = { id: row.id, number: row.number, channelId: row.channelId as string };

    // Someone else resolves it: the review still goes to the declarer.
    await command(incident.channelId, 'resolve refunds issued', 'URESOLVER1');
    await waitFor(async () => (await bot.db.incident.findUniqueOrThrow({ where: { id: incident.id } })).status === 'resolved', { what: 'resolved' });

    const { markdown } = await reviewFile(incident, 1);
    expect(markdown.startsWith(`# INC-${incident.number}: Checkout is double-charging\n`)).toBe(true);
    expect(markdown).toContain('- **Alerts:** none: declared by hand\n');
    expect(markdown).toContain('- **Time to detect:** unknown: declared by hand by @Dana Declarer\n');
    expect(markdown).toContain('_No alerts: the incident was declared by hand._');
    expect(markdown).toMatch(/^- \*\*Review:\*\* owned by @Dana Declarer; due .+ UTC; draft$/m);
    expect(markdown).toMatch(/\| incident declared by hand by @Dana Declarer, severity \w+/);
    expect(await bot.db.review.findUniqueOrThrow({ where: { incidentId: incident.id } })).toMatchObject({ owner: 'UDECLARER', state: 'draft' });
  });
});

/** A view_submission of the Edit review modal. */
function viewSubmission(privateMetadata: string, userId: string, values: Record<string, { text: { type: string; value: string | null } }>) {
  return viewSubmissionPayload({ userId, callbackId: 'review-edit-modal', privateMetadata, title: 'Edit review', submit: 'Save', values });
}
