import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertmanagerPayload } from '../support/alertmanager.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack/index.js';
import { startTestBot, type TestBot } from '../support/test-bot.js';
import { waitFor } from '../support/wait-for.js';

const escalation = {
  default: {
    levels: [
      { level: 'L1', notify: ['UL1ONCALL'], ack_timeout: '2s' },
      { level: 'L2', notify: ['UL2LEAD'], ack_timeout: '1h' },
    ],
  },
};

let counter = 0;
async function openIncident(bot: TestBot) {
  counter++;
  const summary = `Resilience test ${counter}`;
  await bot.post('/webhooks/alertmanager', alertmanagerPayload({ alerts: [{ labels: { alertname: `ResilienceTest${counter}`, severity: 'warning' }, annotations: { summary } }] }));
  return waitFor(() => bot.db.incident.findFirst({ where: { title: summary, messageTs: { not: null } } }), { what: 'incident posted' });
}

const l2Pings = (slack: FakeSlack, channelId: string) => slack.messagesIn(channelId).filter((message) => (message.text ?? '').includes('escalated to *L2*')).length;

describe('escalation survives restarts, an empty Redis and several workers', () => {
  let slack: FakeSlack;
  let bot: TestBot;
  beforeAll(async () => {
    slack = await startFakeSlack();
    bot = await startTestBot({ slack, config: { escalation } });
  });
  afterAll(async () => {
    await bot.stop();
    await slack.close();
  });

  it('fires once after the process restarts during the wait', async () => {
    const incident = await openIncident(bot);
    await bot.restart();
    await waitFor(async () => (await bot.db.escalation.count({ where: { incidentId: incident.id } })) === 2, { what: 'L2 after restart', timeoutMs: 15_000 });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await bot.db.escalation.count({ where: { incidentId: incident.id, level: 2 } })).toBe(1);
    await waitFor(() => l2Pings(slack, incident.channelId as string) === 1, { what: 'one L2 ping' });
  });

  it('fires once when Redis lost every job while waiting', async () => {
    const incident = await openIncident(bot);
    await bot.bot.deps.queues.escalations.obliterate({ force: true });
    expect(await bot.bot.deps.queues.escalations.getDelayedCount()).toBe(0);
    await waitFor(async () => (await bot.db.escalation.count({ where: { incidentId: incident.id } })) === 2, { what: 'L2 rebuilt from Postgres', timeoutMs: 15_000 });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await bot.db.escalation.count({ where: { incidentId: incident.id, level: 2 } })).toBe(1);
    await waitFor(() => l2Pings(slack, incident.channelId as string) === 1, { what: 'one L2 ping' });
  });

  it('pings each level once with two worker processes on the same queues', async () => {
    const second = await startTestBot({ shareWith: bot, config: { escalation } });
    try {
      const incidents = await Promise.all([openIncident(bot), openIncident(bot), openIncident(bot)]);
      for (const incident of incidents) {
        await waitFor(async () => (await bot.db.escalation.count({ where: { incidentId: incident.id } })) === 2, { what: 'L2', timeoutMs: 15_000 });
      }
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      for (const incident of incidents) {
        expect(await bot.db.escalation.count({ where: { incidentId: incident.id } })).toBe(2);
        await waitFor(() => l2Pings(slack, incident.channelId as string) === 1, { what: 'one L2 ping' });
        expect(slack.messagesIn(incident.channelId as string).filter((message) => (message.text ?? '').includes('L1* paged'))).toHaveLength(1);
      }
    } finally {
      await second.stop();
    }
  });
});
