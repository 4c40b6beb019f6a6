import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertmanagerPayload, dbAlert } from '../support/alertmanager.js';
import { clockStartingAt } from '../support/clock.js';
import { startFakeSlack, type FakeSlack, type Message } from '../support/fake-slack/index.js';
import { startResponseSink } from '../support/response-url-sink.js';
import { signedHeaders, slashCommandBody } from '../support/slack-signing.js';
import { SIGNING_SECRET, startTestBot, type TestBot } from '../support/test-bot.js';
import { waitFor } from '../support/wait-for.js';

const RESPONDER = 'U0RESPONDER1';

/** The review's summary message in Slack, when Slack fails on the way. */
describe('the review summary in Slack', () => {
  let bot: TestBot;
  let slack: FakeSlack;
  let sink: Awaited<ReturnType<typeof startResponseSink>>;
  let channelId: string;
  let number: number;
  beforeAll(async () => {
    sink = await startResponseSink();
    // No escalation policy: anyone may resolve; the resolver owns the review.
    slack = await startFakeSlack({ users: [{ id: RESPONDER, name: 'rosa', realName: 'Rosa Responder' }] });
    // The alert starts on a fixed date (dbAlert); the bot's clock reads the same day.
    bot = await startTestBot({ slack, clock: clockStartingAt('2026-11-24T03:05:00Z') });
    await bot.post('/webhooks/alertmanager', alertmanagerPayload({ alerts: [dbAlert()] }));
    const incident = await waitFor(() => bot.db.incident.findFirst({ where: { messageTs: { not: null } } }), { what: 'incident posted' });
    channelId = incident.channelId as string;
    number = incident.number;
    await command('resolve pool raised');
    await waitFor(async () => (await bot.db.review.findFirst({ where: { summaryRevision: 1 } })) !== null, { what: 'revision 1 in Slack' });
  });
  afterAll(async () => {
    await bot.stop();
    await slack.close();
    await sink.close();
  });

  async function command(text: string): Promise<void> {
    const body = slashCommandBody({ text, channelId, userId: RESPONDER, responseUrl: `${sink.url}/${encodeURIComponent(text)}` });
    expect((await fetch(`${bot.url}/slack/events`, { method: 'POST', headers: signedHeaders(SIGNING_SECRET, body), body })).status).toBe(200);
  }
  const summaries = (): Message[] => bot.slack.messagesIn(channelId).filter((message) => message.text?.startsWith(`Post-incident review of INC-${number}`));
  /** Uploads of one revision: the files titled with it, and the thread each was shared in. */
  const uploadsOf = (revision: number) =>
    [...bot.slack.files.values()]
      .filter((file) => file.title === `INC-${number} post-incident review (revision ${revision})`)
      .map((file) => bot.slack.messagesIn(channelId).find((message) => message.ts === file.shares[0]?.ts)?.thread_ts);
  const blocksText = (message: Message | undefined) => JSON.stringify(message?.blocks ?? []);

  it('names people in the file, which is read outside Slack too', async () => {
    const file = [...bot.slack.files.values()].find((candidate) => candidate.title === `INC-${number} post-incident review (revision 1)`);
    const markdown = file?.data?.toString('utf8') ?? '';
    expect(markdown).toMatch(/^- \*\*Status:\*\* resolved at \d\d:\d\d:\d\d by @Rosa Responder — pool raised$/m);
    expect(markdown).toContain('- **Review:** owned by @Rosa Responder;');
    expect(markdown).not.toContain(`<@${RESPONDER}>`);
  });

  it('catches the summary up after chat.update failed for a while, uploading the revision once', async () => {
    bot.slack.failNext('chat.update', { status: 500, times: 4 });
    await command('followup me 3d Alert on pool headroom');
    await waitFor(() => blocksText(summaries()[0]).includes('1 follow-up'), { what: 'summary shows the follow-up', timeoutMs: 20_000 });
    expect(summaries()).toHaveLength(1);
    expect(uploadsOf(2)).toEqual([summaries()[0]?.ts]);
    expect(blocksText(summaries()[0])).toContain('revision 2');
  });

  it('posts the summary again, with the current revision under it, when someone deleted it', async () => {
    const [deleted] = summaries();
    bot.slack.failNext('chat.update', { error: 'message_not_found' });
    await command('followup me 5d Load-test with the production pool size');
    await waitFor(() => summaries().length === 2 && blocksText(summaries()[1]).includes('2 follow-ups') && blocksText(summaries()[1]).includes('revision 3'), { what: 'a new summary', timeoutMs: 20_000 });
    const fresh = summaries()[1];
    // Revision 3 went under the lost summary first, then again under the new one.
    expect(uploadsOf(3)).toEqual([deleted?.ts, fresh?.ts]);
    // The bot records what Slack shows after Slack has it: wait for the row to catch up.
    const review = await waitFor(async () => {
      const row = await bot.db.review.findFirstOrThrow();
      return row.summaryRevision === row.postedRevision && row.summaryTs === fresh?.ts ? row : undefined;
    }, { what: 'the review row records the new summary', timeoutMs: 20_000 });
    expect(review).toMatchObject({ summaryTs: fresh?.ts, postedRevision: 3, summaryRevision: 3 });
  });

  it('drafts again when the alert ends after the incident was resolved by hand', async () => {
    const before = uploadsOf(4);
    expect(before).toEqual([]);
    const firing = (await bot.db.review.findFirstOrThrow()).markdown ?? '';
    expect(firing).toMatch(/^\| ApiDatabaseUnavailable .*\| still firing \|/m);
    await bot.post('/webhooks/alertmanager', alertmanagerPayload({ alerts: [dbAlert({ status: 'resolved', endsAt: '2026-11-24T03:30:00.000Z' })] }));
    await waitFor(() => uploadsOf(4).length === 1, { what: 'revision 4 uploaded', timeoutMs: 20_000 });
    const file = [...bot.slack.files.values()].find((candidate) => candidate.title === `INC-${number} post-incident review (revision 4)`);
    const markdown = file?.data?.toString('utf8') ?? '';
    expect(markdown).toMatch(/^\| ApiDatabaseUnavailable .*\| 03:30:00 \|/m);
    expect(markdown).toContain('alert resolved: ApiDatabaseUnavailable');
  });
});
