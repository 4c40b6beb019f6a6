import { completeReview } from '../../src/review/complete-review.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertmanagerPayload, type TestAlert } from '../support/alertmanager.js';
import { startResponseSink } from '../support/response-url-sink.js';
import { signedHeaders, slashCommandBody } from '../support/slack-signing.js';
import { SIGNING_SECRET, startTestBot, type TestBot } from '../support/test-bot.js';
import { waitFor } from '../support/wait-for.js';

const alert = (name: string, overrides: Partial<TestAlert> = {}): TestAlert => ({
  labels: { alertname: name, severity: 'warning', service: name.toLowerCase(), instance: 'checkout-1' },
  annotations: { summary: `${name} summary` },
  ...overrides,
});

describe('the incident lifecycle', () => {
  let bot: TestBot;
  let sink: Awaited<ReturnType<typeof startResponseSink>>;
  let announce: string;
  beforeAll(async () => {
    sink = await startResponseSink();
    bot = await startTestBot({ config: { channels: { announce: 'C0ANNOUNCE' }, incidents: { reopen_window: '2s', archive_after: '1s' } } });
    announce = bot.slack.createChannel({ id: 'C0ANNOUNCE', name: 'incidents' }).id;
  });
  afterAll(async () => {
    await bot.stop();
    await sink.close();
  });

  const incidentOf = (summary: string) => waitFor(() => bot.db.incident.findFirst({ where: { title: summary, messageTs: { not: null } }, orderBy: { openedAt: 'desc' } }), { what: `incident ${summary}` });
  const statusOf = async (id: string) => (await bot.db.incident.findUniqueOrThrow({ where: { id } })).status;
  async function command(channelId: string, text: string, userId = 'UONCALL1') {
    const body = slashCommandBody({ text, channelId, userId, responseUrl: `${sink.url}/${encodeURIComponent(text)}` });
    expect((await fetch(`${bot.url}/slack/events`, { method: 'POST', headers: signedHeaders(SIGNING_SECRET, body), body })).status).toBe(200);
  }

  it('resolves by itself when every alert resolved, announces it, reopens within the window, then archives', async () => {
    await bot.post('/webhooks/alertmanager', alertmanagerPayload({ alerts: [alert('CheckoutErrors')] }));
    const incident = await incidentOf('CheckoutErrors summary');
    await waitFor(() => bot.slack.messagesIn(announce).some((message) => (message.text ?? '').includes(`INC-${incident.number} opened`) && (message.text ?? '').includes(`<#${incident.channelId}>`)), { what: 'opening announced' });

    await bot.post('/webhooks/alertmanager', alertmanagerPayload({ alerts: [alert('CheckoutErrors', { status: 'resolved' })] }));
    await waitFor(async () => (await statusOf(incident.id)) === 'resolved', { what: 'auto-resolved' });
    expect(await bot.db.timelineEvent.findFirst({ where: { incidentId: incident.id, type: 'incident.resolved' } })).toMatchObject({ actor: 'alertmanager', source: 'alert' });
    await waitFor(() => bot.slack.messagesIn(announce).some((message) => (message.text ?? '').includes(`INC-${incident.number} resolved`)), { what: 'resolution announced' });
    await waitFor(() => bot.slack.callsTo('conversations.setTopic').some((call) => call.args.channel === incident.channelId && String(call.args.topic).includes('Resolved')), { what: 'topic shows resolved' });

    // Fires again within the reopen window: the same incident, reopened, in the same channel.
    await bot.post('/webhooks/alertmanager', alertmanagerPayload({ alerts: [alert('CheckoutErrors', { startsAt: '2026-11-24T04:00:00.000Z' })] }));
    await waitFor(async () => (await statusOf(incident.id)) === 'reopened', { what: 'reopened' });
    await waitFor(() => bot.slack.messagesIn(incident.channelId as string).some((message) => (message.text ?? '').startsWith('🔁 Reopened')), { what: 'reopen message' });
    expect(await bot.db.incident.count({ where: { groupKey: incident.groupKey } })).toBe(1);

    await bot.post('/webhooks/alertmanager', alertmanagerPayload({ alerts: [alert('CheckoutErrors', { startsAt: '2026-11-24T04:00:00.000Z', status: 'resolved' })] }));
    await waitFor(async () => (await statusOf(incident.id)) === 'resolved', { what: 'resolved again' });
    // archive_after: 1s, but not while the review is a draft: its buttons and reminders point to the channel.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(bot.slack.channels.get(incident.channelId as string)?.archived).toBe(false);
    expect(await completeReview(bot.bot.deps, incident.id, 'U0RESPONDER')).toMatchObject({ kind: 'done' });
    await waitFor(() => bot.slack.channels.get(incident.channelId as string)?.archived === true, { what: 'channel archived', timeoutMs: 15_000 });
    await waitFor(async () => (await bot.db.timelineEvent.count({ where: { incidentId: incident.id, type: 'slack.channel_archived' } })) === 1, { what: 'archive on the timeline' });

    // After the window, the same alert group opens a new incident.
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    await bot.post('/webhooks/alertmanager', alertmanagerPayload({ alerts: [alert('CheckoutErrors', { startsAt: '2026-11-24T05:00:00.000Z' })] }));
    await waitFor(async () => (await bot.db.incident.count({ where: { groupKey: incident.groupKey } })) === 2, { what: 'a new incident after the window' });
  });

  it('declares an incident by hand, changes its severity, takes notes and shows the timeline', async () => {
    await command('CGENERAL', 'declare Checkout is double-charging --severity critical', 'UDECLARER');
    const declared = await incidentOf('Checkout is double-charging');
    expect(declared).toMatchObject({ source: 'manual', severity: 'critical', status: 'open' });
    expect(declared.runbookId).toBe('default');
    await waitFor(() => bot.slack.callsTo('conversations.invite').some((call) => call.args.channel === declared.channelId && String(call.args.users).includes('UDECLARER')), { what: 'declarer invited' });
    const channelId = declared.channelId as string;

    await command(channelId, 'severity major');
    await waitFor(async () => (await bot.db.incident.findUniqueOrThrow({ where: { id: declared.id } })).severity === 'major', { what: 'severity changed' });
    await waitFor(() => bot.slack.callsTo('conversations.setTopic').some((call) => call.args.channel === channelId && String(call.args.topic).includes('MAJOR')), { what: 'topic shows the new severity' });
    await command(channelId, 'severity apocalyptic');
    const refused = await waitFor(() => sink.received.find((entry) => entry.path === `/${encodeURIComponent('severity apocalyptic')}`), { what: 'bad severity answer' });
    expect(refused.body.text).toContain('`critical`, `major`, `minor`');

    await command(channelId, 'note rolled back the payment service to v41');
    // Two slash commands are two requests: Slack does not order them, so wait for the note to land.
    await waitFor(async () => (await bot.db.timelineEvent.count({ where: { incidentId: declared.id, type: 'note.added' } })) === 1, { what: 'note recorded' });
    await command(channelId, 'timeline');
    const timeline = await waitFor(() => sink.received.find((entry) => entry.path === '/timeline'), { what: 'timeline answer' });
    expect(timeline.body).toMatchObject({ response_type: 'ephemeral' });
    expect(timeline.body.text).toContain('rolled back the payment service to v41');
    expect(timeline.body.text).toContain('severity critical → major');

    // Declared incidents never resolve by themselves; a person resolves them.
    await command(channelId, 'resolve refunds issued');
    await waitFor(async () => (await statusOf(declared.id)) === 'resolved', { what: 'resolved by hand' });
  });

  it('adds a message marked with 📌 to the timeline, with its author and a link', async () => {
    await bot.post('/webhooks/alertmanager', alertmanagerPayload({ alerts: [alert('PinTest')] }));
    const incident = await incidentOf('PinTest summary');
    const channelId = incident.channelId as string;
    const message = bot.slack.postAsUser(channelId, 'UWRITER1', 'Found it: the connection pool is capped at 10');
    const event = {
      token: 'deprecated-verification-token',
      team_id: 'T0TEST',
      api_app_id: 'A0TEST',
      event: { type: 'reaction_added', user: 'UPINNER1', reaction: 'pushpin', item_user: 'UWRITER1', item: { type: 'message', channel: channelId, ts: message.ts }, event_ts: `${Date.now() / 1000}` },
      type: 'event_callback',
      event_id: 'Ev0PIN1',
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [{ enterprise_id: null, team_id: 'T0TEST', user_id: 'U0BOT', is_bot: true, is_enterprise_install: false }],
      is_ext_shared_channel: false,
    };
    const body = JSON.stringify(event);
    const response = await fetch(`${bot.url}/slack/events`, { method: 'POST', headers: signedHeaders(SIGNING_SECRET, body, undefined, 'application/json'), body });
    expect(response.status).toBe(200);
    const note = await waitFor(() => bot.db.timelineEvent.findFirst({ where: { incidentId: incident.id, type: 'note.pinned' } }), { what: 'pinned note' });
    expect(note).toMatchObject({ actor: 'UPINNER1', source: 'slack' });
    expect(note.data).toMatchObject({ author: 'UWRITER1', text: 'Found it: the connection pool is capped at 10', permalink: expect.stringContaining('http') });
  });

  it('records a message pinned twice at once (a Slack retry, a second 📌) as one note', async () => {
    await bot.post('/webhooks/alertmanager', alertmanagerPayload({ alerts: [alert('PinTwice')] }));
    const incident = await incidentOf('PinTwice summary');
    const channelId = incident.channelId as string;
    const message = bot.slack.postAsUser(channelId, 'UWRITER1', 'The pool is full again');
    const pin = async (eventId: string, user: string, ts: string) => {
      const body = JSON.stringify({
        token: 'deprecated-verification-token',
        team_id: 'T0TEST',
        api_app_id: 'A0TEST',
        event: { type: 'reaction_added', user, reaction: 'pushpin', item_user: 'UWRITER1', item: { type: 'message', channel: channelId, ts }, event_ts: `${Date.now() / 1000}` },
        type: 'event_callback',
        event_id: eventId,
        event_time: Math.floor(Date.now() / 1000),
        authorizations: [{ enterprise_id: null, team_id: 'T0TEST', user_id: 'U0BOT', is_bot: true, is_enterprise_install: false }],
        is_ext_shared_channel: false,
      });
      const response = await fetch(`${bot.url}/slack/events`, { method: 'POST', headers: signedHeaders(SIGNING_SECRET, body, undefined, 'application/json'), body });
      expect(response.status).toBe(200);
    };
    await Promise.all([pin('Ev0TWICE1', 'UPINNER1', message.ts), pin('Ev0TWICE2', 'UPINNER2', message.ts)]);
    // Both handlers have fetched the message's link; a later pin of another message marks the end of the queue of work.
    await waitFor(() => bot.slack.callsTo('chat.getPermalink').filter((call) => call.args.message_ts === message.ts).length === 2, { what: 'both pins handled' });
    const later = bot.slack.postAsUser(channelId, 'UWRITER1', 'Raised the cap to 50');
    await pin('Ev0TWICE3', 'UPINNER1', later.ts);
    await waitFor(async () => (await bot.db.timelineEvent.count({ where: { incidentId: incident.id, type: 'note.pinned' } })) >= 2, { what: 'later note' });
    const notes = await bot.db.timelineEvent.findMany({ where: { incidentId: incident.id, type: 'note.pinned' }, orderBy: { id: 'asc' } });
    expect(notes.map((note) => (note.data as { text?: string }).text)).toEqual(['The pool is full again', 'Raised the cap to 50']);
  });

  it('keeps incidents open when auto-resolve is off', async () => {
    const manual = await startTestBot({ config: { incidents: { auto_resolve: false } } });
    try {
      await manual.post('/webhooks/alertmanager', alertmanagerPayload({ alerts: [alert('NoAutoResolve')] }));
      const incident = await waitFor(() => manual.db.incident.findFirst({ where: { messageTs: { not: null } } }), { what: 'incident' });
      await manual.post('/webhooks/alertmanager', alertmanagerPayload({ alerts: [alert('NoAutoResolve', { status: 'resolved' })] }));
      await waitFor(async () => (await manual.db.alert.count({ where: { status: 'resolved' } })) === 1, { what: 'alert resolved' });
      await waitFor(async () => (await manual.db.webhookDelivery.count({ where: { processedAt: null } })) === 0, { what: 'processed' });
      expect((await manual.db.incident.findUniqueOrThrow({ where: { id: incident.id } })).status).toBe('open');
    } finally {
      await manual.stop();
    }
  });
});
