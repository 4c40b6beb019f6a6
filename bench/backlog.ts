/**
 * Backlog benchmark: an alert storm's worst minute in the all-in-one role. From one run:
 *  1. intake at concurrency 16, the bot beside a plain receiver (node:http, one pg INSERT of the
 *     body per request, no validation), with the ratio between them;
 *  2. the worker's correlation rate under that load and the backlog when the load ends;
 *  3. the time from a new critical alert group's webhook, sent right after the burst, to its
 *     incident message in Slack;
 *  4. the peak RSS of the bot's process.
 * The bot runs as `npm start` runs it (node dist/src/main.js, ROLE=all; with --split, ROLE=api
 * beside a ROLE=worker process) in a process of its own, so its memory is its own: the fake Slack
 * (with the bot's Slack pacing lifted) stays in this process and the load client in another. Real
 * Postgres and Redis.
 *
 *   npm run bench:backlog [-- --seconds 10 --concurrency 16 --groups 50 --alerts 2 --split --workers 1]   (builds first)
 *   npm run bench:backlog -- --split --workers 0   (ROLE=api alone: intake with nothing correlating)
 *   BENCH_BOT_NODE_ARGS="--cpu-prof --cpu-prof-dir=prof" npm run bench:backlog   (node flags for the bot process)
 *
 * Every wait is bounded; the aims are printed next to the figures and never fail the run.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';
import { alertmanagerPayload, dbAlert } from '../test/support/alertmanager.js';
import { startBenchBotProcess, type BenchBotProcess } from './support/bot-harness.js';
import { CORES, machineBusyOver } from './support/cpu.js';
import { nonNegativeInt, positiveInt } from './support/cli-options.js';
import { startLoadClient, type LoadClient, type LoadRequest } from './support/load-client.js';
import type { LoadResult } from './support/load-generator.js';
import { WEBHOOK_PATH } from './support/payloads.js';
import { UPDATE_PASS_DELAY_MS } from '../src/queue/jobs.js';
import { startPlainReceiver } from './support/plain-receiver.js';
import { loadAverage, runBench } from './support/run-bench.js';
import { liftedSlackPace } from './support/slack-pace.js';
import { ms, summarize } from './support/stats.js';
import { table } from './support/table.js';

const AIM = { intakeShare: 0.35, criticalMs: 2_000, rssMb: 250 };

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '16' },
    groups: { type: 'string', default: '50' },
    alerts: { type: 'string', default: '2' },
    requests: { type: 'string', default: '60000' },
    'critical-timeout': { type: 'string', default: '120' },
    'drain-timeout': { type: 'string', default: '90' },
    // The deployment of "Running API and workers apart": ROLE=api and one ROLE=worker process.
    split: { type: 'boolean', default: false },
    // With --split, how many ROLE=worker processes run beside the API (0: intake alone).
    workers: { type: 'string', default: '1' },
  },
});
const options = {
  seconds: positiveInt('seconds', args.seconds),
  concurrency: positiveInt('concurrency', args.concurrency),
  groups: positiveInt('groups', args.groups),
  alerts: positiveInt('alerts', args.alerts),
  requests: positiveInt('requests', args.requests),
  criticalTimeoutMs: positiveInt('critical-timeout', args['critical-timeout']) * 1000,
  drainTimeoutMs: positiveInt('drain-timeout', args['drain-timeout']) * 1000,
  split: args.split,
  workers: args.split ? nonNegativeInt('workers', args.workers) : 0,
};
const deployment = !options.split ? 'role all' : options.workers === 0 ? 'ROLE=api alone, no worker' : `ROLE=api beside ${options.workers} ROLE=worker process${options.workers > 1 ? 'es' : ''}`;
const correlating = !options.split || options.workers > 0;

let bot: BenchBotProcess | undefined;
let client: LoadClient | undefined;
const log = (text: string) => console.log(text);
const progress = (text: string) => process.stderr.write(`  … ${text}\n`);

function loadRequest(url: string, label: string): LoadRequest {
  return { url, path: WEBHOOK_PATH, concurrency: options.concurrency, maxRequests: options.requests, maxMs: options.seconds * 1000, warmupRequests: options.concurrency * 4, label, alertsPerDelivery: options.alerts, groups: options.groups };
}

function intakeRow(name: string, load: LoadResult): { row: string[]; rate: number } {
  const s = summarize(load.latenciesMs);
  const rate = load.accepted / (load.elapsedMs / 1000);
  return { rate, row: [name, String(load.accepted), String(load.errors + load.duplicates), rate.toFixed(0), ms(s.p50), ms(s.p90), ms(s.p99), ms(s.max)] };
}

/** The bot process's resident set, sampled every 50 ms; the kernel's high-water mark is read at the end. */
function rssSampler(running: BenchBotProcess): { stop(): Promise<number> } {
  let peak = 0;
  const sample = () =>
    running.memory().then(
      (memory) => void (peak = Math.max(peak, memory.rss, memory.peakRss)),
      () => undefined,
    );
  const timer = setInterval(sample, 50);
  return {
    async stop() {
      clearInterval(timer);
      await sample();
      return peak;
    },
  };
}

/** Least-squares slope of the backlog over time, in deliveries per second. */
function slopeOf(samples: readonly { at: number; pending: number }[]): number {
  const n = samples.length;
  if (n < 2) return Number.NaN;
  const meanAt = samples.reduce((sum, s) => sum + s.at, 0) / n;
  const meanPending = samples.reduce((sum, s) => sum + s.pending, 0) / n;
  const covariance = samples.reduce((sum, s) => sum + (s.at - meanAt) * (s.pending - meanPending), 0);
  const variance = samples.reduce((sum, s) => sum + (s.at - meanAt) ** 2, 0);
  return variance > 0 ? (covariance / variance) * 1000 : Number.NaN;
}

interface BacklogFigures {
  peak: number;
  /** Over the whole load, the climb to about one update window of intake included. */
  slope: number;
  samples: number;
  /** Once that climb is over (after two update windows): whether the worker keeps pace. */
  steadySlope: number;
  steadySamples: number;
}

/**
 * The backlog sampled every 500 ms while the load is measured: its peak, and its growth as the
 * least-squares slope (deliveries per second; about 0 when the worker keeps pace).
 */
function backlogTrend(running: BenchBotProcess): { start(): void; stop(): Promise<BacklogFigures> } {
  const samples: { at: number; pending: number }[] = [];
  let timer: NodeJS.Timeout | undefined;
  let inFlight = Promise.resolve();
  let startedAt = 0;
  const sample = () => {
    const at = performance.now();
    inFlight = running.backlog().then(
      (backlog) => void samples.push({ at, pending: backlog.deliveries }),
      () => undefined,
    );
  };
  return {
    start() {
      startedAt = performance.now();
      sample();
      timer = setInterval(sample, 500);
    },
    async stop() {
      clearInterval(timer);
      await inFlight;
      const steady = samples.filter((s) => s.at - startedAt >= 2 * UPDATE_PASS_DELAY_MS);
      return { peak: Math.max(0, ...samples.map((s) => s.pending)), slope: slopeOf(samples), samples: samples.length, steadySlope: slopeOf(steady), steadySamples: steady.length };
    },
  };
}

async function main(): Promise<void> {
  log(`Backlog benchmark — ${new Date().toISOString()}`);
  log(`machine: ${CORES} cores, node ${process.version}${loadAverage()}`);
  const busy = await machineBusyOver(1_000);
  log(`machine busy before the run (1 s sample): ${busy === undefined ? 'n/a' : `${Math.round(busy * 100)}%`} — anything else running skews every figure below`);
  log(`load: POST ${WEBHOOK_PATH} at concurrency ${options.concurrency} for ${options.seconds} s over ${options.groups} alert groups; each notification carries its group's newest ${options.alerts} alerts, one of them new`);
  client = await startLoadClient('child');

  progress('plain receiver');
  const plain = await startPlainReceiver(options.concurrency);
  let plainLoad: LoadResult;
  try {
    plainLoad = await client.run(loadRequest(plain.url, 'plain'));
  } finally {
    await plain.stop();
  }

  progress(`the bot, ${deployment}`);
  bot = await startBenchBotProcess({ role: options.split ? 'api' : 'all', workers: options.workers, config: { slack: liftedSlackPace() } });
  const running = bot;
  const idleRss = (await running.memory()).rss;
  const rss = rssSampler(running);
  let atStart: { processed: number; at: number } | undefined;
  let atEnd: { processed: number; pending: number; at: number } | undefined;
  let growth: BacklogFigures | undefined;
  const snapshots: Promise<void>[] = [];
  const trend = backlogTrend(running);
  const botLoad = await client.run(loadRequest(running.url, 'storm'), (phase) => {
    const at = performance.now();
    if (phase === 'measure-start') trend.start();
    else snapshots.push(trend.stop().then((figures) => void (growth = figures)));
    snapshots.push(
      running.counts().then(async (counts) => {
        if (phase === 'measure-start') atStart = { processed: counts.processedDeliveries, at };
        else atEnd = { processed: counts.processedDeliveries, pending: (await running.backlog()).deliveries, at };
      }),
    );
  });
  const critical = correlating ? await timeCriticalGroup(running) : undefined;
  await Promise.all(snapshots);
  const drain = correlating ? await drainBacklog(running) : undefined;
  const counts = await running.counts();
  const peakRss = await rss.stop();

  const plainRow = intakeRow('plain receiver (node:http + one pg INSERT)', plainLoad);
  const botRow = intakeRow(`incident bot, ${deployment}`, botLoad);
  const share = botRow.rate / plainRow.rate;
  log('');
  log(`1) Intake at concurrency ${options.concurrency}, ${options.seconds} s each, one after the other in this run (latency client-side, nearest rank)`);
  log(table(['receiver', 'accepted', 'errors', 'deliveries/s', 'p50', 'p90', 'p99', 'max'], [plainRow.row, botRow.row]));
  log(`   bot / plain = ${(share * 100).toFixed(0)} % (aim ≥ ${AIM.intakeShare * 100} %: ${share >= AIM.intakeShare ? 'met' : 'MISSED'})`);
  const seconds = atStart && atEnd ? (atEnd.at - atStart.at) / 1000 : Number.NaN;
  const correlated = atStart && atEnd ? atEnd.processed - atStart.processed : Number.NaN;
  if (!drain) log('\n2) and 3): no worker process, nothing correlated');
  else {
    log('');
    log(`2) The worker under that load (${options.split ? 'its own process' : 'same process'})`);
    log(`   correlated ${correlated} deliveries in ${seconds.toFixed(1)} s = ${(correlated / seconds).toFixed(0)} deliveries/s while intake took ${botRow.rate.toFixed(0)}/s`);
    log(`   backlog when the load ended: ${atEnd?.pending ?? 'n/a'} deliveries not yet correlated; peak during the load ${growth?.peak ?? 'n/a'} (a pass that updates an open incident waits ${UPDATE_PASS_DELAY_MS} ms for more of its group, so about that much intake waits by design)`);
    log(`   backlog growth over the load: ${growth ? growth.slope.toFixed(0) : 'n/a'} deliveries/s (least squares over ${growth?.samples ?? 0} samples; aim: does not grow, i.e. about 0)`);
    log(`   backlog growth after the first ${(2 * UPDATE_PASS_DELAY_MS) / 1000} s, once the update window has filled: ${growth ? growth.steadySlope.toFixed(0) : 'n/a'} deliveries/s (over ${growth?.steadySamples ?? 0} samples)`);
    log(`   backlog ${drain.drained ? 'cleared' : 'NOT cleared'} ${drain.seconds.toFixed(1)} s after the critical group's message (bounded at ${options.drainTimeoutMs / 1000} s; ${drain.left} left)`);
    log('');
    log('3) A new critical alert group sent right after the burst');
    log(`   webhook → its incident message handled by Slack (chat.postMessage): ${critical === undefined ? `not within ${options.criticalTimeoutMs / 1000} s` : ms(critical)} (aim < ${AIM.criticalMs} ms: ${critical !== undefined && critical < AIM.criticalMs ? 'met' : 'MISSED'})`);
  }
  log('');
  const mb = (bytes: number) => `${(bytes / 1048576).toFixed(0)} MB`;
  log(`4) Peak RSS of the bot process (node dist/src/main.js, ${options.split ? 'the ROLE=api process' : 'role all: intake and workers'}): ${mb(peakRss)} (aim < ${AIM.rssMb} MB: ${peakRss / 1048576 < AIM.rssMb ? 'met' : 'MISSED'})`);
  log(`   ${mb(idleRss)} once the bot had started, before any load`);
  log('');
  log(`In Postgres: ${counts.deliveries} deliveries (${counts.processedDeliveries} processed), ${counts.alerts} alerts, ${counts.incidents} incidents (${counts.incidentsWithMessage} with their message)`);
}

/** Posts a new critical alert group and times it until the fake Slack has handled its incident message. */
async function timeCriticalGroup(running: BenchBotProcess): Promise<number | undefined> {
  const tag = `bench-critical-${Date.now()}`;
  const body = JSON.stringify(
    alertmanagerPayload({ groupLabels: { alertname: 'CheckoutDown', bench_group: tag }, alerts: [dbAlert({ labels: { alertname: 'CheckoutDown', bench_group: tag, severity: 'critical' }, annotations: { summary: `Checkout is down ${tag}` } })] }),
  );
  let resolvePosted: ((at: number) => void) | undefined;
  const posted = new Promise<number>((resolve) => (resolvePosted = resolve));
  const unsubscribe = running.onSlackCall((call, at) => {
    if (call.ok && call.method === 'chat.postMessage' && call.args.thread_ts === undefined && String(call.args.text ?? '').includes(tag)) resolvePosted?.(at);
  });
  const pool = new Pool(running.url, { connections: 1 });
  try {
    const t0 = performance.now();
    const response = await pool.request({ path: WEBHOOK_PATH, method: 'POST', headers: { 'content-type': 'application/json' }, body });
    await response.body.text();
    const outcome = await Promise.race([posted, sleep(options.criticalTimeoutMs, 'timeout' as const)]);
    return outcome === 'timeout' ? undefined : outcome - t0;
  } finally {
    unsubscribe();
    await pool.close();
  }
}

async function drainBacklog(running: BenchBotProcess): Promise<{ drained: boolean; seconds: number; left: number }> {
  const started = performance.now();
  for (;;) {
    const left = (await running.backlog()).deliveries;
    const seconds = (performance.now() - started) / 1000;
    if (left === 0) return { drained: true, seconds, left };
    if (seconds * 1000 > options.drainTimeoutMs) return { drained: false, seconds, left };
    await sleep(250);
  }
}

runBench(main, async () => {
  await bot?.stop().catch(() => undefined);
  await client?.close().catch(() => undefined);
});
