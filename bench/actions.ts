/**
 * Runbook action benchmark: an http diagnostic pressed in Slack against a local target that
 * answers 200 at once. Real Postgres and Redis, the project's fake Slack; the presses are signed
 * `block_actions` payloads POSTed to /slack/events, as Slack sends them.
 *
 *   npm run bench:actions [-- --incidents 50 --sequential 100 --rounds 10 --concurrency 50]
 *
 * Measures (a) the acknowledgement: the signed POST answered, and (b) press → result: the fake
 * Slack handled the chat.postMessage carrying "… succeeded" in the incident's thread; at one press
 * in flight and at `--concurrency` presses in flight (one per incident: the bot lets one run of
 * an action per incident be queued or running at a time). Every figure is printed; the aims are
 * shown next to them but never fail the run.
 */
import { monitorEventLoopDelay, performance, type IntervalHistogram } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type pg from 'pg';
import { alertmanagerPayload } from '../test/support/alertmanager.js';
import { buttonsOf } from '../test/support/slack-interactions.js';
import { BENCH_SIGNING_SECRET, startBenchBot, type BenchBot } from './support/bot-harness.js';
import { CORES, cpuWindow, machineBusyOver, pct, type CpuWindow } from './support/cpu.js';
import { countPgStatements, createPresser, pollUntil, probeDatabase, runbooksDir, startLocalTarget, type LocalTarget, type PressAnswer, type PressTarget } from './support/interactions.js';
import { WEBHOOK_PATH } from './support/payloads.js';
import { liftedSlackPace, paceDescription } from './support/slack-pace.js';
import { ms, summarize } from './support/stats.js';
import { table } from './support/table.js';
import { loadAverage, runBench } from './support/run-bench.js';
import { positiveInt } from './support/cli-options.js';

const AIM = { ackP99Ms: 100, resultMs: 500 };
const ALERTNAME = 'BenchActionProbe';
const ACTION_ID = 'probe';
const LABEL = 'Probe the bench target';
const USER = 'UBENCHRESP1';

const RUNBOOK = `---
id: bench-probe
title: Bench probe target down
severity: warning
match:
  - alertname: ${ALERTNAME}
actions:
  - { id: ${ACTION_ID}, label: ${LABEL}, kind: diagnostic, type: http, target: bench-target, request: { method: GET, path: /health }, expect: { status: 200 } }
---
## Symptoms
A benchmark incident: press the diagnostic.
`;

const { values: args } = parseArgs({
  options: {
    incidents: { type: 'string', default: '50' },
    sequential: { type: 'string', default: '100' },
    rounds: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '50' },
    warmup: { type: 'string', default: '10' },
    timeout: { type: 'string', default: '30' },
    'slack-tiers': { type: 'boolean', default: false },
    'log-level': { type: 'string', default: 'warn' },
  },
});

const options = {
  incidents: positiveInt('incidents', args.incidents),
  sequential: positiveInt('sequential', args.sequential),
  rounds: positiveInt('rounds', args.rounds),
  concurrency: positiveInt('concurrency', args.concurrency),
  warmup: positiveInt('warmup', args.warmup),
  timeoutMs: positiveInt('timeout', args.timeout) * 1000,
  slackTiers: args['slack-tiers'] ?? false,
  logLevel: args['log-level'] ?? 'warn',
};
if (options.concurrency > options.incidents) throw new Error(`--concurrency (${options.concurrency}) cannot exceed --incidents (${options.incidents}): one press in flight per incident`);

interface BenchIncident extends PressTarget {
  id: string;
}

/** One press, measured end to end. */
interface PressSample {
  answer: PressAnswer;
  /** performance.now() when the fake Slack handled "⏳ Running …" in the thread. */
  startedAt?: number;
  /** performance.now() when the fake Slack handled the result in the thread. */
  resultAt?: number;
  /** Date.now() when the fake Slack received the result (its call log's clock). */
  resultAtEpoch?: number;
  succeeded: boolean;
  timedOut: boolean;
}

interface Phase {
  name: string;
  inFlight: number;
  samples: PressSample[];
  cpu: CpuWindow;
  /** Statements sent to Postgres by the process over the phase (the bot's, as the bench sends none meanwhile). */
  statements: number;
  /** Event-loop delay of the bot's process over the phase (bot, fake Slack and client share it). */
  loop: { p50: number; p99: number; max: number };
}

const log = (text: string) => console.log(text);
const progress = (text: string) => process.stderr.write(`  … ${text}\n`);

let activeBot: BenchBot | undefined;
let target: LocalTarget | undefined;
let removeRunbooks: (() => Promise<void>) | undefined;
let probe: pg.Client | undefined;

async function cleanup(): Promise<void> {
  await probe?.end().catch(() => undefined);
  probe = undefined;
  if (activeBot) {
    progress(`stopping the bot, dropping ${activeBot.database}`);
    await activeBot.stop().catch((error: unknown) => console.error('bench cleanup:', error));
    activeBot = undefined;
  }
  await target?.close().catch(() => undefined);
  target = undefined;
  await removeRunbooks?.().catch(() => undefined);
  removeRunbooks = undefined;
}

process.once('SIGINT', () => {
  console.error('\ninterrupted: cleaning up');
  void cleanup().finally(() => process.exit(130));
});

async function main(): Promise<void> {
  log(`Runbook action benchmark — ${new Date().toISOString()}`);
  log(`machine: ${CORES} cores, node ${process.version}${loadAverage()}`);
  const idle = await machineBusyOver(1_000);
  log(`machine busy before the run (1 s sample): ${idle === undefined ? 'n/a' : `${Math.round(idle * 100)}%`} — anything else running skews every figure below`);

  target = await startLocalTarget();
  const runbooks = await runbooksDir({ 'bench-probe.md': RUNBOOK });
  removeRunbooks = runbooks.remove;
  progress('starting the bot (role all) on a fresh database');
  const bot = await startBenchBot({
    role: 'all',
    logLevel: options.logLevel,
    runbooksDir: runbooks.dir,
    config: {
      targets: { 'bench-target': { type: 'http', url: target.url } },
      // One incident per alert group: no joining by service, no storm incident.
      incidents: { group_by: [], storm_threshold: 0 },
      ...(options.slackTiers ? {} : { slack: liftedSlackPace() }),
    },
    ...(options.slackTiers ? { slackOptions: { rateLimits: true } } : {}),
  });
  activeBot = bot;
  probe = await probeDatabase(bot.database);

  progress(`opening ${options.incidents} incidents (one Alertmanager group each)${options.slackTiers ? `: with Slack's tiers, conversations.create allows 20 a minute` : ''}`);
  const incidents = await openIncidents(bot, probe, options.incidents);
  log(`setup: ${incidents.length} incidents open, each with its runbook message and a "${LABEL}" button (http GET ${target.url}/health, expect 200)`);
  log(paceDescription(options.slackTiers));
  log(`presses: signed block_actions POSTs to ${bot.url}/slack/events from the bot's own process (one clock for both ends), undici keep-alive pool, a new trigger_id each`);
  log('');

  // Results in the thread, routed to the press waiting on that incident (one press in flight per incident).
  const waiting = new Map<string, { sample: PressSample; done: () => void }>();
  const unsubscribe = bot.onSlackCall((call, at) => {
    if (call.method !== 'chat.postMessage' || !call.ok || call.args.thread_ts === undefined) return;
    const waiter = waiting.get(`${String(call.args.channel)}|${String(call.args.thread_ts)}`);
    if (!waiter) return;
    const text = String(call.args.text ?? '');
    if (!text.includes(LABEL)) return;
    if (text.includes('Running')) {
      waiter.sample.startedAt ??= at;
      return;
    }
    waiter.sample.resultAt = at;
    waiter.sample.resultAtEpoch = call.at;
    waiter.sample.succeeded = text.includes('succeeded');
    waiter.done();
  });

  const presser = createPresser(bot.url, BENCH_SIGNING_SECRET, { connections: options.concurrency, userId: USER, responseUrl: `${target.url}/response/press` });
  const pressAndWait = async (incident: BenchIncident): Promise<PressSample> => {
    const key = `${incident.channelId}|${incident.messageTs}`;
    if (waiting.has(key)) throw new Error(`two presses in flight on incident ${incident.id}`);
    let done!: () => void;
    const finished = new Promise<void>((resolve) => (done = resolve));
    const sample: PressSample = { answer: { status: 0, body: '', ackMs: Number.NaN, sentAt: performance.now(), sentAtEpoch: Date.now(), triggerId: '' }, succeeded: false, timedOut: false };
    waiting.set(key, { sample, done });
    let timer: NodeJS.Timeout | undefined;
    try {
      // The waiter is in place before the POST: the result cannot be missed, however fast.
      const answer = await presser.press(incident).catch((error: unknown) => ({ ...sample.answer, body: `transport error: ${error instanceof Error ? error.message : String(error)}` }));
      sample.answer = answer;
      if (answer.status !== 200) return sample;
      const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), options.timeoutMs)));
      if ((await Promise.race([finished, timeout])) === 'timeout') sample.timedOut = true;
      return sample;
    } finally {
      clearTimeout(timer);
      waiting.delete(key);
    }
  };

  const phases: Phase[] = [];
  try {
    progress(`warm-up: ${options.warmup} presses, one at a time`);
    for (let index = 0; index < options.warmup; index++) await pressAndWait(incidents[index % incidents.length] as BenchIncident);

    progress(`${options.sequential} presses, one at a time`);
    let stop = cpuWindow();
    let loop = loopDelay();
    let statements = countPgStatements();
    const sequential: PressSample[] = [];
    for (let index = 0; index < options.sequential; index++) sequential.push(await pressAndWait(incidents[index % incidents.length] as BenchIncident));
    phases.push({ name: 'sequential', inFlight: 1, samples: sequential, cpu: stop(), loop: loop(), statements: statements() });

    progress(`${options.rounds} rounds of ${options.concurrency} concurrent presses (one per incident)`);
    stop = cpuWindow();
    loop = loopDelay();
    statements = countPgStatements();
    const concurrent: PressSample[] = [];
    for (let round = 0; round < options.rounds; round++) {
      concurrent.push(...(await Promise.all(incidents.slice(0, options.concurrency).map((incident) => pressAndWait(incident)))));
    }
    phases.push({ name: 'concurrent', inFlight: options.concurrency, samples: concurrent, cpu: stop(), loop: loop(), statements: statements() });
  } finally {
    unsubscribe();
    await presser.close();
  }

  await printReport(bot, probe, target, phases);
}

const LOOP_RESOLUTION_MS = 5;

/**
 * Samples the event-loop delay until the returned function is called: how much later than due a
 * timer armed every 5 ms fired (the interval itself taken off), ms.
 */
function loopDelay(): () => Phase['loop'] {
  const histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
  histogram.enable();
  const late = (ns: number) => Math.max(0, ns / 1e6 - LOOP_RESOLUTION_MS);
  return () => {
    histogram.disable();
    return { p50: late(histogram.percentile(50)), p99: late(histogram.percentile(99)), max: late(histogram.max) };
  };
}

/** Posts one Alertmanager group per incident and waits until every incident message is in Slack. */
async function openIncidents(bot: BenchBot, db: pg.Client, count: number): Promise<BenchIncident[]> {
  const titles: string[] = [];
  for (let index = 0; index < count; index++) {
    const title = `Bench action incident ${index}`;
    titles.push(title);
    const body = alertmanagerPayload({
      groupLabels: { alertname: ALERTNAME, bench_group: `actions-${index}` },
      alerts: [{ labels: { alertname: ALERTNAME, severity: 'warning', service: 'bench', bench_group: `actions-${index}` }, annotations: { summary: title } }],
    });
    const response = await fetch(`${bot.url}${WEBHOOK_PATH}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`webhook ${index}: HTTP ${response.status} ${await response.text()}`);
  }
  let lastSeen = '';
  const rows = await pollUntil(
    `${count} incident messages in Slack`,
    async () => {
      const result = await db.query<{ id: string; title: string; channel_id: string; message_ts: string; runbook_id: string | null }>(
        'SELECT id, title, channel_id, message_ts, runbook_id FROM incidents WHERE message_ts IS NOT NULL',
      );
      if (result.rows.length >= count) return result.rows;
      const { incidents, joined } = (await db.query<{ incidents: string; joined: string }>('SELECT (SELECT count(*) FROM incidents) AS incidents, (SELECT count(*) FROM incident_keys) AS joined')).rows[0] ?? { incidents: '?', joined: '?' };
      lastSeen = `${result.rows.length} with their message, ${incidents} incidents, ${joined} groups joined to another incident`;
      return undefined;
    },
    { timeoutMs: options.slackTiers ? 900_000 : 120_000, everyMs: 200 },
  ).catch((error: unknown) => {
    throw new Error(`${error instanceof Error ? error.message : String(error)} (last seen: ${lastSeen})`);
  });
  const byTitle = new Map(rows.map((row) => [row.title, row]));
  return titles.map((title) => {
    const row = byTitle.get(title);
    if (!row) throw new Error(`no incident titled "${title}"`);
    if (row.runbook_id !== 'bench-probe') throw new Error(`incident "${title}" got runbook ${row.runbook_id}, not bench-probe`);
    const message = bot.slack.messagesIn(row.channel_id).find((candidate) => candidate.ts === row.message_ts);
    const button = buttonsOf(message?.blocks).find((candidate) => candidate.action_id === `run-action:${ACTION_ID}`);
    if (!button) throw new Error(`the message of incident "${title}" has no ${ACTION_ID} button`);
    return { id: row.id, channelId: row.channel_id, messageTs: row.message_ts, button };
  });
}

/** Per press, from Postgres: press → run stored, → worker claimed it, → run finished; then → result in Slack. */
async function stages(db: pg.Client, samples: PressSample[]) {
  const keys = samples.map((sample) => sample.answer.triggerId).filter((key) => key !== '');
  const rows = (
    await db.query<{ press_key: string; requested_at: Date; started_at: Date | null; finished_at: Date | null; status: string }>(
      'SELECT press_key, requested_at, started_at, finished_at, status FROM action_runs WHERE press_key = ANY($1)',
      [keys],
    )
  ).rows;
  const byKey = new Map(rows.map((row) => [row.press_key, row]));
  const stored: number[] = [];
  const queued: number[] = [];
  const executed: number[] = [];
  const posted: number[] = [];
  const statuses: Record<string, number> = {};
  for (const sample of samples) {
    const row = byKey.get(sample.answer.triggerId);
    if (!row) continue;
    statuses[row.status] = (statuses[row.status] ?? 0) + 1;
    stored.push(row.requested_at.getTime() - sample.answer.sentAtEpoch);
    if (row.started_at) queued.push(row.started_at.getTime() - row.requested_at.getTime());
    if (row.started_at && row.finished_at) executed.push(row.finished_at.getTime() - row.started_at.getTime());
    if (row.finished_at && sample.resultAtEpoch !== undefined) posted.push(sample.resultAtEpoch - row.finished_at.getTime());
  }
  return { runs: rows.length, statuses, stored, queued, executed, posted };
}

const startedMs = (sample: PressSample) => (sample.startedAt === undefined ? undefined : sample.startedAt - sample.answer.sentAt);
const resultMs = (sample: PressSample) => (sample.resultAt === undefined ? undefined : sample.resultAt - sample.answer.sentAt);

async function printReport(bot: BenchBot, db: pg.Client, local: LocalTarget, phases: Phase[]): Promise<void> {
  log('1) Button press acknowledged: signed POST /slack/events → 200 read (Bolt acks before recording the run)');
  log('2) Press → result posted: from just before the POST until the fake Slack handled the chat.postMessage with "… succeeded" in the incident thread');
  log('   percentiles by nearest rank; "started" = the "⏳ Running …" thread post');
  const row = (label: string, samples: number[], aimMs?: number) => {
    const s = summarize(samples);
    const aim = aimMs === undefined ? '' : s.count === 0 ? 'n/a' : `${s.p99 < aimMs ? 'met' : 'MISSED'} p99<${aimMs}ms${s.p99 < aimMs && s.max >= aimMs ? ' (not at max)' : ''}`;
    return [label, String(s.count), ms(s.p50), ms(s.p90), ms(s.p99), ms(s.max), aim];
  };
  const rows: string[][] = [];
  for (const phase of phases) {
    const where = `${phase.inFlight} in flight`;
    const ok = phase.samples.filter((sample) => sample.answer.status === 200);
    const results = phase.samples.filter((sample) => sample.resultAt !== undefined && sample.succeeded);
    rows.push(row(`${where}: ack`, ok.map((sample) => sample.answer.ackMs), AIM.ackP99Ms));
    rows.push(row(`${where}: press → started posted`, phase.samples.flatMap((sample) => startedMs(sample) ?? [])));
    rows.push(row(`${where}: press → result posted`, results.flatMap((sample) => resultMs(sample) ?? []), AIM.resultMs));
  }
  log(table(['measure', 'n', 'p50', 'p90', 'p99', 'max', 'aim'], rows));
  for (const phase of phases) {
    const refused = phase.samples.filter((sample) => sample.answer.status !== 200);
    const failed = phase.samples.filter((sample) => sample.resultAt !== undefined && !sample.succeeded);
    const timedOut = phase.samples.filter((sample) => sample.timedOut);
    const elapsed = phase.cpu.wallMs / 1000;
    log(
      `   ${phase.inFlight} in flight: ${phase.samples.length} presses in ${elapsed.toFixed(2)} s (${(phase.samples.length / elapsed).toFixed(1)} results/s); ` +
        `${refused.length} not answered 200, ${failed.length} results not "succeeded", ${timedOut.length} without a result after ${options.timeoutMs / 1000} s; ` +
        `CPU: bot process ${pct(phase.cpu.processCpuMs, phase.cpu.wallMs)} (${(phase.cpu.processCpuMs / Math.max(1, phase.samples.length)).toFixed(1)} ms/press, fake Slack and client included), ` +
        `Postgres ${pct(phase.cpu.postgresCpuMs, phase.cpu.wallMs)}, Redis ${pct(phase.cpu.redisCpuMs, phase.cpu.wallMs)}, machine ${phase.cpu.machineBusy === undefined ? 'n/a' : `${Math.round(phase.cpu.machineBusy * 100)}%`} of ${CORES} cores; ` +
        `event-loop delay p50 ${ms(phase.loop.p50)}, p99 ${ms(phase.loop.p99)}, max ${ms(phase.loop.max)}; ` +
        `${(phase.statements / Math.max(1, phase.samples.length)).toFixed(1)} Postgres statements per press (BEGIN/COMMIT included)`,
    );
    for (const sample of refused.slice(0, 3)) log(`   ! HTTP ${sample.answer.status}: ${sample.answer.body.slice(0, 200)}`);
    if (phase.inFlight >= 10) {
      // Samples are in the order each round sent its presses: is the ack a queue behind the round's other presses?
      const fifth = Math.max(1, Math.floor(phase.inFlight / 5));
      const byPosition = (from: number, to: number) => summarize(phase.samples.filter((_sample, index) => index % phase.inFlight >= from && index % phase.inFlight < to).map((sample) => sample.answer.ackMs));
      const first = byPosition(0, fifth);
      const last = byPosition(phase.inFlight - fifth, phase.inFlight);
      log(`   ${phase.inFlight} in flight, ack by position in its round: first ${fifth} sent p50 ${ms(first.p50)} / p99 ${ms(first.p99)}; last ${fifth} sent p50 ${ms(last.p50)} / p99 ${ms(last.p99)}`);
    }
  }
  log('');

  log('3) Where the time goes (Postgres timestamps and the fake Slack\'s clock, ms resolution):');
  log('   stored = press sent → action_runs.requested_at; queued = requested_at → started_at (job waited and claimed);');
  log('   executed = started_at → finished_at (the HTTP check); to Slack = finished_at → result received by the fake Slack (sync job: started + result posts)');
  const stageRows: string[][] = [];
  for (const phase of phases) {
    const breakdown = await stages(db, phase.samples);
    const cell = (samples: number[]) => {
      const s = summarize(samples);
      return `${s.p50.toFixed(0)} / ${s.p99.toFixed(0)} / ${s.max.toFixed(0)}`;
    };
    stageRows.push([`${phase.inFlight} in flight`, String(breakdown.runs), cell(breakdown.stored), cell(breakdown.queued), cell(breakdown.executed), cell(breakdown.posted), Object.entries(breakdown.statuses).map(([status, n]) => `${status} ${n}`).join(', ')]);
  }
  log(table(['phase', 'runs', 'stored p50/p99/max', 'queued p50/p99/max', 'executed p50/p99/max', 'to Slack p50/p99/max', 'run statuses'], stageRows));
  log('');

  const counts = bot.slack.counts();
  const responses = local.responses.map((entry) => {
    try {
      return String((JSON.parse(entry.body) as { text?: string }).text ?? '').slice(0, 80);
    } catch {
      return entry.body.slice(0, 80);
    }
  });
  log(`4) Totals: target hit ${local.hits.get('GET /health') ?? 0} times; ephemeral answers to presses (response_url): ${responses.length}${responses.length > 0 ? ` (first: "${responses[0]}")` : ''}`);
  log(`   fake Slack calls: ${Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)).map(([method, n]) => `${method} ${n}`).join(', ')}`);
}

runBench(main, cleanup);
