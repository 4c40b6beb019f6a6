import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sentryBatch } from '../../src/ingest/sentry/sentry-batch.js';
import { parseSentryWebhook, type SentryResource } from '../../src/ingest/sentry/sentry-payload.js';
import { SENTRY_SECRET, eventAlertPayload, issuePayload, metricAlertPayload, postSentry, sentryBody, sentryHeaders } from '../support/sentry.js';
import { startBotBehindPostgresProxy, type BotBehindProxy } from '../support/postgres-behind-proxy.js';
import type { TcpProxy } from '../support/tcp-proxy.js';
import { startTestBot, type TestBot } from '../support/test-bot.js';
import { waitFor } from '../support/wait-for.js';

const ISSUE_ID = '4507213398';
const ISSUE_URL = `https://acme.sentry.io/issues/${ISSUE_ID}/`;

// Runbooks of this test: one for connection errors in the backend, one for fatal errors in
// production, and the default. They declare no actions, so they need no targets.
const RUNBOOKS: Record<string, string> = {
  'backend-db-connection.md': `---
id: backend-db-connection
title: Backend cannot reach its database
severity: critical
match:
  - source: sentry
    project: backend
    title: "/connection (refused|reset)/i"
---
## Symptoms
Requests fail with connection errors.
`,
  'production-fatal.md': `---
id: production-fatal
title: Fatal error in production
severity: critical
match:
  - source: sentry
    environment: production
    level: fatal
---
## Symptoms
A process crashed.
`,
  'default.md': `---
id: default
title: General triage
default: true
---
## Diagnostics
Look at the source.
`,
};

async function runbooksDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'sentry-runbooks-'));
  for (const [file, text] of Object.entries(RUNBOOKS)) await writeFile(path.join(dir, file), text);
  return dir;
}

function incidentFor(bot: TestBot, groupKey: string) {
  return waitFor(() => bot.db.incident.findFirst({ where: { groupKey, messageTs: { not: null } } }), { what: `incident message for ${groupKey}` });
}

function messageWith(bot: TestBot, channelId: string, text: string) {
  return waitFor(() => bot.slack.messagesIn(channelId).find((message) => message.text?.includes(text)), { what: `"${text}" in the channel` });
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 400));

describe('Sentry webhooks become incidents', () => {
  let bot: TestBot;
  let dir: string;
  beforeAll(async () => {
    dir = await runbooksDir();
    bot = await startTestBot({ env: { SENTRY_CLIENT_SECRET: SENTRY_SECRET, RUNBOOKS_DIR: dir } });
  });
  afterAll(async () => {
    await bot.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('opens an incident for issue.created, linking back to the Sentry issue, with the runbook matched on project and title', async () => {
    const payload = issuePayload({ action: 'created' });
    const response = await postSentry(bot, 'issue', payload);
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ status: 'accepted', alerts: 1 });

    // Stored before the 2xx, and the stored payload is Sentry's JSON as it came.
    const delivery = await bot.db.webhookDelivery.findFirstOrThrow();
    expect(delivery).toMatchObject({ source: 'sentry', payload });

    const incident = await incidentFor(bot, `sentry:issue:${ISSUE_ID}`);
    const [alert] = await bot.db.alert.findMany();
    expect(alert).toMatchObject({ source: 'sentry', fingerprint: `sentry:issue:${ISSUE_ID}`, status: 'firing', groupKey: `sentry:issue:${ISSUE_ID}`, generatorUrl: ISSUE_URL, incidentId: incident.id, lastDeliveryId: delivery.id });
    expect(alert?.startsAt.toISOString()).toBe('2026-11-24T03:00:12.417Z');
    expect(alert?.labels).toEqual({ project: 'backend', level: 'error', severity: 'major', title: payload.data.issue.title, culprit: 'app.db.pool in acquire', issue: 'BACKEND-4F2' });
    expect(incident).toMatchObject({ source: 'sentry', status: 'open', severity: 'major', runbookId: 'backend-db-connection', title: payload.data.issue.title });
    const channel = bot.slack.channelByName(incident.channelName as string);
    expect(channel?.name).toMatch(/^inc-\d{8}-operationalerror-connection-refused-host-db-primary-port-5432$/);
    const [message] = bot.slack.messagesIn(incident.channelId as string);
    const blocks = JSON.stringify(message?.blocks);
    expect(blocks).toContain(ISSUE_URL);
    expect(blocks).toContain('https://acme.sentry.io/issues/?project=4504851234567168');
    expect(blocks).toContain('project=backend');
    expect(blocks).toContain('Backend cannot reach its database');
    const opened = await bot.db.timelineEvent.findFirstOrThrow({ where: { incidentId: incident.id, type: 'incident.opened' } });
    expect(opened).toMatchObject({ actor: 'sentry', source: 'alert' });
  });

  it('recognises a redelivery of the same bytes and changes nothing', async () => {
    const before = { deliveries: await bot.db.webhookDelivery.count(), events: await bot.db.timelineEvent.count(), posts: bot.slack.callsTo('chat.postMessage').length };
    const response = await postSentry(bot, 'issue', issuePayload({ action: 'created' }));
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ status: 'duplicate' });
    await settle();
    expect(await bot.db.webhookDelivery.count()).toBe(before.deliveries);
    expect(await bot.db.timelineEvent.count()).toBe(before.events);
    expect(bot.slack.callsTo('chat.postMessage')).toHaveLength(before.posts);
  });

  it('joins event alerts of the same issue to the same incident', async () => {
    const incident = await incidentFor(bot, `sentry:issue:${ISSUE_ID}`);
    // A "new issue" rule fires on the issue's first event: the same alert as issue.created.
    const first = await postSentry(bot, 'event_alert', eventAlertPayload({ eventId: '8c2f1d0e9b7a46f3a1e5d4c3b2a19087', datetime: '2026-11-24T03:00:12.417000Z', rule: 'New backend issue' }));
    expect(first.json).toMatchObject({ status: 'duplicate' });

    // A frequency rule fires later on another event of the issue: a new alert, same incident.
    const later = eventAlertPayload({ eventId: 'f0e1d2c3b4a5968778695a4b3c2d1e0f', datetime: '2026-11-24T03:05:31.208000Z', rule: 'Backend issue seen 100 times in 1h' });
    const response = await postSentry(bot, 'event_alert', later);
    expect(response.json).toMatchObject({ status: 'accepted' });
    const note = await messageWith(bot, incident.channelId as string, '1 new alert firing');
    // An event alert names the issue page by the event's web_url (sentry.io/organizations/<org>/…).
    expect(JSON.stringify(note.blocks)).toContain(`https://sentry.io/organizations/acme/issues/${ISSUE_ID}/|source`);
    const alerts = await bot.db.alert.findMany({ where: { fingerprint: `sentry:issue:${ISSUE_ID}` }, orderBy: { startsAt: 'asc' } });
    expect(alerts.map((alert) => [alert.startsAt.toISOString(), alert.incidentId])).toEqual([
      ['2026-11-24T03:00:12.417Z', incident.id],
      ['2026-11-24T03:05:31.208Z', incident.id],
    ]);
    expect(alerts[1]?.labels).toMatchObject({ project: 'backend', environment: 'production', level: 'error', rule: 'Backend issue seen 100 times in 1h' });
    expect(await bot.db.incident.count({ where: { groupKey: `sentry:issue:${ISSUE_ID}` } })).toBe(1);
  });

  it('resolves every alert of the issue on issue.resolved, says so, and resolves the incident', async () => {
    const incident = await incidentFor(bot, `sentry:issue:${ISSUE_ID}`);
    const response = await postSentry(bot, 'issue', issuePayload({ action: 'resolved' }));
    expect(response.json).toMatchObject({ status: 'accepted' });
    // The issue's first alert and the one a later event alert fired: both close.
    await messageWith(bot, incident.channelId as string, '2 alerts resolved');
    const alerts = await bot.db.alert.findMany({ where: { fingerprint: `sentry:issue:${ISSUE_ID}` }, orderBy: { startsAt: 'asc' } });
    expect(alerts.map((alert) => [alert.status, alert.recordedStatus])).toEqual([
      ['resolved', 'resolved'],
      ['resolved', 'resolved'],
    ]);
    expect(alerts[0]?.endsAt?.toISOString()).toBe('2026-11-24T03:07:45.902Z');
    expect(await bot.db.timelineEvent.count({ where: { incidentId: incident.id, type: 'alert.resolved' } })).toBe(2);
    await waitFor(async () => (await bot.db.incident.findUniqueOrThrow({ where: { id: incident.id } })).status === 'resolved', { what: 'incident auto-resolved' });
  });

  it('fires again on issue.unresolved (a regression) as a new alert of the same issue', async () => {
    const response = await postSentry(bot, 'issue', issuePayload({ action: 'unresolved', lastSeen: '2026-11-24T05:42:03.551000+00:00' }));
    expect(response.json).toMatchObject({ status: 'accepted' });
    const regression = await waitFor(() => bot.db.alert.findFirst({ where: { fingerprint: `sentry:issue:${ISSUE_ID}`, startsAt: new Date('2026-11-24T05:42:03.551Z'), recordedStatus: 'firing' } }), { what: 'regression recorded' });
    expect(regression.status).toBe('firing');
    const incidents = await bot.db.incident.findMany({ where: { groupKey: `sentry:issue:${ISSUE_ID}` } });
    expect(incidents).toHaveLength(1);
    expect(regression.incidentId).toBe(incidents[0]?.id);
  });

  it('accepts issue.assigned and stores nothing', async () => {
    const before = await bot.db.webhookDelivery.count();
    const response = await postSentry(bot, 'issue', issuePayload({ action: 'assigned' }));
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ status: 'ignored', resource: 'issue', action: 'assigned' });
    expect(await bot.db.webhookDelivery.count()).toBe(before);
  });

  it('answers 200 for resources and actions it does not act on, so Sentry does not count failures', async () => {
    const before = await bot.db.webhookDelivery.count();
    const installation = { action: 'created', installation: { uuid: '7a4d2c1e-9b3f-4e5a-8c6d-0f1e2d3c4b5a' }, data: { installation: { app: { uuid: 'c0ffee00-1111-2222-3333-444455556666', slug: 'incident-bot' }, organization: { slug: 'acme' }, uuid: '7a4d2c1e-9b3f-4e5a-8c6d-0f1e2d3c4b5a' } }, actor: { type: 'user', id: '2931847', name: 'Dana Ops' } };
    expect((await postSentry(bot, 'installation', installation)).json).toEqual({ status: 'ignored', resource: 'installation', action: null });
    expect((await postSentry(bot, 'metric_alert', { ...metricAlertPayload({ action: 'critical' }), action: 'snoozed' })).json).toEqual({ status: 'ignored', resource: 'metric_alert', action: 'snoozed' });
    expect(await bot.db.webhookDelivery.count()).toBe(before);
  });

  it('matches runbooks on environment and level, and falls back to the default runbook', async () => {
    const fatal = eventAlertPayload({ issueId: '4507219911', eventId: '3b9d5e1f7a2c4e6f8091a2b3c4d5e6f7', datetime: '2026-11-24T06:12:44.090000Z', project: 'worker', level: 'fatal', title: "KeyError: 'tenant_id'", culprit: 'app.jobs.billing in run' });
    expect((await postSentry(bot, 'event_alert', fatal)).json).toMatchObject({ status: 'accepted' });
    const fatalIncident = await incidentFor(bot, 'sentry:issue:4507219911');
    expect(fatalIncident).toMatchObject({ runbookId: 'production-fatal', severity: 'critical' });
    expect(fatalIncident.labels).toMatchObject({ project: 'worker', environment: 'production', level: 'fatal', title: "KeyError: 'tenant_id'" });
    // The event page and the issue page are both linked.
    const [message] = bot.slack.messagesIn(fatalIncident.channelId as string);
    expect(JSON.stringify(message?.blocks)).toContain('https://sentry.io/organizations/acme/issues/4507219911/');
    expect(JSON.stringify(message?.blocks)).toContain('/issues/4507219911/events/3b9d5e1f7a2c4e6f8091a2b3c4d5e6f7/');

    // A connection error in another project does not match the backend runbook.
    const web = issuePayload({ action: 'created', id: '4507220304', title: 'Error: connection reset by peer', project: { id: '4504851234999001', slug: 'web', platform: 'node' } });
    expect((await postSentry(bot, 'issue', web)).json).toMatchObject({ status: 'accepted' });
    expect(await incidentFor(bot, 'sentry:issue:4507220304')).toMatchObject({ runbookId: 'default', severity: 'major' });
  });

  it('opens an incident for metric_alert critical and resolves its alert on resolved', async () => {
    const critical = await postSentry(bot, 'metric_alert', metricAlertPayload({ action: 'critical' }));
    expect(critical.json).toMatchObject({ status: 'accepted' });
    const incident = await incidentFor(bot, 'sentry:metric_alert:91827');
    expect(incident).toMatchObject({ title: 'Checkout error rate above 5%', severity: 'critical', runbookId: 'default', summary: 'Critical: Checkout error rate above 5%' });
    expect(incident.labels).toMatchObject({ project: 'checkout', environment: 'production', title: 'Checkout error rate above 5%' });
    expect(JSON.stringify(bot.slack.messagesIn(incident.channelId as string)[0]?.blocks)).toContain('https://sentry.io/organizations/acme/alerts/318/');

    // Dropping to warning is the same Sentry incident still firing: nothing new.
    expect((await postSentry(bot, 'metric_alert', metricAlertPayload({ action: 'warning' }))).json).toMatchObject({ status: 'duplicate' });

    const resolved = await postSentry(bot, 'metric_alert', metricAlertPayload({ action: 'resolved', dateClosed: '2026-11-24T04:31:00.000000Z' }));
    expect(resolved.json).toMatchObject({ status: 'accepted' });
    await messageWith(bot, incident.channelId as string, '1 alert resolved');
    const alert = await bot.db.alert.findFirstOrThrow({ where: { fingerprint: 'sentry:metric_alert:771203' } });
    expect(alert).toMatchObject({ status: 'resolved', groupKey: 'sentry:metric_alert:91827' });
    expect(alert.endsAt?.toISOString()).toBe('2026-11-24T04:31:00.000Z');
  });

  it('counts Sentry deliveries in /metrics', async () => {
    const text = await (await fetch(`${bot.url}/metrics`)).text();
    expect(text).toMatch(/incident_bot_webhooks_received_total\{source="sentry",outcome="accepted"\} 8/);
    expect(text).toMatch(/incident_bot_webhooks_received_total\{source="sentry",outcome="duplicate"\} 3/);
    expect(text).toMatch(/incident_bot_webhooks_received_total\{source="sentry",outcome="ignored"\} 3/);
  });
});

describe('bad input on POST /webhooks/sentry', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot({ env: { SENTRY_CLIENT_SECRET: SENTRY_SECRET, WEBHOOK_BODY_LIMIT: '65536' } });
  });
  afterAll(async () => {
    await bot.stop();
  });

  async function expectNothingStored() {
    expect(await bot.db.webhookDelivery.count()).toBe(0);
    expect(await bot.db.alert.count()).toBe(0);
  }

  it('refuses a missing signature with 401', async () => {
    const body = sentryBody(issuePayload({ action: 'created' }));
    const { 'sentry-hook-signature': _signature, ...unsigned } = sentryHeaders('issue', body);
    const response = await bot.post('/webhooks/sentry', body, unsigned);
    expect(response.status).toBe(401);
    expect(response.json).toEqual({ error: { code: 'UNAUTHORIZED', message: expect.stringContaining('Sentry-Hook-Signature'), details: { reason: 'missing_signature', retryable: false } } });
    await expectNothingStored();
  });

  it('refuses a signature made with another secret with 401, and never logs either', async () => {
    const body = sentryBody(issuePayload({ action: 'created' }));
    const headers = sentryHeaders('issue', body, 'not-the-client-secret');
    const response = await bot.post('/webhooks/sentry', body, headers);
    expect(response.status).toBe(401);
    expect(response.json).toMatchObject({ error: { code: 'UNAUTHORIZED', details: { reason: 'invalid_signature' } } });
    const logs = bot.logs.join('');
    expect(logs).not.toContain(headers['sentry-hook-signature']);
    expect(logs).not.toContain(SENTRY_SECRET);
    // The signature is checked before anything is parsed: broken JSON with a bad signature is a 401.
    const garbage = await bot.post('/webhooks/sentry', '{"action":', sentryHeaders('issue', '{"action":', 'not-the-client-secret'));
    expect(garbage.status).toBe(401);
    await expectNothingStored();
  });

  it('refuses a malformed signature header with 401', async () => {
    const body = sentryBody(issuePayload({ action: 'created' }));
    const response = await bot.post('/webhooks/sentry', body, { ...sentryHeaders('issue', body), 'sentry-hook-signature': 'sha256=abc' });
    expect(response.status).toBe(401);
    expect(response.json).toMatchObject({ error: { details: { reason: 'invalid_signature' } } });
    await expectNothingStored();
  });

  it('refuses a body serialised again after signing (pretty-printed, reordered, or with raw UTF-8) with 401', async () => {
    const payload = issuePayload({ action: 'created' });
    const body = sentryBody(payload);
    const headers = sentryHeaders('issue', body);
    const { action, ...rest } = payload;
    for (const reserialised of [JSON.stringify(payload, null, 2), sentryBody({ ...rest, action }), JSON.stringify(payload)]) {
      expect(reserialised).not.toBe(body);
      const response = await bot.post('/webhooks/sentry', reserialised, headers);
      expect(response.status).toBe(401);
      expect(response.json).toMatchObject({ error: { details: { reason: 'invalid_signature' } } });
    }
    await expectNothingStored();
  });

  it('refuses malformed JSON with 400', async () => {
    const body = '{"action":"created","data":{"issue":';
    const response = await bot.post('/webhooks/sentry', body, sentryHeaders('issue', body));
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({ error: { code: 'VALIDATION_ERROR', details: { reason: 'malformed_json', retryable: false } } });
    await expectNothingStored();
  });

  it('refuses a payload of the wrong shape with 400 naming the field', async () => {
    const payload = issuePayload({ action: 'created' });
    const { firstSeen: _firstSeen, ...issue } = payload.data.issue;
    const response = await postSentry(bot, 'issue', { ...payload, data: { issue: { ...issue, project: 'backend' } } });
    expect(response.status).toBe(400);
    const error = (response.json as { error: { code: string; message: string; details: { reason: string } } }).error;
    expect(error).toMatchObject({ code: 'VALIDATION_ERROR', details: { reason: 'invalid_payload' } });
    expect(error.message).toContain('data.issue.firstSeen');
    expect(error.message).toContain('data.issue.project');
    await expectNothingStored();
  });

  it('refuses a payload whose shape is not that of the resource header with 400', async () => {
    const response = await postSentry(bot, 'issue', metricAlertPayload({ action: 'resolved' }));
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({ error: { code: 'VALIDATION_ERROR', details: { reason: 'invalid_payload' } } });
    // The worker tells resources apart by shape (data.metric_alert, data.event, data.issue): a
    // payload it would read as another resource is refused rather than stored.
    const issue = issuePayload({ action: 'created' });
    const ambiguous = await postSentry(bot, 'issue', { ...issue, data: { ...issue.data, event: { event_id: 'e4874d664c3540c1a32eab185f12c5ab' } } });
    expect(ambiguous.status).toBe(400);
    expect(ambiguous.json).toMatchObject({ error: { details: { reason: 'resource_mismatch' } } });
    const noResource = sentryBody(issuePayload({ action: 'created' }));
    const { 'sentry-hook-resource': _resource, ...headers } = sentryHeaders('issue', noResource);
    const missing = await bot.post('/webhooks/sentry', noResource, headers);
    expect(missing.status).toBe(400);
    expect(missing.json).toMatchObject({ error: { details: { reason: 'missing_resource' } } });
    await expectNothingStored();
  });

  it('refuses a wrong content type with 415 and an oversized body with 413', async () => {
    const body = sentryBody(issuePayload({ action: 'created' }));
    const wrongType = await bot.post('/webhooks/sentry', body, { ...sentryHeaders('issue', body), 'content-type': 'text/plain' });
    expect(wrongType.status).toBe(415);
    const huge = sentryBody(issuePayload({ action: 'created', culprit: 'x'.repeat(70_000) }));
    const tooLarge = await bot.post('/webhooks/sentry', huge, sentryHeaders('issue', huge));
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.json).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE', details: { reason: 'body_too_large' } } });
    await expectNothingStored();
  });
});

describe('POST /webhooks/sentry without SENTRY_CLIENT_SECRET', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot();
  });
  afterAll(async () => {
    await bot.stop();
  });

  it('is disabled: 404 saying which variable to set', async () => {
    const response = await postSentry(bot, 'issue', issuePayload({ action: 'created' }));
    expect(response.status).toBe(404);
    expect(response.json).toEqual({ error: { code: 'NOT_FOUND', message: expect.stringContaining('SENTRY_CLIENT_SECRET'), details: { reason: 'sentry_disabled', retryable: false } } });
    expect(await bot.db.webhookDelivery.count()).toBe(0);
  });
});

describe('POST /webhooks/sentry while Postgres is unavailable', () => {
  let proxy: TcpProxy;
  let bot: TestBot;
  let behind: BotBehindProxy;
  beforeAll(async () => {
    behind = await startBotBehindPostgresProxy({ env: { SENTRY_CLIENT_SECRET: SENTRY_SECRET } });
    ({ bot, postgres: proxy } = behind);
  });
  afterAll(async () => {
    await behind.stop();
  });

  it('answers 503 so that Sentry retries, and accepts the retry once Postgres is back', async () => {
    await proxy.down();
    const response = await postSentry(bot, 'issue', issuePayload({ action: 'created' }));
    expect(response.status).toBe(503);
    expect(response.json).toMatchObject({ error: { code: 'UNAVAILABLE', details: { reason: 'database_unavailable', retryable: true } } });
    await proxy.up();
    const retry = await waitFor(async () => {
      const attempt = await postSentry(bot, 'issue', issuePayload({ action: 'created' }));
      return attempt.status === 200 ? attempt : undefined;
    }, { what: 'retry accepted' });
    expect(retry.json).toMatchObject({ status: 'accepted' });
    await incidentFor(bot, `sentry:issue:${ISSUE_ID}`);
  });
});

describe('what each Sentry resource and action means', () => {
  function translate(resource: SentryResource, payload: unknown) {
    const parsed = parseSentryWebhook(resource, JSON.parse(sentryBody(payload)));
    if (!parsed.success) throw parsed.error;
    return sentryBatch(parsed.webhook);
  }

  it.each([
    ['created', 'firing', '2026-11-24T03:00:12.417Z'],
    ['unresolved', 'firing', '2026-11-24T03:07:45.902Z'],
    ['resolved', 'resolved', '2026-11-24T03:00:12.417Z'],
    ['ignored', 'resolved', '2026-11-24T03:00:12.417Z'],
    ['archived', 'resolved', '2026-11-24T03:00:12.417Z'],
  ] as const)('issue.%s → %s, starting at %s', (action, status, startsAt) => {
    const batch = translate('issue', issuePayload({ action }));
    expect(batch).toMatchObject({ source: 'sentry', groupKey: `sentry:issue:${ISSUE_ID}`, status, externalUrl: 'https://acme.sentry.io/issues/?project=4504851234567168' });
    expect(batch?.alerts).toHaveLength(1);
    expect(batch?.alerts[0]).toMatchObject({ fingerprint: `sentry:issue:${ISSUE_ID}`, status, generatorUrl: ISSUE_URL, annotations: { summary: expect.stringContaining('connection refused'), description: 'app.db.pool in acquire' } });
    expect(batch?.alerts[0]?.startsAt.toISOString()).toBe(startsAt);
    expect(batch?.alerts[0]?.endsAt?.toISOString() ?? null).toBe(status === 'resolved' ? '2026-11-24T03:07:45.902Z' : null);
  });

  it('issue.assigned is accepted and ignored', () => {
    expect(translate('issue', issuePayload({ action: 'assigned' }))).toBeUndefined();
  });

  it('event_alert.triggered fires the issue\'s alert group, linking to the issue page', () => {
    const batch = translate('event_alert', eventAlertPayload({ eventId: 'e4874d664c3540c1a32eab185f12c5ab', datetime: '2026-11-24T03:05:31.208000Z' }));
    expect(batch).toMatchObject({ groupKey: `sentry:issue:${ISSUE_ID}`, status: 'firing', externalUrl: `https://sentry.io/organizations/acme/issues/${ISSUE_ID}/events/e4874d664c3540c1a32eab185f12c5ab/` });
    expect(batch?.alerts[0]).toMatchObject({ fingerprint: `sentry:issue:${ISSUE_ID}`, generatorUrl: `https://sentry.io/organizations/acme/issues/${ISSUE_ID}/`, labels: { project: 'backend', environment: 'production', level: 'error', severity: 'major' } });
  });

  it.each([
    ['critical', 'firing', 'critical'],
    ['warning', 'firing', 'major'],
    ['open', 'firing', 'major'],
    ['resolved', 'resolved', undefined],
  ] as const)('metric_alert.%s → %s (severity %s)', (action, status, severity) => {
    const batch = translate('metric_alert', metricAlertPayload({ action }));
    expect(batch).toMatchObject({ groupKey: 'sentry:metric_alert:91827', status, title: 'Checkout error rate above 5%' });
    expect(batch?.alerts[0]).toMatchObject({ fingerprint: 'sentry:metric_alert:771203', generatorUrl: 'https://sentry.io/organizations/acme/alerts/318/' });
    expect(batch?.alerts[0]?.labels.severity).toBe(severity);
    expect(batch?.alerts[0]?.startsAt.toISOString()).toBe('2026-11-24T04:10:00.000Z');
  });

  it.each([
    ['fatal', 'critical'],
    ['error', 'major'],
    ['warning', 'minor'],
    ['info', 'minor'],
    ['debug', 'minor'],
  ])('level %s → severity %s', (level, severity) => {
    expect(translate('issue', issuePayload({ action: 'created', level }))?.alerts[0]?.labels.severity).toBe(severity);
  });
});
