import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertmanagerPayload } from '../support/alertmanager.js';
import { createDb } from '../../src/db/client.js';
import { isDatabaseUnavailable } from '../../src/db/is-database-unavailable.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { startBotBehindPostgresProxy, type BotBehindProxy } from '../support/postgres-behind-proxy.js';
import { waitFor } from '../support/wait-for.js';

describe('Postgres cut while a webhook is in flight', () => {
  let behind: BotBehindProxy;
  beforeAll(async () => {
    behind = await startBotBehindPostgresProxy();
  });
  afterAll(async () => {
    await behind.stop();
  });

  it('answers 503 (database unavailable, retryable), not 500, and the retry is accepted', async () => {
    const { bot, postgres } = behind;
    const payload = alertmanagerPayload({ alerts: [{ labels: { alertname: 'CutMidRequest', severity: 'critical' }, annotations: { summary: 'Cut mid request' } }] });
    // The bot's connections are open and in use, as in production.
    for (let i = 0; i < 3; i++) expect((await bot.post('/webhooks/alertmanager', alertmanagerPayload({ alerts: [{ labels: { alertname: `Warm${i}` } }] }))).status).toBe(200);
    postgres.hold();
    const inFlight = bot.post('/webhooks/alertmanager', payload);
    // The request reached the database and waits for its answer when the connection dies.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await postgres.down({ gracefully: true });
    const response = await inFlight;
    expect(response.status).toBe(503);
    expect(response.json).toMatchObject({ error: { code: 'UNAVAILABLE', details: { reason: 'database_unavailable', retryable: true } } });

    await postgres.up();
    const retry = await waitFor(async () => {
      const attempt = await bot.post('/webhooks/alertmanager', payload);
      return attempt.status === 200 ? attempt : undefined;
    }, { what: 'retry accepted' });
    expect(retry.json).toMatchObject({ status: 'accepted' });
  });

  it('counts a connection that ends under a running query (a plain query or a transaction) as the database unavailable', async () => {
    const proxy = await new TcpProxy('127.0.0.1', 5432).start();
    const db = createDb(proxy.urlFor('postgresql://postgres@127.0.0.1:5432/postgres'), 2);
    try {
      for (const run of [() => db.$queryRaw`SELECT 1`, () => db.$transaction(async (tx) => tx.$queryRaw`SELECT 1`)]) {
        await proxy.up();
        await db.$queryRaw`SELECT 1`.catch(() => undefined);
        await db.$queryRaw`SELECT 1`;
        proxy.hold();
        const failed = run().then(() => undefined, (error: unknown) => error);
        await new Promise((resolve) => setTimeout(resolve, 200));
        await proxy.down({ gracefully: true });
        const error = await failed;
        expect(error).toBeInstanceOf(Error);
        expect(isDatabaseUnavailable(error)).toBe(true);
      }
    } finally {
      await proxy.down();
      await db.$disconnect();
    }
  });
});
