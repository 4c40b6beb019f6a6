/**
 * Fault benchmark: what responders see in Slack after crashes, lost answers and rate limits.
 * Real Postgres and Redis, the project's fake Slack, worker processes killed with SIGKILL.
 *
 *   npm run bench:faults [-- --groups 40 --kills 3 --lost 0.2 --recoveries 3 --settle-groups 30]
 *
 * 1. Kills and lost answers: `--groups` new alert groups arrive over a few seconds at an API
 *    process; worker processes correlate them and open their channels. A fraction `--lost` of
 *    successful conversations.create and chat.postMessage answers is lost after Slack acted (a
 *    502), and `--kills` times a worker is killed with SIGKILL right after Slack answered a
 *    create or an incident message (a fresh worker replaces it). Then: channels and incident
 *    messages per incident, orphan channels, and whether the message kept is the one updated.
 * 2. Recovery: `--recoveries` times, a new group's conversations.create is acted on but its
 *    answer held, the worker holding it is killed, and the time until the incident has its
 *    channel (another worker, already running, takes over) is measured.
 * 3. Settle time: `--settle-groups` groups into a fresh bot, once without faults and once with 20 %
 *    429 (Retry-After: 1) and 20 % 500 on conversations.create and chat.postMessage: the time from
 *    the first webhook until every incident has its message.
 * Every figure is printed with its aim; the aims never fail the run.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import type pg from 'pg';
import { startBotProcess, type BotProcess } from '../test/support/bot-process.js';
import { REDIS_URL, startBenchBot, type BenchBot } from './support/bot-harness.js';
import { positiveNumber } from './support/cli-options.js';
import { CORES } from './support/cpu.js';
import { benchDatabaseUrl, pollUntil, probeDatabase } from './support/interactions.js';
import { benchPayload, WEBHOOK_PATH } from './support/payloads.js';
import { loadAverage } from './support/run-bench.js';
import { liftedSlackPace } from './support/slack-pace.js';

const AIM = { orphans: 0, duplicates: 0, recoveryMs: 15_000, settleRatio: 3 };

const { values: args } = parseArgs({
  options: {
    groups: { type: 'string', default: '40' },
    kills: { type: 'string', default: '3' },
    lost: { type: 'string', default: '0.2' },
    recoveries: { type: 'string', default: '3' },
    'settle-groups': { type: 'string', default: '30' },
  },
});
const options = {
  groups: Math.round(positiveNumber('groups', args.groups)),
  kills: Math.round(Number(args.kills ?? '3')),
  lost: Number(args.lost ?? '0.2'),
  recoveries: Math.round(positiveNumber('recoveries', args.recoveries)),
  settleGroups: Math.round(positiveNumber('settle-groups', args['settle-groups'])),
};

const log = (text: string) => console.log(text);
const progress = (text: string) => process.stderr.write(`  … ${text}\n`);
const cleanups: (() => Promise<unknown>)[] = [];

async function cleanup(): Promise<void> {
  for (const step of cleanups.splice(0).reverse()) await step().catch((error: unknown) => console.error('bench cleanup:', error));
}

process.once('SIGINT', () => {
  console.error('\ninterrupted: cleaning up');
  void cleanup().finally(() => process.exit(130));
});

/** A runbooks folder and config file for worker processes: one default runbook, one incident per group. */
async function workerFiles(): Promise<{ runbooks: string; config: string }> {
  const root = await mkdtemp(path.join(tmpdir(), 'bench-faults-'));
  cleanups.push(() => rm(root, { recursive: true, force: true }));
  await mkdir(path.join(root, 'runbooks'));
  await writeFile(path.join(root, 'runbooks', 'default.md'), '---\nid: default\ntitle: Triage\ndefault: true\n---\n## Symptoms\nSomething fired.\n');
  const config = path.join(root, 'incident-bot.yml');
  await writeFile(config, JSON.stringify({ incidents: { group_by: [], storm_threshold: 0 }, slack: liftedSlackPace() }));
  return { runbooks: path.join(root, 'runbooks'), config };
}

interface Workers {
  start(): Promise<BotProcess>;
  live(): BotProcess[];
  stopAll(): Promise<void>;
}

function workerPool(api: BenchBot, files: { runbooks: string; config: string }): Workers {
  const all: BotProcess[] = [];
  const env = {
    ROLE: 'worker',
    DATABASE_URL: benchDatabaseUrl(api.database),
    REDIS_URL,
    QUEUE_PREFIX: api.queuePrefix,
    SLACK_BOT_TOKEN: 'xoxb-test-token',
    SLACK_API_URL: api.slack.url,
    RUNBOOKS_DIR: files.runbooks,
    CONFIG_FILE: files.config,
    LOG_LEVEL: 'info',
  };
  return {
    async start() {
      const worker = startBotProcess(env);
      all.push(worker);
      await pollUntil('a worker up', async () => (worker.output().includes('workers started') ? true : undefined), { timeoutMs: 60_000, everyMs: 100 });
      return worker;
    },
    live: () => all.filter((worker) => worker.child.exitCode === null && worker.child.signalCode === null),
    stopAll: async () => {
      await Promise.all(all.map((worker) => worker.stop()));
    },
  };
}

async function send(api: BenchBot, group: string): Promise<void> {
  const response = await fetch(`${api.url}${WEBHOOK_PATH}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(benchPayload(group, 1)) });
  if (response.status !== 200) throw new Error(`webhook for ${group} answered ${response.status}`);
}

interface SlackOutcome {
  incidents: number;
  withMessage: number;
  orphanChannels: number;
  botChannels: number;
  incidentsWithDuplicateMessages: number;
  keptNotCurrent: number;
  duplicatePosts: number;
}

/** What a responder sees: the bot's channels and incident messages, against what Postgres recorded. */
async function slackOutcome(api: BenchBot, db: pg.Client): Promise<SlackOutcome> {
  const incidents = (await db.query<{ id: string; channel_id: string | null; message_ts: string | null; title: string }>('SELECT id, channel_id, message_ts, title FROM incidents')).rows;
  const owned = new Set(incidents.map((incident) => incident.channel_id));
  const botChannels = [...api.slack.channels.values()].filter((channel) => channel.creator === api.slack.bot.userId && !channel.isIm);
  const messagesOf = (incidentId: string) =>
    botChannels.flatMap((channel) => channel.messages.filter((message) => JSON.stringify(message.metadata ?? {}).includes(`"incident_id":"${incidentId}"`) && JSON.stringify(message.metadata ?? {}).includes('incident_message')));
  let duplicateMessages = 0;
  let keptNotCurrent = 0;
  for (const incident of incidents) {
    const messages = messagesOf(incident.id);
    if (messages.length > 1) duplicateMessages++;
    if (incident.message_ts && !messages.some((message) => message.ts === incident.message_ts)) keptNotCurrent++;
  }
  const postIds = botChannels.flatMap((channel) => channel.messages.map((message) => JSON.stringify(message.metadata ?? {})).filter((metadata) => metadata.includes('"post_id"')));
  return {
    duplicatePosts: postIds.length - new Set(postIds).size,
    incidents: incidents.length,
    withMessage: incidents.filter((incident) => incident.message_ts).length,
    orphanChannels: botChannels.filter((channel) => !owned.has(channel.id)).length,
    botChannels: botChannels.length,
    incidentsWithDuplicateMessages: duplicateMessages,
    keptNotCurrent,
  };
}

async function killsAndLostAnswers(): Promise<void> {
  progress('phase 1: kills and lost answers — starting the API and a worker');
  const api = await startBenchBot({ role: 'api', config: { slack: liftedSlackPace() } });
  cleanups.push(() => api.stop());
  const workers = workerPool(api, await workerFiles());
  cleanups.push(() => workers.stopAll());
  const db = await probeDatabase(api.database);
  cleanups.push(() => db.end());
  await workers.start();

  // The channel's posts (they carry the bot's metadata); direct messages are left alone.
  const lossy = (args: Record<string, unknown>) => args.metadata !== undefined && Math.random() < options.lost;
  api.slack.failNext('conversations.create', { afterActing: true, status: 502, times: 1_000_000, match: () => Math.random() < options.lost });
  api.slack.failNext('chat.postMessage', { afterActing: true, status: 502, times: 1_000_000, match: lossy });

  // Kills aimed just after Slack answered a create or an incident message: a fresh worker replaces the dead one.
  let kills = 0;
  let replacing: Promise<unknown> = Promise.resolve();
  const unsubscribe = api.onSlackCall((call) => {
    if (kills >= options.kills || !call.ok) return;
    const aimed = call.method === 'conversations.create' || (call.method === 'chat.postMessage' && call.args.metadata !== undefined);
    const victim = workers.live()[0];
    if (!aimed || !victim || Math.random() > 0.3) return;
    kills++;
    victim.child.kill('SIGKILL');
    replacing = replacing.then(() => workers.start());
  });

  const started = performance.now();
  for (let i = 0; i < options.groups; i++) {
    await send(api, `faults-${i}`);
    await sleep(100);
  }
  await pollUntil('every incident with its message', async () => {
    const row = (await db.query<{ n: string; done: string }>('SELECT count(*) AS n, count(message_ts) AS done FROM incidents')).rows[0];
    return row && Number(row.n) === options.groups && row.n === row.done ? true : undefined;
  }, { timeoutMs: 180_000, everyMs: 250 }).catch((error: unknown) => console.error(`  ! ${String(error)}`));
  unsubscribe();
  await replacing;
  const settled = performance.now() - started;
  // Late retries get a moment to show any duplicate they would make.
  await sleep(2_000);
  const outcome = await slackOutcome(api, db);
  const lost = api.slack.calls.filter((call) => call.status === 502).length;
  log(`1. ${options.groups} new groups, ${kills} SIGKILLs right after Slack answered, ${lost} answers lost after Slack acted (${Math.round(options.lost * 100)} % of creates and channel posts)`);
  log(`   incidents ${outcome.incidents}, with their message ${outcome.withMessage}, settled in ${(settled / 1000).toFixed(1)} s`);
  log(`   channel posts sent twice ${outcome.duplicatePosts}`);
  log(`   orphan channels ${outcome.orphanChannels} (aim ${AIM.orphans}: a channel no incident owns is one an incident has twice); incidents with 2+ incident messages ${outcome.incidentsWithDuplicateMessages} (aim ${AIM.duplicates}); whose kept message is not in Slack ${outcome.keptNotCurrent}`);
  log(`   channels per incident ${(outcome.botChannels / Math.max(1, outcome.incidents)).toFixed(2)}`);
  await cleanup();
}

async function recovery(): Promise<void> {
  progress('phase 2: recovery after a kill — starting the API and two workers');
  const api = await startBenchBot({ role: 'api', config: { slack: liftedSlackPace() } });
  cleanups.push(() => api.stop());
  const workers = workerPool(api, await workerFiles());
  cleanups.push(() => workers.stopAll());
  const db = await probeDatabase(api.database);
  cleanups.push(() => db.end());
  await workers.start();
  const times: number[] = [];
  for (let round = 0; round < options.recoveries; round++) {
    // One worker takes the new group; a second, started while the first waits on Slack, takes over.
    const holder = workers.live()[0] as BotProcess;
    const group = `recovery-${round}`;
    api.slack.failNext('conversations.create', { afterActing: true, delayMs: 60_000, match: (args) => String(args.name).includes(group) });
    await send(api, group);
    await pollUntil('the held create', async () => ([...api.slack.channels.values()].some((channel) => channel.name.includes(group)) ? true : undefined), { timeoutMs: 60_000 });
    await workers.start();
    holder.child.kill('SIGKILL');
    const killedAt = performance.now();
    await pollUntil('the channel after the kill', async () => ((await db.query('SELECT 1 FROM incidents WHERE title LIKE $1 AND channel_id IS NOT NULL', [`%${group}%`])).rowCount ? true : undefined), { timeoutMs: 120_000, everyMs: 50 });
    times.push(performance.now() - killedAt);
  }
  const worst = Math.max(...times);
  log(`2. recovery after SIGKILL of the worker holding a new incident's channel (${options.recoveries} rounds): ${times.map((t) => `${(t / 1000).toFixed(1)} s`).join(', ')}; worst ${(worst / 1000).toFixed(1)} s (aim < ${AIM.recoveryMs / 1000} s)`);
  await cleanup();
}

async function settle(faulty: boolean): Promise<number> {
  const bot = await startBenchBot({ role: 'all', config: { slack: liftedSlackPace() } });
  cleanups.push(() => bot.stop());
  const db = await probeDatabase(bot.database);
  cleanups.push(() => db.end());
  if (faulty) {
    for (const method of ['conversations.create', 'chat.postMessage']) {
      bot.slack.failNext(method, { retryAfter: 1, times: 1_000_000, match: () => Math.random() < 0.2 });
      bot.slack.failNext(method, { status: 500, times: 1_000_000, match: () => Math.random() < 0.2 });
    }
  }
  const started = performance.now();
  await Promise.all(Array.from({ length: options.settleGroups }, (_v, i) => send(bot, `settle-${faulty ? 'f' : 'c'}-${i}`)));
  await pollUntil('every incident with its message', async () => {
    const row = (await db.query<{ n: string; done: string }>('SELECT count(*) AS n, count(message_ts) AS done FROM incidents')).rows[0];
    return row && Number(row.n) === options.settleGroups && row.n === row.done ? true : undefined;
  }, { timeoutMs: 180_000, everyMs: 100 });
  const took = performance.now() - started;
  const outcome = await slackOutcome(bot, db);
  if (outcome.incidentsWithDuplicateMessages + outcome.orphanChannels > 0) log(`   ! ${faulty ? 'with faults' : 'fault-free'}: ${outcome.orphanChannels} orphans, ${outcome.incidentsWithDuplicateMessages} duplicate messages`);
  await cleanup();
  return took;
}

async function main(): Promise<void> {
  log(`Fault benchmark — ${new Date().toISOString()}`);
  log(`machine: ${CORES} cores, node ${process.version}${loadAverage()}`);
  log('');
  await killsAndLostAnswers();
  await recovery();
  progress('phase 3: settle time, fault-free then with 429s and 500s');
  const clean = await settle(false);
  const faulty = await settle(true);
  log(`3. ${options.settleGroups} new groups at once: settled in ${(clean / 1000).toFixed(1)} s fault-free, ${(faulty / 1000).toFixed(1)} s with 20 % 429 (Retry-After: 1) and 20 % 500 on creates and posts: ${(faulty / clean).toFixed(1)}× (aim < ${AIM.settleRatio}×)`);
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => cleanup());
