import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertmanagerPayload, dbAlert } from '../support/alertmanager.js';
import { startTestBot, type TestBot } from '../support/test-bot.js';
import { waitFor } from '../support/wait-for.js';

describe('the relay rebuilds pending work from Postgres', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot();
  });
  afterAll(async () => {
    await bot.stop();
  });

  it('queues again a delivery whose job Redis lost, and settles an action run whose job is gone', async () => {
    await bot.post('/webhooks/alertmanager', alertmanagerPayload({ alerts: [dbAlert()] }));
    const incident = await waitFor(() => bot.db.incident.findFirst({ where: { messageTs: { not: null } } }), { what: 'incident message' });

    // Redis restarted empty: the queues know nothing of this stored, unprocessed delivery.
    await bot.bot.deps.queues.incidents.obliterate({ force: true });
    await bot.post('/webhooks/alertmanager', alertmanagerPayload({ alerts: [dbAlert({ instance: 'api-9:8080' })] }));
    const lateDelivery = await bot.db.webhookDelivery.findFirstOrThrow({ orderBy: { receivedAt: 'desc' } });
    await bot.bot.deps.queues.incidents.obliterate({ force: true });
    await bot.db.webhookDelivery.update({ where: { id: lateDelivery.id }, data: { processedAt: null } });
    await waitFor(async () => (await bot.db.webhookDelivery.findUniqueOrThrow({ where: { id: lateDelivery.id } })).processedAt !== null, { what: 'delivery processed again', timeoutMs: 20_000 });
    expect(await bot.db.alert.count({ where: { incidentId: incident.id } })).toBe(2);

    // A mitigation that was running when its job vanished is settled for a human, never re-run.
    const run = await bot.db.actionRun.create({
      data: { incidentId: incident.id, runbookId: incident.runbookId as string, actionId: 'lost', kind: 'mitigation', type: 'http', label: 'Lost mitigation', requestedBy: 'U1', pressKey: 'lost-press', activeKey: `${incident.id}:lost`, status: 'running', attempts: 1, startedAt: new Date(Date.now() - 11 * 60_000) },
    });
    const settled = await waitFor(async () => {
      const current = await bot.db.actionRun.findUniqueOrThrow({ where: { id: run.id } });
      return current.status === 'outcome_unknown' ? current : undefined;
    }, { what: 'lost run settled', timeoutMs: 20_000 });
    expect(settled.activeKey).toBeNull();
    await waitFor(() => bot.slack.messagesIn(incident.channelId as string).some((message) => (message.text ?? '').includes('Lost mitigation outcome unknown')), { what: 'thread notice', timeoutMs: 20_000 });
  });
});
