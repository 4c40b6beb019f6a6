import { createServer, type Server } from 'node:http';
import { mkdtemp, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertmanagerPayload } from '../support/alertmanager.js';
import { startBotProcess, type BotProcess } from '../support/bot-process.js';
import { startResponseSink } from '../support/response-url-sink.js';
import { blockActionsPayload, buttonsOf, postInteraction } from '../support/slack-interactions.js';
import { BOT_TOKEN, REDIS_URL, SIGNING_SECRET, startTestBot, type TestBot } from '../support/test-bot.js';
import { waitFor } from '../support/wait-for.js';

const RESPONDER = 'URESPONDER1';

/** An ops API whose first call to each endpoint never answers (the worker dies meanwhile); later calls answer at once. */
async function startHangingOps(): Promise<{ url: string; calls: Map<string, number>; close(): Promise<void> }> {
  const calls = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const count = (calls.get(req.url ?? '') ?? 0) + 1;
    calls.set(req.url ?? '', count);
    if (count > 1) res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

describe('a worker killed in the middle of an action', () => {
  let api: TestBot;
  let ops: Awaited<ReturnType<typeof startHangingOps>>;
  let sink: Awaited<ReturnType<typeof startResponseSink>>;
  let runbooksDir: string;
  const workers: BotProcess[] = [];

  const workerEnv = () => ({
    ROLE: 'worker',
    DATABASE_URL: api.databaseUrl,
    REDIS_URL,
    QUEUE_PREFIX: api.queuePrefix,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_API_URL: api.slack.url,
    RUNBOOKS_DIR: runbooksDir,
    CONFIG_FILE: path.join(runbooksDir, '..', 'incident-bot.yml'),
    WORKER_LOCK_MS: '2000',
    LOG_LEVEL: 'info',
  });

  beforeAll(async () => {
    [ops, sink] = await Promise.all([startHangingOps(), startResponseSink()]);
    const root = await mkdtemp(path.join(tmpdir(), 'bot-'));
    runbooksDir = path.join(root, 'runbooks');
    await (await import('node:fs/promises')).mkdir(runbooksDir);
    await writeFile(
      path.join(runbooksDir, 'hang.md'),
      `---\nid: hang\ntitle: Hanging service\nmatch:\n  - alertname: HangingService\nactions:\n  - { id: probe, label: Probe, kind: diagnostic, type: http, target: ops, request: { path: /probe }, timeout: 60s, retries: 0 }\n  - { id: drain, label: Drain traffic, kind: mitigation, type: http, target: ops, request: { method: POST, path: /drain }, timeout: 60s }\n---\n## Symptoms\nIt hangs.\n`,
    );
    const config = { responders: [RESPONDER], targets: { ops: { type: 'http', url: ops.url } } };
    await writeFile(path.join(root, 'incident-bot.yml'), JSON.stringify(config));
    api = await startTestBot({ env: { ROLE: 'api', RUNBOOKS_DIR: runbooksDir }, config });
  }, 60_000);
  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.stop()));
    await api?.stop();
    await Promise.all([ops?.close(), sink?.close()]);
  });

  it('runs a diagnostic again, and marks a mitigation "outcome unknown" without re-running it', async () => {
    const first = startBotProcess(workerEnv());
    workers.push(first);
    await api.post('/webhooks/alertmanager', alertmanagerPayload({ alerts: [{ labels: { alertname: 'HangingService', severity: 'critical' }, annotations: { summary: 'Service hangs' } }] }));
    const incident = await waitFor(() => api.db.incident.findFirst({ where: { messageTs: { not: null } } }), { what: 'incident message', timeoutMs: 30_000 });
    const channelId = incident.channelId as string;
    const messageTs = incident.messageTs as string;
    const buttons = buttonsOf(api.slack.messagesIn(channelId).find((message) => message.ts === messageTs)?.blocks);
    for (const actionId of ['probe', 'drain']) {
      const button = buttons.find((candidate) => candidate.action_id === `run-action:${actionId}`);
      expect(button).toBeDefined();
      const response = await postInteraction(api.url, SIGNING_SECRET, blockActionsPayload({ userId: RESPONDER, channelId, messageTs, button: button as NonNullable<typeof button>, responseUrl: `${sink.url}/${actionId}` }));
      expect(response.status).toBe(200);
    }
    // Both runs are in flight on the first worker, waiting on the hanging ops API.
    await waitFor(() => ops.calls.get('/probe') === 1 && ops.calls.get('/drain') === 1, { what: 'both actions running', timeoutMs: 20_000 });
    expect(await api.db.actionRun.count({ where: { status: 'running' } })).toBe(2);

    await first.crash();
    const second = startBotProcess(workerEnv());
    workers.push(second);

    const probe = await waitFor(() => api.db.actionRun.findFirst({ where: { actionId: 'probe', finishedAt: { not: null } } }), { what: 'diagnostic re-run', timeoutMs: 40_000 });
    expect(probe).toMatchObject({ status: 'succeeded', attempts: 2 });
    expect(ops.calls.get('/probe')).toBe(2);

    const drain = await waitFor(() => api.db.actionRun.findFirst({ where: { actionId: 'drain', finishedAt: { not: null } } }), { what: 'mitigation settled', timeoutMs: 40_000 });
    expect(drain).toMatchObject({ status: 'outcome_unknown', attempts: 1 });
    expect(ops.calls.get('/drain')).toBe(1);
    await waitFor(() => api.slack.messagesIn(channelId).some((message) => message.thread_ts === messageTs && (message.text ?? '').includes('Drain traffic outcome unknown')), { what: 'outcome unknown in the thread', timeoutMs: 20_000 });
    expect(await api.db.timelineEvent.count({ where: { incidentId: incident.id, type: 'action.outcome_unknown' } })).toBe(1);
  }, 120_000);
});
