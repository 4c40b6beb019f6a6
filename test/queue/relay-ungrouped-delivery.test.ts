import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertmanagerPayload, dbAlert } from '../support/alertmanager.js';
import { startTestBot, type TestBot } from '../support/test-bot.js';
import { waitFor } from '../support/wait-for.js';

describe('a pending delivery stored without its alert group (by an earlier version)', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot();
  });
  afterAll(async () => {
    await bot.stop();
  });

  it('is queued on its own by the relay, given its group, and correlated into the group incident', async () => {
    await bot.post('/webhooks/alertmanager', alertmanagerPayload({ alerts: [dbAlert()] }));
    const incident = await waitFor(() => bot.db.incident.findFirst({ where: { messageTs: { not: null } } }), { what: 'incident message' });
    await bot.post('/webhooks/alertmanager', alertmanagerPayload({ alerts: [dbAlert(), dbAlert({ instance: 'api-2:8080' })] }));
    const late = await bot.db.webhookDelivery.findFirstOrThrow({ orderBy: { receivedAt: 'desc' } });
    await waitFor(async () => (await bot.db.webhookDelivery.findUniqueOrThrow({ where: { id: late.id } })).processedAt !== null, { what: 'second delivery processed' });

    // As an earlier version left it: pending, no group, no job in Redis.
    await bot.bot.deps.queues.incidents.obliterate({ force: true });
    await bot.db.webhookDelivery.update({ where: { id: late.id }, data: { processedAt: null, groupKey: null } });
    const processed = await waitFor(
      async () => {
        const current = await bot.db.webhookDelivery.findUniqueOrThrow({ where: { id: late.id } });
        return current.processedAt !== null ? current : undefined;
      },
      { what: 'delivery processed again', timeoutMs: 20_000 },
    );
    expect(processed.groupKey).toBe(incident.groupKey);
    expect(await bot.db.alert.count({ where: { incidentId: incident.id } })).toBe(2);
    expect(await bot.db.incident.count()).toBe(1);
  });
});
