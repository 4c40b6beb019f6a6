import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertmanagerPayload } from '../support/alertmanager.js';
import { startBotProcess, type BotProcess } from '../support/bot-process.js';
import type { Message } from '../support/fake-slack/index.js';
import { BOT_TOKEN, REDIS_URL, startTestBot, type TestBot } from '../support/test-bot.js';
import { waitFor } from '../support/wait-for.js';

/** Long enough that the worker is killed while it still waits for Slack's answer. */
const HELD_MS = 40_000;

describe('a worker killed (SIGKILL) right after Slack acted, before it saw the answer', () => {
  let api: TestBot;
  let configFile: string;
  let runbooksDir: string;
  const workers: BotProcess[] = [];

  // The deployment's defaults (no WORKER_LOCK_MS): the recovery measured is the one operators get.
  const workerEnv = () => ({
    ROLE: 'worker',
    DATABASE_URL: api.databaseUrl,
    REDIS_URL,
    QUEUE_PREFIX: api.queuePrefix,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_API_URL: api.slack.url,
    RUNBOOKS_DIR: runbooksDir,
    CONFIG_FILE: configFile,
    LOG_LEVEL: 'info',
  });

  /** A running worker that has started its queues (its own log says so). */
  async function readyWorker(): Promise<BotProcess> {
    const worker = startBotProcess(workerEnv());
    workers.push(worker);
    await waitFor(() => worker.output().includes('workers started'), { what: 'worker up', timeoutMs: 30_000 }).catch((error: unknown) => {
      throw new Error(`${String(error)}\n${worker.output().slice(0, 3000)}`);
    });
    return worker;
  }

  beforeAll(async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'bot-'));
    configFile = path.join(root, 'incident-bot.yml');
    runbooksDir = path.join(root, 'runbooks');
    await mkdir(runbooksDir);
    await writeFile(path.join(runbooksDir, 'default.md'), '---\nid: default\ntitle: Triage\ndefault: true\n---\n## Symptoms\nSomething fired.\n');
    await writeFile(configFile, JSON.stringify({ incidents: { storm_threshold: 0 } }));
    api = await startTestBot({ env: { ROLE: 'api', RUNBOOKS_DIR: runbooksDir } });
  }, 60_000);
  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.stop()));
    await api?.stop();
  });

  const fire = (alertname: string, status: 'firing' | 'resolved' = 'firing') =>
    api.post('/webhooks/alertmanager', alertmanagerPayload({ alerts: [{ status, labels: { alertname, severity: 'warning' }, annotations: { summary: `${alertname} summary` } }] }));
  const channelsFor = (alertname: string) => [...api.slack.channels.values()].filter((channel) => channel.name.includes(alertname.toLowerCase()));
  const incidentMessages = (channelId: string, incidentId: string): Message[] =>
    api.slack.messagesIn(channelId).filter((message) => JSON.stringify(message.metadata ?? {}).includes(incidentId) && JSON.stringify(message.metadata).includes('incident_message'));

  async function expectOneCurrentMessage(alertname: string) {
    const incident = await waitFor(() => api.db.incident.findFirst({ where: { title: { contains: alertname }, messageTs: { not: null } } }), { what: 'incident message', timeoutMs: 30_000 });
    const channelId = incident.channelId as string;
    expect(channelsFor(alertname).map((channel) => channel.id)).toEqual([channelId]);
    expect(incidentMessages(channelId, incident.id).map((message) => message.ts)).toEqual([incident.messageTs]);
    expect((await fire(alertname, 'resolved')).status).toBe(200);
    await waitFor(() => JSON.stringify(api.slack.messagesIn(channelId).find((message) => message.ts === incident.messageTs)?.blocks ?? []).includes('0 firing · 1 resolved'), { what: 'the kept message updated', timeoutMs: 30_000 });
    expect(incidentMessages(channelId, incident.id)).toHaveLength(1);
  }

  it('after conversations.create: the new incident gets its one channel within 15 s of the kill', async () => {
    const first = await readyWorker();
    api.slack.failNext('conversations.create', { afterActing: true, delayMs: HELD_MS, match: (args) => String(args.name).includes('killedaftercreate') });
    expect((await fire('KilledAfterCreate')).status).toBe(200);
    await waitFor(() => channelsFor('KilledAfterCreate').length === 1, { what: 'Slack created the channel', timeoutMs: 30_000 });
    const second = await readyWorker();
    expect(second.child.exitCode).toBeNull();

    await first.crash();
    const killedAt = Date.now();
    const incident = await waitFor(() => api.db.incident.findFirst({ where: { title: { contains: 'KilledAfterCreate' }, channelId: { not: null }, messageTs: { not: null } } }), { what: 'the channel after the kill', timeoutMs: 30_000 });
    const recoveredMs = Date.now() - killedAt;
    expect(recoveredMs).toBeLessThan(15_000);
    expect(incident.channelName).toBe(channelsFor('KilledAfterCreate')[0]?.name);
    await expectOneCurrentMessage('KilledAfterCreate');
  }, 120_000);

  it('after chat.postMessage: the incident keeps one message, the one kept current', async () => {
    const first = workers.find((worker) => worker.child.exitCode === null && worker.child.signalCode === null) ?? (await readyWorker());
    api.slack.failNext('chat.postMessage', { afterActing: true, delayMs: HELD_MS, match: (args) => JSON.stringify(args.metadata ?? {}).includes('incident_message') });
    expect((await fire('KilledAfterPost')).status).toBe(200);
    const channel = await waitFor(() => channelsFor('KilledAfterPost')[0], { what: 'the channel', timeoutMs: 30_000 });
    await waitFor(() => api.slack.messagesIn(channel.id).some((message) => JSON.stringify(message.metadata ?? {}).includes('incident_message')), { what: 'Slack posted the incident message', timeoutMs: 30_000 });
    await readyWorker();

    await first.crash();
    await expectOneCurrentMessage('KilledAfterPost');
  }, 120_000);
});
