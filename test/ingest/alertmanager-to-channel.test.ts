import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertmanagerPayload, dbAlert } from '../support/alertmanager.js';
import { loadRunbooks } from '../../src/runbooks/load-runbooks.js';
import { buttonsOf } from '../support/slack-interactions.js';
import { RUNBOOKS_DIR, startTestBot, type TestBot } from '../support/test-bot.js';
import { waitFor } from '../support/wait-for.js';

const today = () => new Date().toISOString().slice(0, 10).replaceAll('-', '');

async function incidentChannel(bot: TestBot, title = 'api-cannot-reach-its-database') {
  return waitFor(() => bot.slack.channelByName(`inc-${today()}-${title}`), { what: 'incident channel' });
}

async function timelineTypes(bot: TestBot, incidentId: string): Promise<string[]> {
  const events = await bot.db.timelineEvent.findMany({ where: { incidentId }, orderBy: { id: 'asc' } });
  return events.map((event) => event.type);
}

describe('an Alertmanager alert becomes an incident channel with its runbook', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot();
  });
  afterAll(async () => {
    await bot.stop();
  });

  it('stores the notification before answering, then opens the channel and posts the incident message', async () => {
    const payload = alertmanagerPayload({ alerts: [dbAlert()] });
    const response = await bot.post('/webhooks/alertmanager', payload);
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ status: 'accepted', alerts: 1 });

    // Stored, alerts and all, by the time Alertmanager got its 2xx.
    const delivery = await bot.db.webhookDelivery.findFirstOrThrow();
    expect(delivery.payload).toMatchObject({ receiver: 'incident-bot', truncatedAlerts: 0, alerts: [{ fingerprint: payload.alerts[0]?.fingerprint, status: 'firing' }] });

    const channel = await incidentChannel(bot);
    const incident = await waitFor(() => bot.db.incident.findFirst({ where: { messageTs: { not: null } } }), { what: 'incident message' });
    const alerts = await bot.db.alert.findMany();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ name: 'ApiDatabaseUnavailable', status: 'firing', fingerprint: payload.alerts[0]?.fingerprint, incidentId: incident.id, lastDeliveryId: delivery.id });
    expect(incident).toMatchObject({ status: 'open', severity: 'critical', channelId: channel.id, title: 'API cannot reach its database' });
    expect(channel.topic).toContain('CRITICAL');
    expect(channel.topic).toContain(`INC-${incident.number}`);

    const [message] = bot.slack.messagesIn(channel.id);
    const blocksText = JSON.stringify(message?.blocks);
    expect(blocksText).toContain('CRITICAL');
    expect(blocksText).toContain('Open');
    expect(blocksText).toContain('API cannot reach its database');
    expect(blocksText).toContain('More than 50% of requests fail');
    expect(blocksText).toContain('service=api');
    expect(blocksText).toContain('http://prometheus.example:9090/graph');
    expect(blocksText).toContain('http://alertmanager.example:9093');
    expect(incident.runbookId).toBeTruthy();
    expect(blocksText).toContain('Runbook');
    expect(blocksText).toContain('Symptoms');
    // One button per action the matched runbook declares.
    const runbook = (await loadRunbooks(RUNBOOKS_DIR)).find((candidate) => candidate.id === incident.runbookId);
    expect(buttonsOf(message?.blocks).map((button) => button.action_id).filter((id) => id.startsWith('run-action:'))).toEqual(runbook?.actions.map((action) => `run-action:${action.id}`));

    await waitFor(async () => (await timelineTypes(bot, incident.id)).includes('runbook.posted'), { what: 'runbook.posted event' });
    expect(await timelineTypes(bot, incident.id)).toEqual(['incident.opened', 'alert.received', 'slack.channel_created', 'slack.message_posted', 'runbook.posted']);
    const opened = await bot.db.timelineEvent.findFirstOrThrow({ where: { incidentId: incident.id, type: 'incident.opened' } });
    expect(opened).toMatchObject({ actor: 'alertmanager', source: 'alert' });
  });

  it('recognises a redelivery and changes nothing', async () => {
    const payload = alertmanagerPayload({ alerts: [dbAlert()] });
    const before = { deliveries: await bot.db.webhookDelivery.count(), posts: bot.slack.callsTo('chat.postMessage').length, events: await bot.db.timelineEvent.count() };
    const response = await bot.post('/webhooks/alertmanager', payload);
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ status: 'duplicate' });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await bot.db.webhookDelivery.count()).toBe(before.deliveries);
    expect(await bot.db.timelineEvent.count()).toBe(before.events);
    expect(bot.slack.callsTo('chat.postMessage')).toHaveLength(before.posts);
    expect(bot.slack.callsTo('conversations.create').filter((call) => call.ok)).toHaveLength(1);
  });

  it('adds a new alert of the same group to the incident with a short message, not a new channel', async () => {
    const channel = await incidentChannel(bot);
    const payload = alertmanagerPayload({ alerts: [dbAlert(), dbAlert({ instance: 'api-2:8080' })] });
    expect((await bot.post('/webhooks/alertmanager', payload)).status).toBe(200);
    const note = await waitFor(() => bot.slack.messagesIn(channel.id).find((message) => message.text?.includes('1 new alert firing')), { what: 'new-alert message' });
    expect(JSON.stringify(note.blocks)).toContain('api-2:8080');
    expect(bot.slack.callsTo('conversations.create').filter((call) => call.ok)).toHaveLength(1);
    // The incident message is kept current: its alert count now says 2 firing.
    await waitFor(() => bot.slack.callsTo('chat.update').some((call) => JSON.stringify(call.args).includes('2 firing')), { what: 'incident message update' });
    expect(await bot.db.alert.count({ where: { incidentId: { not: null } } })).toBe(2);
  });

  it('marks alerts resolved and says so in the channel', async () => {
    const channel = await incidentChannel(bot);
    const payload = alertmanagerPayload({ alerts: [dbAlert({ status: 'resolved' }), dbAlert({ instance: 'api-2:8080', status: 'resolved' })] });
    expect(payload.status).toBe('resolved');
    expect((await bot.post('/webhooks/alertmanager', payload)).status).toBe(200);
    await waitFor(() => bot.slack.messagesIn(channel.id).find((message) => message.text?.includes('2 alerts resolved')), { what: 'resolved message' });
    expect(await bot.db.alert.count({ where: { status: 'resolved' } })).toBe(2);
    const incident = await bot.db.incident.findFirstOrThrow();
    const resolvedEvents = await bot.db.timelineEvent.findMany({ where: { incidentId: incident.id, type: 'alert.resolved' } });
    expect(resolvedEvents).toHaveLength(2);
    // A late retry of the old "firing" notification must not bring the alerts back.
    const stale = alertmanagerPayload({ alerts: [dbAlert({ instance: 'api-2:8080' })] });
    expect((await bot.post('/webhooks/alertmanager', stale)).json).toMatchObject({ status: 'accepted' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await bot.db.alert.count({ where: { status: 'resolved' } })).toBe(2);
  });

  it('counts what happened in /metrics, in Prometheus text format', async () => {
    const response = await fetch(`${bot.url}/metrics`);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(text).toMatch(/incident_bot_webhooks_received_total\{source="alertmanager",outcome="accepted"\} 4/);
    expect(text).toMatch(/incident_bot_webhooks_received_total\{source="alertmanager",outcome="duplicate"\} 1/);
    expect(text).toMatch(/incident_bot_incidents_opened_total\{source="alertmanager",severity="critical"\} 1/);
    expect(text).toMatch(/incident_bot_queue_jobs\{queue="incidents",state="waiting"\} 0/);
    expect(text).toContain('# TYPE incident_bot_slack_api_errors_total counter');
  });

  it('keeps an alert title that looks like Slack syntax inert in the notification text, the message and the topic', async () => {
    const title = 'Disk <!channel> full <https://evil.example|Runbook> & more';
    await bot.post('/webhooks/alertmanager', alertmanagerPayload({ alerts: [{ labels: { alertname: 'SlackSyntax', severity: 'warning' }, annotations: { summary: title } }] }));
    const incident = await waitFor(() => bot.db.incident.findFirst({ where: { title, messageTs: { not: null } } }), { what: 'incident message' });
    const channelId = incident.channelId as string;
    const escaped = 'Disk &lt;!channel&gt; full &lt;https://evil.example|Runbook&gt; &amp; more';
    const posted = bot.slack.callsTo('chat.postMessage').find((call) => call.args.channel === channelId && call.args.ts === undefined);
    expect(String(posted?.args.text)).toContain(escaped);
    expect(String(posted?.args.text)).not.toContain('<!channel>');
    const mrkdwnTexts = JSON.stringify(posted?.args.blocks).match(/"type":"mrkdwn","text":"(?:[^"\\\\]|\\\\.)*"/g) ?? [];
    expect(mrkdwnTexts.join('\n')).toContain(escaped);
    expect(mrkdwnTexts.join('\n')).not.toContain('<!channel>');
    const topic = await waitFor(() => bot.slack.callsTo('conversations.setTopic').find((call) => call.args.channel === channelId), { what: 'topic' });
    expect(String(topic.args.topic)).toContain(escaped);
  });
});
