import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelName } from '../../src/incidents/channel-name.js';
import { alertmanagerPayload } from '../support/alertmanager.js';
import type { Message } from '../support/fake-slack/index.js';
import { startTestBot, type TestBot } from '../support/test-bot.js';
import { waitFor } from '../support/wait-for.js';

/** The top-level messages of a channel that carry an incident's metadata (what a retry looks for). */
function incidentMessages(messages: Message[], incidentId: string): Message[] {
  return messages.filter((message) => JSON.stringify(message.metadata ?? {}).includes(incidentId) && JSON.stringify(message.metadata).includes('incident_message') && (!message.thread_ts || message.thread_ts === message.ts));
}

describe('Slack acted but its answer was lost', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot();
  });
  afterAll(async () => {
    await bot.stop();
  });

  const fire = (alertname: string, status: 'firing' | 'resolved' = 'firing') =>
    bot.post('/webhooks/alertmanager', alertmanagerPayload({ alerts: [{ status, labels: { alertname, severity: 'warning' }, annotations: { summary: `${alertname} summary` } }] }));

  /** Every channel of the workspace the bot made for this alert, whatever its suffix. */
  const channelsFor = (alertname: string) => [...bot.slack.channels.values()].filter((channel) => channel.name.includes(alertname.toLowerCase()));

  async function expectOneChannelAndOneCurrentMessage(alertname: string) {
    const incident = await waitFor(() => bot.db.incident.findFirst({ where: { title: { contains: alertname }, messageTs: { not: null } } }), { what: `${alertname} incident message` });
    expect(channelsFor(alertname).map((channel) => channel.name)).toEqual([incident.channelName]);
    expect(incident.channelName).not.toMatch(/-\d$/);
    const messages = incidentMessages(bot.slack.messagesIn(incident.channelId as string), incident.id);
    expect(messages.map((message) => message.ts)).toEqual([incident.messageTs]);
    // The message that stays is the one kept current: resolving the alert updates it.
    expect((await fire(alertname, 'resolved')).status).toBe(200);
    await waitFor(() => JSON.stringify(bot.slack.messagesIn(incident.channelId as string).find((message) => message.ts === incident.messageTs)?.blocks ?? []).includes('0 firing · 1 resolved'), { what: 'the incident message showing the resolution' });
    expect(incidentMessages(bot.slack.messagesIn(incident.channelId as string), incident.id)).toHaveLength(1);
    expect(channelsFor(alertname)).toHaveLength(1);
  }

  it('adopts the channel a lost conversations.create answer left behind, under its recorded name', async () => {
    bot.slack.failNext('conversations.create', { afterActing: true, status: 502, match: (args) => String(args.name).includes('lostcreateanswer') });
    expect((await fire('LostCreateAnswer')).status).toBe(200);
    await expectOneChannelAndOneCurrentMessage('LostCreateAnswer');
    // Slack created the channel once; the retry was answered name_taken and adopted it.
    expect(bot.slack.callsTo('conversations.create').filter((call) => call.error === 'name_taken' && String(call.args.name).includes('lostcreateanswer'))).toHaveLength(1);
  });

  it('adopts the incident message a dropped chat.postMessage answer left behind', async () => {
    // Only the incident message's answer is lost; other posts go through.
    bot.slack.failNext('chat.postMessage', { afterActing: true, drop: true, match: (args) => JSON.stringify(args.metadata ?? {}).includes('incident_message') });
    expect((await fire('LostPostAnswer')).status).toBe(200);
    await expectOneChannelAndOneCurrentMessage('LostPostAnswer');
    expect(bot.slack.callsTo('conversations.history').length).toBeGreaterThan(0);
  });

  it('never adopts a channel of that name someone else made: the incident moves to -2', async () => {
    const name = channelName('inc', new Date(), 'HandMadeName summary');
    bot.slack.createChannel({ name, creator: 'UHUMAN0001', members: ['UHUMAN0001'] });
    expect((await fire('HandMadeName')).status).toBe(200);
    const incident = await waitFor(() => bot.db.incident.findFirst({ where: { title: { contains: 'HandMadeName' }, messageTs: { not: null } } }), { what: 'HandMadeName incident message' });
    expect(incident.channelName).toBe(`${name}-2`);
    expect(bot.slack.messagesIn(name)).toHaveLength(0);
  });

  it('posts a timeline message once when its answer is lost', async () => {
    expect((await fire('LostPostOfTimeline')).status).toBe(200);
    const incident = await waitFor(() => bot.db.incident.findFirst({ where: { title: { contains: 'LostPostOfTimeline' }, messageTs: { not: null } } }), { what: 'incident message' });
    const channelId = incident.channelId as string;
    const marked = () => bot.slack.messagesIn(channelId).filter((message) => JSON.stringify(message.metadata ?? {}).includes('incident_post'));
    const before = marked().length;
    bot.slack.failNext('chat.postMessage', { afterActing: true, status: 502, match: (args) => args.channel === channelId && JSON.stringify(args.metadata ?? {}).includes('incident_post') });
    expect((await fire('LostPostOfTimeline', 'resolved')).status).toBe(200);
    await waitFor(async () => (await bot.db.channelPost.count({ where: { incidentId: incident.id, postedAt: null } })) === 0 && marked().length > before, { what: 'the owed posts sent' });
    expect(bot.slack.callsTo('chat.postMessage').some((call) => call.status === 502 && call.args.channel === channelId)).toBe(true);
    const postIds = marked().map((message) => JSON.stringify((message.metadata as { event_payload?: unknown }).event_payload));
    expect(new Set(postIds).size).toBe(postIds.length);
    const posts = await bot.db.channelPost.findMany({ where: { incidentId: incident.id, ts: { not: null } } });
    for (const post of posts) expect(bot.slack.messagesIn(channelId).filter((message) => message.ts === post.ts)).toHaveLength(1);
  });
});

describe('a lost conversations.create answer with private incident channels', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot({ config: { incidents: { private_channels: true } } });
  });
  afterAll(async () => {
    await bot.stop();
  });

  it('adopts the private channel the lost answer left behind', async () => {
    bot.slack.failNext('conversations.create', { afterActing: true, status: 502 });
    const payload = alertmanagerPayload({ alerts: [{ labels: { alertname: 'PrivateLostCreate', severity: 'warning' }, annotations: { summary: 'Private lost create' } }] });
    expect((await bot.post('/webhooks/alertmanager', payload)).status).toBe(200);
    const incident = await waitFor(() => bot.db.incident.findFirst({ where: { messageTs: { not: null } } }), { what: 'incident message' });
    const channels = [...bot.slack.channels.values()].filter((channel) => channel.name.includes('private-lost-create'));
    expect(channels.map((channel) => [channel.id, channel.isPrivate])).toEqual([[incident.channelId, true]]);
    expect(bot.slack.callsTo('users.conversations').every((call) => call.args.types === 'private_channel')).toBe(true);
  });
});
