import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
});
