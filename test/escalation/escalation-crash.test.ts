import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../src/db/client.js';
import { alertmanagerPayload } from '../support/alertmanager.js';
import { startBotProcess, type BotProcess } from '../support/bot-process.js';
import { createTestDatabase } from '../support/databases.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack/index.js';
import { BOT_TOKEN, REDIS_URL, SIGNING_SECRET } from '../support/test-bot.js';
import { waitFor } from '../support/wait-for.js';
import { freePort } from '../support/free-port.js';


describe('the bot process killed while an escalation waits', () => {
  let slack: FakeSlack;
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let db: Db;
  let env: Record<string, string>;
  const processes: BotProcess[] = [];

  beforeAll(async () => {
    slack = await startFakeSlack();
    database = await createTestDatabase();
    db = createDb(database.url, 2);
    const root = await mkdtemp(path.join(tmpdir(), 'bot-'));
    await mkdir(path.join(root, 'runbooks'));
    await writeFile(path.join(root, 'runbooks', 'default.md'), '---\nid: default\ntitle: Triage\ndefault: true\n---\n## Symptoms\nSomething fired.\n');
    const config = { escalation: { default: { levels: [{ level: 'L1', notify: ['UL1ONCALL'], ack_timeout: '4s' }, { level: 'L2', notify: ['UL2LEAD'] }] } } };
    await writeFile(path.join(root, 'incident-bot.yml'), JSON.stringify(config));
    env = {
      DATABASE_URL: database.url,
      REDIS_URL,
      QUEUE_PREFIX: `crash-${Date.now()}`,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.url,
      RUNBOOKS_DIR: path.join(root, 'runbooks'),
      CONFIG_FILE: path.join(root, 'incident-bot.yml'),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
    };
  });
  afterAll(async () => {
    await Promise.all(processes.map((bot) => bot.stop()));
    await db.$disconnect();
    await database.drop();
    await slack.close();
  });

  it('fires the escalation once after the restart, late by no more than the restart', async () => {
    const port = await freePort();
    const first = startBotProcess({ ...env, PORT: String(port) });
    processes.push(first);
    const url = `http://127.0.0.1:${port}`;
    await waitFor(async () => (await fetch(`${url}/health`)).status === 200, { what: 'first process up', timeoutMs: 30_000 });
    const payload = alertmanagerPayload({ alerts: [{ labels: { alertname: 'CrashTest', severity: 'warning' }, annotations: { summary: 'Crash test' } }] });
    expect((await fetch(`${url}/webhooks/alertmanager`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) })).status).toBe(200);
    const incident = await waitFor(() => db.incident.findFirst({ where: { messageTs: { not: null }, nextEscalationAt: { not: null } } }), { what: 'incident with a deadline', timeoutMs: 20_000 });
    await waitFor(() => slack.messagesIn(incident.channelId as string).some((message) => (message.text ?? '').includes('L1* paged')), { what: 'L1 paged', timeoutMs: 20_000 });

    await first.crash();
    const down = Date.now();
    const second = startBotProcess({ ...env, PORT: String(await freePort()) });
    processes.push(second);

    const l2 = await waitFor(() => db.escalation.findFirst({ where: { incidentId: incident.id, step: 2 } }), { what: 'L2 after the crash', timeoutMs: 30_000 });
    const restartTook = Date.now() - down;
    const lateness = l2.at.getTime() - (incident.nextEscalationAt as Date).getTime();
    expect(lateness).toBeLessThanOrEqual(Math.max(0, restartTook));
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await db.escalation.count({ where: { incidentId: incident.id } })).toBe(2);
    await waitFor(() => slack.messagesIn(incident.channelId as string).filter((message) => (message.text ?? '').includes('escalated to *L2*')).length === 1, { what: 'one L2 ping', timeoutMs: 40_000 });
  }, 90_000);
});
