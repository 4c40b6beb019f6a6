import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertmanagerPayload, dbAlert } from '../support/alertmanager.js';
import { startTestBot, type TestBot } from '../support/test-bot.js';
import { waitFor } from '../support/wait-for.js';

describe('concurrent deliveries of one new alert group', () => {
  let first: TestBot;
  let second: TestBot;
  beforeAll(async () => {
    first = await startTestBot();
    // A second bot process of the same deployment: same database, same queues.
    second = await startTestBot({ shareWith: first });
  });
  afterAll(async () => {
    await second.stop();
    await first.stop();
  });

  it('opens exactly one incident and one channel for 20 concurrent deliveries across two processes', async () => {
    const groupLabels = { alertname: 'ApiDatabaseUnavailable' };
    // Twenty notifications of the same group, each with another instance firing, split over both processes.
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_v, i) => (i % 2 === 0 ? first : second).post('/webhooks/alertmanager', alertmanagerPayload({ groupLabels, alerts: [dbAlert({ instance: `api-${i}:8080` })] }))),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(20).fill(200));
    await waitFor(async () => (await first.db.webhookDelivery.count({ where: { processedAt: null } })) === 0, { what: 'all deliveries processed' });
    await waitFor(async () => (await first.db.channelPost.count({ where: { postedAt: null } })) === 0 && (await first.db.incident.count({ where: { messageTs: null } })) === 0, { what: 'slack caught up' });

    expect(await first.db.incident.count()).toBe(1);
    expect(first.slack.callsTo('conversations.create').filter((call) => call.ok)).toHaveLength(1);
    const incident = await first.db.incident.findFirstOrThrow();
    expect(await first.db.alert.count({ where: { incidentId: incident.id } })).toBe(20);
    expect(await first.db.timelineEvent.count({ where: { incidentId: incident.id, type: 'alert.received' } })).toBe(20);
    expect(await first.db.timelineEvent.count({ where: { incidentId: incident.id, type: 'incident.opened' } })).toBe(1);
    // The incident message was posted once; every later alert was announced exactly once.
    const messages = first.slack.messagesIn(incident.channelId as string);
    const announced = messages.filter((message) => /new alerts? firing/.test(message.text ?? '')).map((message) => Number(/🔥 (\d+)/.exec(message.text ?? '')?.[1]));
    expect(announced.reduce((sum, n) => sum + n, 0)).toBe(19);
    expect(messages.filter((message) => message.text?.includes(`INC-${incident.number}`) && !message.thread_ts)).toHaveLength(1);
  });

  it('treats 20 concurrent identical deliveries as one', async () => {
    const payload = alertmanagerPayload({ alerts: [dbAlert({ labels: { alertname: 'PaymentProviderErrors', service: 'payments' } })] });
    const responses = await Promise.all(Array.from({ length: 20 }, (_v, i) => (i % 2 === 0 ? first : second).post('/webhooks/alertmanager', payload)));
    const outcomes = responses.map((response) => (response.json as { status: string }).status);
    expect(outcomes.filter((outcome) => outcome === 'accepted')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome === 'duplicate')).toHaveLength(19);
    await waitFor(async () => (await first.db.incident.count()) === 2, { what: 'second incident' });
  });
});
