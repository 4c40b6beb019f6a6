import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertmanagerPayload } from '../support/alertmanager.js';
import { startOpsService } from '../support/ops-service.js';
import { startPrometheus } from '../support/prometheus-process.js';
import { startResponseSink } from '../support/response-url-sink.js';
import { blockActionsPayload, buttonsOf, postInteraction, triggerId } from '../support/slack-interactions.js';
import { REDIS_URL, SIGNING_SECRET, startTestBot, type TestBot } from '../support/test-bot.js';
import { waitFor } from '../support/wait-for.js';

const RESPONDER = 'URESPONDER1';
const BYSTANDER = 'UBYSTANDER1';

const RUNBOOK = `---
id: checkout-down
title: Checkout is down
severity: critical
match:
  - alertname: CheckoutDown
actions:
  - { id: health, label: Check /health, kind: diagnostic, type: http, target: ops-api, request: { method: GET, path: /health }, expect: { status: 200, json: { path: $.dependencies.database, equals: up } } }
  - { id: select-1, label: Database answers, kind: diagnostic, type: postgres, target: app-db, query: "select 1 as answer" }
  - { id: redis-ping, label: Redis answers, kind: diagnostic, type: redis, target: cache, command: ping }
  - { id: prom-up, label: Prometheus targets up, kind: diagnostic, type: prometheus, target: metrics, query: 'up{job="prometheus"}', threshold: { op: '>=', value: 1 } }
  - { id: slow, label: Slow endpoint, kind: diagnostic, type: http, target: ops-api, request: { path: /slow }, timeout: 1s, retries: 0 }
  - { id: down, label: Unreachable service, kind: diagnostic, type: http, target: nowhere, request: { path: /health }, retries: 1 }
  - { id: uptime, label: Uptime command, kind: diagnostic, type: command, target: shell, argv: [uptime] }
  - { id: pause-jobs, label: Pause bulk jobs, kind: mitigation, type: http, target: ops-api, request: { method: POST, path: /api/ops/jobs/pause }, expect: { status: [200, 202] }, confirm: Pause all bulk jobs? Running jobs finish; new ones wait. }
---
## Symptoms
Checkout fails.
`;

describe('runbook action buttons', () => {
  let bot: TestBot;
  let ops: Awaited<ReturnType<typeof startOpsService>>;
  let prometheus: Awaited<ReturnType<typeof startPrometheus>>;
  let sink: Awaited<ReturnType<typeof startResponseSink>>;
  let channelId: string;
  let messageTs: string;
  let incidentId: string;
  let buttons: ReturnType<typeof buttonsOf>;

  beforeAll(async () => {
    [ops, prometheus, sink] = await Promise.all([startOpsService(), startPrometheus(), startResponseSink()]);
    const dir = await mkdtemp(path.join(tmpdir(), 'runbooks-'));
    await writeFile(path.join(dir, 'checkout-down.md'), RUNBOOK);
    bot = await startTestBot({
      env: { RUNBOOKS_DIR: dir },
      config: {
        responders: [RESPONDER],
        targets: {
          'ops-api': { type: 'http', url: ops.url },
          'app-db': { type: 'postgres', url: 'postgresql://postgres@127.0.0.1:5432/postgres' },
          cache: { type: 'redis', url: REDIS_URL },
          metrics: { type: 'prometheus', url: prometheus.url },
          nowhere: { type: 'http', url: 'http://127.0.0.1:9' },
          shell: { type: 'command' },
        },
      },
    });
    await bot.post('/webhooks/alertmanager', alertmanagerPayload({ alerts: [{ labels: { alertname: 'CheckoutDown', severity: 'critical', service: 'checkout' }, annotations: { summary: 'Checkout is down' } }] }));
    const incident = await waitFor(() => bot.db.incident.findFirst({ where: { messageTs: { not: null } } }), { what: 'incident message' });
    channelId = incident.channelId as string;
    messageTs = incident.messageTs as string;
    incidentId = incident.id;
    buttons = buttonsOf(bot.slack.messagesIn(channelId).find((message) => message.ts === messageTs)?.blocks);
  }, 60_000);
  afterAll(async () => {
    await bot?.stop();
    await Promise.all([ops?.close(), prometheus?.stop(), sink?.close()]);
  });

  const button = (actionId: string) => {
    const found = buttons.find((candidate) => candidate.action_id === `run-action:${actionId}`);
    if (!found) throw new Error(`no button for ${actionId}`);
    return found;
  };
  const press = (actionId: string, userId = RESPONDER, options: { triggerId?: string; headers?: Record<string, string> } = {}) =>
    postInteraction(bot.url, SIGNING_SECRET, blockActionsPayload({ userId, channelId, messageTs, button: button(actionId), responseUrl: `${sink.url}/actions/${actionId}/${userId}`, triggerId: options.triggerId }), options.headers);
  const finishedRun = (actionId: string) => waitFor(() => bot.db.actionRun.findFirst({ where: { actionId, finishedAt: { not: null } }, orderBy: { requestedAt: 'desc' } }), { what: `${actionId} finished`, timeoutMs: 20_000 });
  const threadText = () => JSON.stringify(bot.slack.messagesIn(channelId).filter((message) => message.thread_ts === messageTs && message.ts !== messageTs));

  it('shows a button per action, diagnostics and mitigations apart, mitigations asking for confirmation', () => {
    expect(buttons.map((candidate) => candidate.action_id).filter((id) => id.startsWith('run-action:'))).toEqual(['health', 'select-1', 'redis-ping', 'prom-up', 'slow', 'down', 'uptime', 'pause-jobs'].map((id) => `run-action:${id}`));
    const mitigation = button('pause-jobs');
    expect(mitigation.style).toBe('danger');
    expect(mitigation.confirm).toMatchObject({ text: { text: 'Pause all bulk jobs? Running jobs finish; new ones wait.' } });
    expect(button('health').confirm).toBeUndefined();
    expect(button('health').block_id).not.toBe(mitigation.block_id);
  });

  it('runs an http diagnostic: acknowledged at once, "running … requested by", then the result in the thread', async () => {
    const response = await press('health');
    expect(response.status).toBe(200);
    const run = await finishedRun('health');
    expect(run).toMatchObject({ status: 'succeeded', ok: true, requestedBy: RESPONDER, attempts: 1 });
    expect(run.figures).toMatchObject({ status: 200 });
    expect(run.output).toContain('"database":"up"');
    await waitFor(() => threadText().includes('Check /health* succeeded'), { what: 'result in thread' });
    expect(threadText()).toContain(`Running *Check /health* (diagnostic) requested by <@${RESPONDER}>`);
    const events = await bot.db.timelineEvent.findMany({ where: { incidentId, type: { startsWith: 'action.' } }, orderBy: { id: 'asc' } });
    expect(events.map((event) => [event.type, event.actor])).toEqual([
      ['action.requested', RESPONDER],
      ['action.started', 'worker'],
      ['action.succeeded', 'worker'],
    ]);
  });

  it('runs postgres, redis and prometheus diagnostics against real services', async () => {
    await Promise.all([press('select-1'), press('redis-ping'), press('prom-up')]);
    const [pg, redis, prom] = await Promise.all([finishedRun('select-1'), finishedRun('redis-ping'), finishedRun('prom-up')]);
    expect(pg).toMatchObject({ status: 'succeeded' });
    expect(pg.figures).toMatchObject({ rowCount: 1 });
    expect(pg.output).toContain('answer');
    expect(redis).toMatchObject({ status: 'succeeded' });
    expect(redis.output).toContain('PONG');
    expect(prom).toMatchObject({ status: 'succeeded', ok: true });
    expect(prom.figures).toMatchObject({ value: 1 });
  });

  it('reports a timeout, a target that is down, and a command the operator did not enable', async () => {
    await Promise.all([press('slow'), press('down'), press('uptime')]);
    const [slow, down, uptime] = await Promise.all([finishedRun('slow'), finishedRun('down'), finishedRun('uptime')]);
    expect(slow).toMatchObject({ status: 'timed_out', attempts: 1 });
    expect(down).toMatchObject({ status: 'failed', attempts: 2 });
    // Its duration covers both attempts and the 1 s backoff between them, not the last attempt only.
    expect(down.durationMs).toBeGreaterThanOrEqual(1_000);
    await waitFor(() => /failed in \d+\.\d s after 2 attempts/.test(threadText()), { what: 'the whole duration in the thread' });
    expect(uptime).toMatchObject({ status: 'failed', attempts: 1 });
    expect(uptime.error).toContain('disabled');
    await waitFor(() => threadText().includes('Slow endpoint* timed out'), { what: 'timeout in thread' });
  });

  it('shows "running …" in the thread while a slow action runs, not only with its result', async () => {
    // An incident of its own, so its channel has no backlog of messages ahead of this one.
    await bot.post('/webhooks/alertmanager', alertmanagerPayload({ groupLabels: { alertname: 'CheckoutDown', service: 'checkout-eu' }, alerts: [{ labels: { alertname: 'CheckoutDown', severity: 'critical', service: 'checkout-eu' }, annotations: { summary: 'Checkout EU is down' } }] }));
    const other = await waitFor(() => bot.db.incident.findFirst({ where: { title: 'Checkout EU is down', messageTs: { not: null } } }), { what: 'second incident' });
    await waitFor(async () => (await bot.db.channelPost.count({ where: { incidentId: other.id, postedAt: null } })) === 0, { what: 'second channel quiet' });
    const slowButton = buttonsOf(bot.slack.messagesIn(other.channelId as string).find((message) => message.ts === other.messageTs)?.blocks).find((candidate) => candidate.action_id === 'run-action:slow');
    expect(slowButton).toBeDefined();
    await postInteraction(bot.url, SIGNING_SECRET, blockActionsPayload({ userId: RESPONDER, channelId: other.channelId as string, messageTs: other.messageTs as string, button: slowButton as NonNullable<typeof slowButton>, responseUrl: `${sink.url}/actions/slow-eu` }));
    const run = await waitFor(() => bot.db.actionRun.findFirst({ where: { incidentId: other.id, actionId: 'slow', finishedAt: { not: null } } }), { what: 'slow action finished' });
    const running = bot.slack.callsTo('chat.postMessage').find((call) => call.args.channel === other.channelId && String(call.args.text).includes('Running *Slow endpoint*'));
    expect(running?.at).toBeLessThan(run.finishedAt?.getTime() ?? 0);
  });

  it('refuses a mitigation to someone who is not a responder, ephemerally and on the timeline', async () => {
    expect((await press('pause-jobs', BYSTANDER)).status).toBe(200);
    const refusal = await waitFor(() => sink.received.find((entry) => entry.path === `/actions/pause-jobs/${BYSTANDER}`), { what: 'ephemeral refusal' });
    expect(refusal.body).toMatchObject({ response_type: 'ephemeral', replace_original: false, text: expect.stringContaining('Only responders may run mitigations') });
    expect(await bot.db.timelineEvent.count({ where: { incidentId, type: 'action.refused', actor: BYSTANDER } })).toBe(1);
    expect(await bot.db.actionRun.count({ where: { actionId: 'pause-jobs' } })).toBe(0);
    expect(ops.calls.get('POST /api/ops/jobs/pause') ?? 0).toBe(0);
  });

  it('runs a mitigation once for a double click and for Slack retries of a press', async () => {
    const trigger = triggerId();
    const presses = await Promise.all([
      press('pause-jobs', RESPONDER, { triggerId: trigger }),
      press('pause-jobs', RESPONDER, { triggerId: trigger, headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } }),
      press('pause-jobs', RESPONDER),
    ]);
    expect(presses.map((response) => response.status)).toEqual([200, 200, 200]);
    const run = await finishedRun('pause-jobs');
    expect(run).toMatchObject({ status: 'succeeded', attempts: 1 });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await bot.db.actionRun.count({ where: { actionId: 'pause-jobs' } })).toBe(1);
    expect(ops.calls.get('POST /api/ops/jobs/pause')).toBe(1);
  });

  it('refuses bad signatures, stale timestamps, unknown actions and malformed payloads, running nothing', async () => {
    const before = await bot.db.actionRun.count();
    const payload = blockActionsPayload({ userId: RESPONDER, channelId, messageTs, button: button('health'), responseUrl: `${sink.url}/actions/bad` });
    expect((await postInteraction(bot.url, 'wrong-secret', payload)).status).toBe(401);
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    const { signedHeaders } = await import('../support/slack-signing.js');
    const stale = await fetch(`${bot.url}/slack/events`, { method: 'POST', headers: signedHeaders(SIGNING_SECRET, body, Math.floor(Date.now() / 1000) - 301), body });
    expect(stale.status).toBe(401);

    const unknown = { ...button('health'), action_id: 'run-action:drop-database', value: JSON.stringify({ incidentId, actionId: 'drop-database' }) };
    expect((await postInteraction(bot.url, SIGNING_SECRET, blockActionsPayload({ userId: RESPONDER, channelId, messageTs, button: unknown, responseUrl: `${sink.url}/actions/unknown` }))).status).toBe(200);
    const answer = await waitFor(() => sink.received.find((entry) => entry.path === '/actions/unknown'), { what: 'unknown-action answer' });
    expect(answer.body.text).toContain('no longer has an action "drop-database"');

    const malformedBody = 'payload=%7Bnot-json';
    const malformed = await fetch(`${bot.url}/slack/events`, { method: 'POST', headers: signedHeaders(SIGNING_SECRET, malformedBody), body: malformedBody });
    expect(malformed.status).toBeGreaterThanOrEqual(400);
    expect(malformed.status).toBeLessThan(500);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await bot.db.actionRun.count()).toBe(before);
  });

  it('re-posts the runbook with /incident runbook, and its buttons work after a restart', async () => {
    const { slashCommandBody, signedHeaders } = await import('../support/slack-signing.js');
    const body = slashCommandBody({ text: 'runbook', channelId, responseUrl: `${sink.url}/commands/runbook` });
    expect((await fetch(`${bot.url}/slack/events`, { method: 'POST', headers: signedHeaders(SIGNING_SECRET, body), body })).status).toBe(200);
    const reposted = await waitFor(() => bot.slack.messagesIn(channelId).find((message) => message.text?.startsWith('📖 Runbook: Checkout is down')), { what: 'runbook re-posted' });
    const repostedButtons = buttonsOf(reposted.blocks);
    expect(repostedButtons.map((candidate) => candidate.action_id)).toContain('run-action:health');

    await bot.restart();
    const health = repostedButtons.find((candidate) => candidate.action_id === 'run-action:health');
    const before = await bot.db.actionRun.count({ where: { actionId: 'health' } });
    const response = await postInteraction(bot.url, SIGNING_SECRET, blockActionsPayload({ userId: RESPONDER, channelId, messageTs: reposted.ts, button: health as NonNullable<typeof health>, responseUrl: `${sink.url}/actions/after-restart` }));
    expect(response.status).toBe(200);
    await waitFor(async () => (await bot.db.actionRun.count({ where: { actionId: 'health', status: 'succeeded' } })) === before + 1, { what: 'run after restart' });
  });
});
