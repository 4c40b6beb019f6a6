import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertmanagerPayload, dbAlert } from '../support/alertmanager.js';
import { startResponseSink } from '../support/response-url-sink.js';
import { postInteraction, viewSubmissionPayload } from '../support/slack-interactions.js';
import { directMessages, slashCommands } from '../support/slash-commands.js';
import { SIGNING_SECRET, startTestBot, type TestBot } from '../support/test-bot.js';
import { waitFor } from '../support/wait-for.js';

const L1 = 'UL1ONCALL';
const L2 = 'UL2LEAD01';
const PM = 'UPMPRODUCT';
const ANA = 'UANACOMMS';
const OUTSIDER = 'UOUTSIDE01';
const ANNOUNCE = 'C0ANNOUNCE';
const config = {
  escalation: {
    default: {
      levels: [
        { level: 'L1', notify: [L1], ack_timeout: '1h' },
        { level: 'L2', notify: [L2], ack_timeout: '1h' },
        { level: 'L3', notify: [PM] },
      ],
    },
  },
  channels: { announce: ANNOUNCE },
  updates: { remind_every: { critical: '1h' } },
};

interface Opened {
  id: string;
  number: number;
  channelId: string;
}

async function openIncident(bot: TestBot, instance: string): Promise<Opened> {
  await bot.post('/webhooks/alertmanager', alertmanagerPayload({ groupLabels: { alertname: 'ApiDatabaseUnavailable', instance }, alerts: [dbAlert({ instance, labels: { service: `api-${instance}` } })] }));
  const incident = await waitFor(() => bot.db.incident.findFirst({ where: { labels: { path: ['instance'], equals: instance }, messageTs: { not: null } } }), { what: `incident ${instance}` });
  return { id: incident.id, number: incident.number, channelId: incident.channelId as string };
}

describe('stakeholder updates, subscribers and roles', () => {
  let bot: TestBot;
  let sink: Awaited<ReturnType<typeof startResponseSink>>;
  const command = slashCommands(
    () => bot,
    () => sink,
  );
  const channelTexts = (channelId: string) => bot.slack.messagesIn(channelId).map((message) => message.text);
  const incidentMessage = async (incident: Opened) => {
    const row = await bot.db.incident.findUniqueOrThrow({ where: { id: incident.id } });
    const message = bot.slack.messagesIn(incident.channelId).find((candidate) => candidate.ts === row.messageTs);
    return JSON.stringify(message?.blocks ?? []);
  };

  beforeAll(async () => {
    bot = await startTestBot({ config });
    bot.slack.createChannel({ id: ANNOUNCE, name: 'incidents' });
    sink = await startResponseSink();
  });
  afterAll(async () => {
    await bot.stop();
    await sink.close();
  });

  it('runs a scripted incident: roles, subscribers in and out of the channel, an L3 page, quick and modal updates, the resolution and the review', async () => {
    const incident = await openIncident(bot, 'scripted-1');
    const ref = `INC-${incident.number}`;
    const announcement = await waitFor(() => bot.slack.messagesIn(ANNOUNCE).find((message) => message.text.includes(`${ref} opened`)), { what: 'announcement' });

    // Someone outside the channel subscribes from anywhere.
    expect(await (await command('CGENERAL', `subscribe ${ref}`, OUTSIDER)).answer()).toContain(`You now get the updates and the resolution of *${ref}*`);
    expect(await (await command('CGENERAL', `subscribe ${ref}`, OUTSIDER)).answer()).toContain('already follow');

    // Roles: assigned, then reassigned; each holder gets the duty by direct message.
    await command(incident.channelId, `role commander <@${ANA}|ana>`, L1);
    await waitFor(() => directMessages(bot.slack, ANA).find((text) => text.includes('You are *commander*') && text.includes('Leads the response')), { what: 'commander duty to Ana' });
    await command(incident.channelId, 'role commander me', L1);
    await waitFor(() => directMessages(bot.slack, L1).find((text) => text.includes('You are *commander*')), { what: 'commander duty to L1' });
    await command(incident.channelId, `role comms <@${ANA}>`, L1);
    await waitFor(() => directMessages(bot.slack, ANA).find((text) => text.includes('You are *comms*') && text.includes('stakeholder updates')), { what: 'comms duty to Ana' });
    const roleEvents = await waitFor(async () => {
      const events = await bot.db.timelineEvent.findMany({ where: { incidentId: incident.id, type: 'role.assigned' }, orderBy: { id: 'asc' } });
      return events.length === 3 ? events : undefined;
    }, { what: 'three role events' });
    expect(roleEvents.map((event) => event.data)).toMatchObject([
      { role: 'commander', userId: ANA, previous: null },
      { role: 'commander', userId: L1, previous: ANA },
      { role: 'comms', userId: ANA, previous: null },
    ]);
    await waitFor(async () => (await incidentMessage(incident)).includes(`commander <@${L1}> · comms <@${ANA}> · scribe _open_`), { what: 'roles on the incident message' });
    const roles = await (await command(incident.channelId, 'roles', OUTSIDER)).answer();
    expect(roles).toContain(`*commander*: <@${L1}>`);
    expect(roles).toContain('*scribe*: _open_');

    // An L3 page subscribes the PM.
    await command(incident.channelId, 'escalate L3 customers see errors', L1);
    await waitFor(() => bot.db.subscription.findFirst({ where: { incidentId: incident.id, userId: PM, via: 'escalation' } }), { what: 'PM subscribed at L3' });

    // A quick update: the channel, the announcement's thread, and each subscriber by DM.
    expect((await command(incident.channelId, 'update Failing over to the replica', ANA)).answered()).toBe(false);
    await waitFor(() => channelTexts(incident.channelId).find((text) => text.includes(`Update on ${ref}`) && text.includes('Investigating') && text.includes('Failing over to the replica')), { what: 'update in the channel' });
    const threaded = await waitFor(() => bot.slack.messagesIn(ANNOUNCE).find((message) => message.text.includes('Failing over to the replica')), { what: 'update in the announcement thread' });
    expect(threaded.thread_ts).toBe(announcement.ts);
    for (const person of [OUTSIDER, PM]) await waitFor(() => directMessages(bot.slack, person).find((text) => text.includes('Failing over to the replica')), { what: `update DM to ${person}` });
    expect(directMessages(bot.slack, L2).some((text) => text.includes('Failing over'))).toBe(false);

    // The modal: status, summary, impact and next update in.
    await command(incident.channelId, 'update', ANA);
    const opened = await waitFor(() => bot.slack.views.find((view) => view.view.callback_id === 'status-update-modal' && view.view.private_metadata === incident.id), { what: 'update modal opened' });
    expect(JSON.stringify(opened.view.blocks)).toContain('Next update in');
    const submitted = await postInteraction(bot.url, SIGNING_SECRET, viewSubmissionPayload({
      userId: ANA,
      callbackId: 'status-update-modal',
      privateMetadata: incident.id,
      title: 'Stakeholder update',
      submit: 'Post',
      values: {
        status: { status: { type: 'static_select', selected_option: { text: { type: 'plain_text', text: 'Identified' }, value: 'identified' } } },
        summary: { text: { type: 'plain_text_input', value: 'A connection leak in the billing worker' } },
        impact: { text: { type: 'plain_text_input', value: 'Checkout fails for 5% of users' } },
        next: { next: { type: 'static_select', selected_option: { text: { type: 'plain_text', text: '30 minutes' }, value: '30' } } },
      },
    }));
    expect(submitted.status).toBe(200);
    const modalUpdate = await waitFor(() => bot.db.statusUpdate.findFirst({ where: { incidentId: incident.id, status: 'identified' } }), { what: 'modal update stored' });
    expect(modalUpdate).toMatchObject({ summary: 'A connection leak in the billing worker', impact: 'Checkout fails for 5% of users', postedBy: ANA });
    expect((modalUpdate.nextUpdateAt as Date).getTime() - modalUpdate.postedAt.getTime()).toBe(30 * 60_000);
    await waitFor(() => channelTexts(incident.channelId).find((text) => text.includes('Identified') && text.includes('*Impact:* Checkout fails for 5% of users')), { what: 'modal update in the channel' });
    await waitFor(async () => (await incidentMessage(incident)).includes('Latest update* 🧭 Identified') && (await incidentMessage(incident)).includes('next update due'), { what: 'latest status on the incident message' });

    const timeline = await (await command(incident.channelId, 'timeline', OUTSIDER)).answer();
    expect(timeline).toContain('stakeholder update (identified): A connection leak in the billing worker');
    expect(timeline).toContain(`<@${ANA}> is comms`);

    // Out again: the outsider stops getting updates, the PM does not.
    expect(await (await command('CGENERAL', `unsubscribe ${ref}`, OUTSIDER)).answer()).toContain('no longer get the updates');
    await command('CGENERAL', `update ${ref} Replica is serving traffic`, ANA);
    await waitFor(() => directMessages(bot.slack, PM).find((text) => text.includes('Replica is serving traffic') && text.includes('Identified')), { what: 'third update to PM' });
    await command(incident.channelId, 'resolve failed over', L1);
    await waitFor(() => directMessages(bot.slack, PM).find((text) => text.includes(ref) && text.includes('Resolved by')), { what: 'resolution to PM' });
    const outsiderDms = directMessages(bot.slack, OUTSIDER);
    expect(outsiderDms.filter((text) => text.includes(ref))).toHaveLength(2);
    expect(outsiderDms.some((text) => text.includes('Replica is serving traffic') || text.includes('Resolved by'))).toBe(false);
    // Subscribers get updates and the resolution, nothing else: no role, escalation or reminder messages.
    expect(directMessages(bot.slack, PM).filter((text) => text.includes(ref))).toHaveLength(4);

    // The review: owned by the commander, with every update and the time to first update.
    const review = await waitFor(() => bot.db.review.findFirst({ where: { incidentId: incident.id, markdown: { not: null } } }), { what: 'review drafted' });
    expect(review.owner).toBe(L1);
    const firstUpdate = await bot.db.statusUpdate.findFirstOrThrow({ where: { incidentId: incident.id }, orderBy: { postedAt: 'asc' } });
    const opened_ = await bot.db.incident.findUniqueOrThrow({ where: { id: incident.id } });
    const seconds = Math.floor(firstUpdate.postedAt.getTime() / 1000) - Math.floor(opened_.openedAt.getTime() / 1000);
    const expected = seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min`;
    expect(review.markdown).toMatch(new RegExp(`- \\*\\*Time to first update:\\*\\* ${expected}.* 3 updates in all`));
    expect(review.markdown).toContain('stakeholder update (investigating): Failing over to the replica');
    expect(review.markdown).toContain('stakeholder update (identified): A connection leak in the billing worker — impact: Checkout fails for 5% of users');
    expect(review.markdown).toContain(`subscribed to updates (paged at L3)`);

    const metrics = await (await fetch(`${bot.url}/metrics`)).text();
    expect(metrics).toMatch(/^incident_bot_status_updates_posted\{severity="critical"\} 3$/m);
  });

  it('makes the first to acknowledge commander when nobody is, and not over an assigned one', async () => {
    const first = await openIncident(bot, 'ack-1');
    await command(first.channelId, 'ack', L1);
    const role = await waitFor(() => bot.db.incidentRole.findFirst({ where: { incidentId: first.id, role: 'commander' } }), { what: 'commander from the ack' });
    expect(role.userId).toBe(L1);
    await waitFor(() => directMessages(bot.slack, L1).find((text) => text.includes(`INC-${first.number}`) && text.includes('You are *commander*')), { what: 'duty DM' });
    await waitFor(() => channelTexts(first.channelId).find((text) => text.includes(`<@${L1}> is now *commander* (first to acknowledge)`)), { what: 'channel says so' });

    const second = await openIncident(bot, 'ack-2');
    await command(second.channelId, `role commander <@${ANA}>`, L2);
    await waitFor(() => bot.db.incidentRole.findFirst({ where: { incidentId: second.id, role: 'commander' } }), { what: 'assigned commander' });
    await command(second.channelId, 'ack', L1);
    await waitFor(() => bot.db.incident.findFirst({ where: { id: second.id, status: 'acknowledged' } }), { what: 'acknowledged' });
    expect((await bot.db.incidentRole.findFirstOrThrow({ where: { incidentId: second.id, role: 'commander' } })).userId).toBe(ANA);
  });

  it('answers bad input ephemerally and writes nothing', async () => {
    const incident = await openIncident(bot, 'bad-1');
    const countAll = async () => [await bot.db.statusUpdate.count(), await bot.db.incidentRole.count({ where: { incidentId: incident.id } }), await bot.db.timelineEvent.count({ where: { incidentId: incident.id } })];
    await waitFor(async () => (await bot.db.timelineEvent.count({ where: { incidentId: incident.id, type: 'slack.message_posted' } })) === 1, { what: 'incident settled' });
    const before = await countAll();

    expect(await (await command('CGENERAL', 'update the database is back', L1)).answer()).toContain('Run this in an incident channel, or name the incident');
    expect(await (await command('CGENERAL', 'update', L1)).answer()).toContain('Run this in an incident channel, or name the incident');
    expect(await (await command('CGENERAL', 'update INC-99999 text', L1)).answer()).toContain('There is no incident INC-99999');
    const unknown = await (await command(incident.channelId, 'role pilot me', L1)).answer();
    expect(unknown).toContain('There is no role `pilot`');
    expect(unknown).toContain('`commander`, `comms`, `scribe`');
    expect(await (await command(incident.channelId, 'role comms <!subteam^S0PMGROUP|@pms>', L1)).answer()).toContain('A role goes to one person, not a user group');

    const empty = await postInteraction(bot.url, SIGNING_SECRET, viewSubmissionPayload({
      userId: L1,
      callbackId: 'status-update-modal',
      privateMetadata: incident.id,
      title: 'Stakeholder update',
      submit: 'Post',
      values: {
        status: { status: { type: 'static_select', selected_option: { text: { type: 'plain_text', text: 'Monitoring' }, value: 'monitoring' } } },
        summary: { text: { type: 'plain_text_input', value: '   ' } },
        impact: { text: { type: 'plain_text_input', value: 'lots' } },
        next: { next: { type: 'static_select', selected_option: { text: { type: 'plain_text', text: 'The usual cadence' }, value: 'default' } } },
      },
    }));
    expect(empty.status).toBe(200);
    expect(JSON.parse(empty.body)).toMatchObject({ response_action: 'errors', errors: { summary: expect.stringContaining('Say what is happening') } });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await countAll()).toEqual(before);
  });
});

describe('subscriptions from an L3 page', () => {
  let bot: TestBot;
  let sink: Awaited<ReturnType<typeof startResponseSink>>;
  const command = slashCommands(
    () => bot,
    () => sink,
  );
  beforeAll(async () => {
    bot = await startTestBot({ config: { escalation: { default: { levels: [{ level: 'L1', notify: [L1], ack_timeout: '1s' }, { level: 'L2', notify: [L2], ack_timeout: '1s' }, { level: 'L3', notify: [PM] }], repeat_every: '1s' } } } });
    sink = await startResponseSink();
  });
  afterAll(async () => {
    await bot.stop();
    await sink.close();
  });

  it('subscribes whoever is paged at L3 once: a repeat page does not subscribe again someone who unsubscribed', async () => {
    const incident = await openIncident(bot, 'repeat-1');
    await waitFor(() => bot.db.subscription.findFirst({ where: { incidentId: incident.id, userId: PM, via: 'escalation' } }), { what: 'PM subscribed at L3', timeoutMs: 15_000 });
    expect(await (await command(incident.channelId, 'unsubscribe', PM)).answer()).toContain('no longer get the updates');
    const repeats = await bot.db.escalation.count({ where: { incidentId: incident.id, reason: 'repeat' } });
    await waitFor(async () => (await bot.db.escalation.count({ where: { incidentId: incident.id, reason: 'repeat' } })) >= repeats + 2, { what: 'two more repeat pages', timeoutMs: 15_000 });
    expect(await bot.db.subscription.count({ where: { incidentId: incident.id } })).toBe(0);
    expect(await bot.db.timelineEvent.count({ where: { incidentId: incident.id, type: 'subscriber.added' } })).toBe(1);
  });
});
