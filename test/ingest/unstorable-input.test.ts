import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boundedKey } from '../../src/incidents/bounded-key.js';
import { alertmanagerPayload, dbAlert } from '../support/alertmanager.js';
import { startTestBot, type TestBot } from '../support/test-bot.js';
import { waitFor } from '../support/wait-for.js';

// What JSON and Alertmanager allow but Postgres cannot store as it came. Refusing it with a 5xx
// would have the sender retry it forever and the alert would never reach anyone.
describe('notifications Postgres cannot store as they came', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot();
  });
  afterAll(async () => {
    await bot.stop();
  });

  it('stores NUL characters and unpaired surrogates as U+FFFD, with a warning, and opens the incident', async () => {
    const body = alertmanagerPayload({
      groupLabels: { alertname: 'ApiDatabaseUnavailable', service: 'nul-svc' },
      alerts: [dbAlert({ labels: { service: 'nul-svc', shard: 'a\uD800b' }, annotations: { description: 'pool \u0000 exhausted' } })],
    });
    const response = await bot.post('/webhooks/alertmanager', body, { 'x-request-id': 'req-nul-1' });
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ status: 'accepted' });
    const alert = await waitFor(() => bot.db.alert.findFirst({ where: { incidentId: { not: null }, labels: { path: ['service'], equals: 'nul-svc' } } }), { what: 'the alert, linked to its incident' });
    expect(alert.annotations).toMatchObject({ description: 'pool \uFFFD exhausted' });
    expect(alert.labels).toMatchObject({ shard: 'a\uFFFDb' });
    const warning = bot.logs.map((line) => JSON.parse(line) as { msg: string; replaced?: number; requestId?: string }).find((line) => line.msg.includes('cannot store'));
    // Each is also in the notification's commonLabels or commonAnnotations.
    expect(warning).toMatchObject({ replaced: 4, requestId: 'req-nul-1' });
  });

  it('correlates an alert group whose key and group-by label are too long for an index', async () => {
    // Incompressible, so Postgres cannot squeeze it under its 2,700-byte limit for an index entry.
    const service = randomBytes(2_500).toString('hex');
    const send = (instance: string) => bot.post('/webhooks/alertmanager', alertmanagerPayload({ groupLabels: { alertname: 'ApiDatabaseUnavailable', service }, alerts: [dbAlert({ instance, labels: { service } })] }));
    expect((await send('api-1:8080')).status).toBe(200);
    const incident = await waitFor(() => bot.db.incident.findFirst({ where: { groupKey: { contains: service.slice(0, 100) } }, include: { _count: { select: { alerts: true } } } }), { what: 'the long group’s incident' });
    expect(incident.groupKey.length).toBeLessThan(2_000);
    expect(incident.correlationKey?.length).toBeLessThan(2_000);
    // A later notification of the same group finds the same incident.
    expect((await send('api-2:8080')).status).toBe(200);
    await waitFor(async () => ((await bot.db.alert.count({ where: { incidentId: incident.id } })) === 2 ? true : undefined), { what: 'the second alert in the same incident' });
    expect(await bot.db.incident.count({ where: { groupKey: incident.groupKey } })).toBe(1);
  });

  it('opens the incident of a group whose key is short and whose service label is too long for an index', async () => {
    // Alertmanager groups by alertname alone; the bot still groups incidents by service.
    const service = randomBytes(2_500).toString('hex');
    const body = alertmanagerPayload({ groupLabels: { alertname: 'LongServiceLabel' }, alerts: [dbAlert({ labels: { alertname: 'LongServiceLabel', service } })] });
    expect((await bot.post('/webhooks/alertmanager', body)).status).toBe(200);
    const incident = await waitFor(() => bot.db.incident.findFirst({ where: { groupKey: { contains: 'LongServiceLabel' } } }), { what: 'the incident' });
    expect(incident.correlationKey).toMatch(new RegExp(`^service=${service.slice(0, 100)}.*sha256:[0-9a-f]{64}$`));
  });
  it('keeps the incident of a long-keyed group across the upgrade that bounds its keys', async () => {
    // A long but repetitive key: Postgres compresses it under its index limit, so a bot from before
    // bounded keys stored it whole. Its rows are put back as that bot left them.
    const service = 'checkout-'.repeat(300);
    const payload = (instance: string) => alertmanagerPayload({ groupLabels: { alertname: 'ApiDatabaseUnavailable', service }, alerts: [dbAlert({ instance, labels: { service } })] });
    const wholeKey = `alertmanager:${payload('api-1:8080').groupKey}`;
    expect((await bot.post('/webhooks/alertmanager', payload('api-1:8080'))).status).toBe(200);
    const incident = await waitFor(() => bot.db.incident.findFirst({ where: { groupKey: boundedKey(wholeKey) } }), { what: 'the incident' });
    const client = new pg.Client({ connectionString: bot.databaseUrl });
    await client.connect();
    try {
      await client.query('UPDATE incidents SET group_key = $1, active_group_key = $1, correlation_key = $2 WHERE id = $3', [wholeKey, `service=${service}`, incident.id]);
      await client.query('UPDATE alerts SET group_key = $1 WHERE incident_id = $2', [wholeKey, incident.id]);
      await client.query('UPDATE webhook_deliveries SET group_key = $1 WHERE group_key = $2', [wholeKey, boundedKey(wholeKey)]);
      await client.query(await readFile(path.resolve(import.meta.dirname, '../../prisma/migrations/20261129090000_bounded_keys/migration.sql'), 'utf8'));
    } finally {
      await client.end();
    }
    // The migration writes the keys exactly as the bot now computes them.
    expect(await bot.db.incident.findUniqueOrThrow({ where: { id: incident.id }, select: { groupKey: true, activeGroupKey: true, correlationKey: true } })).toEqual({
      groupKey: boundedKey(wholeKey),
      activeGroupKey: boundedKey(wholeKey),
      correlationKey: boundedKey(`service=${service}`),
    });
    expect(await bot.db.webhookDelivery.count({ where: { groupKey: wholeKey } })).toBe(0);

    // The group's next notification joins the incident it had.
    expect((await bot.post('/webhooks/alertmanager', payload('api-2:8080'))).status).toBe(200);
    await waitFor(async () => ((await bot.db.alert.count({ where: { incidentId: incident.id } })) === 2 ? true : undefined), { what: 'the second alert in the same incident' });
    expect(await bot.db.incident.count({ where: { correlationKey: { startsWith: 'service=checkout-' } } })).toBe(1);
  });
});
