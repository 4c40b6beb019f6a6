/**
 * Escalation benchmark: how punctually deadlines fire. Real Postgres and Redis (BullMQ delayed
 * jobs), the project's fake Slack.
 *
 *   npm run bench:escalation [-- --incidents 200 --spread 4 --ack-timeout 2s --margin 3 --ping-wait 30 --slack-tiers]
 *
 * Opens `--incidents` incidents spread evenly over `--spread` seconds (one Alertmanager group
 * each), under a policy L1 (ack_timeout) → L2 (last level, no repeat), acknowledges none, waits
 * until every L2 is due plus `--margin` seconds, and reports how late each escalation was
 * recorded (escalations.at of step 2 − the deadline, escalations.due_at of step 1), whether each
 * one was recorded and pinged in Slack exactly once. Then it waits (at most `--ping-wait` seconds)
 * for the Slack pings still on their way, and one second more for any duplicate, to count again.
 * Every figure is printed; the aims are shown next to them but never fail the run.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import type pg from 'pg';
import { Pool } from 'undici';
import { startBenchBot, type BenchBot } from './support/bot-harness.js';
import { CORES, cpuWindow, machineBusyOver, pct, type CpuWindow } from './support/cpu.js';
import { pollUntil, probeDatabase } from './support/interactions.js';
import { benchPayload, WEBHOOK_PATH } from './support/payloads.js';
import { liftedSlackPace, paceDescription } from './support/slack-pace.js';
import { ms, summarize } from './support/stats.js';
import { table } from './support/table.js';
import { loadAverage, runBench } from './support/run-bench.js';
import { positiveNumber } from './support/cli-options.js';

const AIM = { p99LatenessMs: 1_000 };
const L1 = 'UL1ONCALL';
const L2 = 'UL2LEAD';
const L2_PING = 'escalated to *L2*';

const { values: args } = parseArgs({
  options: {
    incidents: { type: 'string', default: '200' },
    spread: { type: 'string', default: '4' },
    'ack-timeout': { type: 'string', default: '2s' },
    margin: { type: 'string', default: '3' },
    'ping-wait': { type: 'string', default: '30' },
    'slack-tiers': { type: 'boolean', default: false },
    'log-level': { type: 'string', default: 'warn' },
  },
});

const options = {
  incidents: Math.round(positiveNumber('incidents', args.incidents)),
  spreadMs: positiveNumber('spread', args.spread) * 1000,
  ackTimeout: args['ack-timeout'] ?? '2s',
  marginMs: positiveNumber('margin', args.margin) * 1000,
  pingWaitMs: positiveNumber('ping-wait', args['ping-wait']) * 1000,
  slackTiers: args['slack-tiers'] ?? false,
  logLevel: args['log-level'] ?? 'warn',
};

const policy = {
  default: {
    levels: [
      { level: 'L1', notify: [L1], ack_timeout: options.ackTimeout },
      { level: 'L2', notify: [L2] },
    ],
  },
};

const log = (text: string) => console.log(text);
const progress = (text: string) => process.stderr.write(`  … ${text}\n`);

let activeBot: BenchBot | undefined;
let probe: pg.Client | undefined;

async function cleanup(): Promise<void> {
  await probe?.end().catch(() => undefined);
  probe = undefined;
  if (activeBot) {
    progress(`stopping the bot, dropping ${activeBot.database}`);
    await activeBot.stop().catch((error: unknown) => console.error('bench cleanup:', error));
    activeBot = undefined;
  }
}

process.once('SIGINT', () => {
  console.error('\ninterrupted: cleaning up');
  void cleanup().finally(() => process.exit(130));
});

interface StepRow {
  incident_id: string;
  step: number;
  level: number;
  reason: string;
  at: Date;
  due_at: Date | null;
}

async function main(): Promise<void> {
  log(`Escalation benchmark — ${new Date().toISOString()}`);
  log(`machine: ${CORES} cores, node ${process.version}${loadAverage()}`);
  const idle = await machineBusyOver(1_000);
  log(`machine busy before the run (1 s sample): ${idle === undefined ? 'n/a' : `${Math.round(idle * 100)}%`} — anything else running skews every figure below`);

  progress('starting the bot (role all) on a fresh database');
  const bot = await startBenchBot({
    role: 'all',
    logLevel: options.logLevel,
    // One incident per alert group (no joining by service, no storm incident), escalating L1 → L2.
    config: { escalation: policy, incidents: { group_by: [], storm_threshold: 0 }, ...(options.slackTiers ? {} : { slack: liftedSlackPace() }) },
    ...(options.slackTiers ? { slackOptions: { rateLimits: true } } : {}),
  });
  activeBot = bot;
  const db = await probeDatabase(bot.database);
  probe = db;
  log(`policy: L1 ${L1} ack_timeout ${options.ackTimeout} → L2 ${L2} (last level, no repeat); shipped runbooks; nobody acknowledges`);
  log(`load: ${options.incidents} incidents, one Alertmanager group each (grouping by service and storm incidents off), sent evenly over ${options.spreadMs / 1000} s; then wait until the last L2 is due + ${options.marginMs / 1000} s`);
  log(paceDescription(options.slackTiers));
  log('');

  // Every L2 ping the fake Slack handles, with its arrival time (epoch ms, the fake's call log).
  const pings: { channel: string; at: number }[] = [];
  const unsubscribe = bot.onSlackCall((call) => {
    if (call.method === 'chat.postMessage' && call.ok && String(call.args.text ?? '').includes(L2_PING)) pings.push({ channel: String(call.args.channel), at: call.at });
  });

  const stopCpu = cpuWindow();
  const stopSampling = sampleSlackQueue(bot);
  const loadStarted = performance.now();
  const failures = await sendSpread(bot, options.incidents, options.spreadMs);
  const sentIn = performance.now() - loadStarted;
  progress(`${options.incidents} webhooks sent in ${(sentIn / 1000).toFixed(1)} s (${failures.length} refused); waiting for every L1 step`);

  const firstSteps = await pollUntil(
    `${options.incidents} L1 steps`,
    async () => {
      const rows = (await db.query<StepRow>('SELECT incident_id, step, level, reason, at, due_at FROM escalations WHERE step = 1')).rows;
      return rows.length >= options.incidents - failures.length ? rows : undefined;
    },
    { timeoutMs: 120_000, everyMs: 200 },
  ).catch(async (error: unknown) => {
    const n = (await db.query<{ n: string }>('SELECT count(*) AS n FROM escalations WHERE step = 1')).rows[0]?.n;
    console.error(`  ! ${error instanceof Error ? error.message : String(error)}: ${n} L1 steps recorded; measuring those`);
    return (await db.query<StepRow>('SELECT incident_id, step, level, reason, at, due_at FROM escalations WHERE step = 1')).rows;
  });
  const deadlines = firstSteps.flatMap((row) => (row.due_at ? [row.due_at.getTime()] : []));
  const lastDue = Math.max(...deadlines);
  const waitMs = Math.max(0, lastDue + options.marginMs - Date.now());
  progress(`all L1 steps recorded; waiting ${(waitMs / 1000).toFixed(1)} s (the last L2 is due + ${options.marginMs / 1000} s)`);
  await sleep(waitMs);
  const cpu = stopCpu();
  const samples = await stopSampling();
  const atMargin = await snapshot(db, pings);

  // Pings still on their way get up to --ping-wait; then one second more for a late duplicate.
  const pingWaitStarted = performance.now();
  while (performance.now() - pingWaitStarted < options.pingWaitMs) {
    const recorded = Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM escalations WHERE step = 2')).rows[0]?.n ?? 0);
    if (new Set(pings.map((ping) => ping.channel)).size >= recorded) break;
    await sleep(200);
  }
  await sleep(1_000);
  unsubscribe();
  const final = await snapshot(db, pings);
  const jobs = await jobTimes(bot);

  report({ firstSteps, sentInMs: sentIn, failures, cpu, atMargin, final, jobs, lastDue, samples });
  const calls = bot.slack.counts();
  const limited = bot.slack.calls.filter((call) => call.status === 429).length;
  log(`   fake Slack calls: ${Object.entries(calls).sort(([a], [b]) => a.localeCompare(b)).map(([method, n]) => `${method} ${n}`).join(', ')}; answered 429: ${limited}`);
}

interface QueueSample {
  at: number;
  /** Slack sync jobs waiting for one of the slack worker's slots (and being worked on). */
  slackWaiting: number;
  slackActive: number;
  /** Incidents whose channel or message is not in Slack yet. */
  withoutMessage: number;
}

/** Every 250 ms: the Slack sync queue's backlog and the incidents still without their message. */
function sampleSlackQueue(bot: BenchBot): () => Promise<QueueSample[]> {
  const samples: QueueSample[] = [];
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const at = Date.now();
      const [slackWaiting, slackActive, backlog] = await Promise.all([bot.bot.deps.queues.slack.getWaitingCount(), bot.bot.deps.queues.slack.getActiveCount(), bot.backlog()]);
      samples.push({ at, slackWaiting, slackActive, withoutMessage: backlog.incidents });
      await sleep(250);
    }
  })();
  return async () => {
    stopped = true;
    await loop;
    return samples;
  };
}

/** Sends `count` webhooks, the i-th at i × spread / count, each without waiting for the previous answer. */
async function sendSpread(bot: BenchBot, count: number, spreadMs: number): Promise<string[]> {
  const pool = new Pool(bot.url, { connections: 16, pipelining: 1 });
  const failures: string[] = [];
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  try {
    for (let index = 0; index < count; index++) {
      const wait = started + (index * spreadMs) / count - performance.now();
      if (wait > 0) await sleep(wait);
      const body = JSON.stringify(benchPayload(`escalation-${index}`, 1, `Escalation bench incident ${index}`));
      inFlight.push(
        pool
          .request({ path: WEBHOOK_PATH, method: 'POST', headers: { 'content-type': 'application/json' }, body })
          .then(async (response) => {
            const text = await response.body.text();
            if (response.statusCode !== 200 || !text.includes('"status":"accepted"')) failures.push(`webhook ${index}: HTTP ${response.statusCode} ${text.slice(0, 200)}`);
          })
          .catch((error: unknown) => {
            failures.push(`webhook ${index}: ${error instanceof Error ? error.message : String(error)}`);
          }),
      );
    }
    await Promise.all(inFlight);
  } finally {
    await pool.close();
  }
  return failures;
}

interface Snapshot {
  takenAt: number;
  secondSteps: StepRow[];
  /** Rows of step ≥ 3 or of level 2 at another step: none should exist with this policy. */
  strayRows: number;
  /** L2 pings per incident (by channel). */
  pingsByIncident: Map<string, number[]>;
  pingsTotal: number;
  unmatchedPings: number;
  incidentsEscalating: number;
}

async function snapshot(db: pg.Client, pings: { channel: string; at: number }[]): Promise<Snapshot> {
  const takenAt = Date.now();
  const secondSteps = (await db.query<StepRow>('SELECT incident_id, step, level, reason, at, due_at FROM escalations WHERE step = 2')).rows;
  const strayRows = Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM escalations WHERE step > 2 OR (level = 2 AND step <> 2)')).rows[0]?.n ?? 0);
  const channels = new Map((await db.query<{ id: string; channel_id: string | null }>('SELECT id, channel_id FROM incidents')).rows.flatMap((row) => (row.channel_id ? [[row.channel_id, row.id] as const] : [])));
  const pingsByIncident = new Map<string, number[]>();
  let unmatchedPings = 0;
  for (const ping of [...pings]) {
    const incidentId = channels.get(ping.channel);
    if (!incidentId) {
      unmatchedPings++;
      continue;
    }
    pingsByIncident.set(incidentId, [...(pingsByIncident.get(incidentId) ?? []), ping.at]);
  }
  const incidentsEscalating = Number((await db.query<{ n: string }>("SELECT count(*) AS n FROM incidents WHERE next_escalation_at IS NOT NULL AND status IN ('open', 'reopened')")).rows[0]?.n ?? 0);
  return { takenAt, secondSteps, strayRows, pingsByIncident, pingsTotal: pings.length, unmatchedPings, incidentsEscalating };
}

interface JobTimes {
  /** When the job was (last) added: BullMQ's job.timestamp. */
  addedAt: number;
  /** When a worker (last) took it: BullMQ's processedOn. */
  processedOn: number;
  attempts: number;
  /** Step-2 jobs of this incident (one token per step, so one expected). */
  jobs: number;
}

/**
 * BullMQ's own timestamps of the step-2 jobs. A job id names incident, step and token, so the
 * relay re-adding a deadline job keeps its id but replaces its timestamps (it removes a completed
 * job and adds it again): such a job shows an added time after the step it recorded.
 */
async function jobTimes(bot: BenchBot): Promise<Map<string, JobTimes>> {
  const jobs = await bot.bot.deps.queues.escalations.getJobs(['completed', 'failed', 'active', 'delayed', 'wait'], 0, -1);
  const byIncident = new Map<string, JobTimes>();
  for (const job of jobs) {
    if (job.data.step !== 2 || job.processedOn === undefined) continue;
    const known = byIncident.get(job.data.incidentId);
    if (!known || job.processedOn < known.processedOn) byIncident.set(job.data.incidentId, { addedAt: job.timestamp, processedOn: job.processedOn, attempts: job.attemptsMade, jobs: (known?.jobs ?? 0) + 1 });
    else known.jobs++;
  }
  return byIncident;
}

function report(run: {
  firstSteps: StepRow[];
  sentInMs: number;
  failures: string[];
  cpu: CpuWindow;
  atMargin: Snapshot;
  final: Snapshot;
  jobs: Map<string, JobTimes>;
  lastDue: number;
  samples: QueueSample[];
}): void {
  const { firstSteps, final, atMargin } = run;
  const dueAt = new Map(firstSteps.flatMap((row) => (row.due_at ? [[row.incident_id, row.due_at.getTime()] as const] : [])));
  const openedAt = firstSteps.map((row) => row.at.getTime());
  const firstDue = Math.min(...dueAt.values());
  log(
    `incidents: ${firstSteps.length} L1 steps recorded (${run.failures.length} webhooks refused); webhooks sent in ${(run.sentInMs / 1000).toFixed(1)} s; ` +
      `L1 steps recorded over ${((Math.max(...openedAt) - Math.min(...openedAt)) / 1000).toFixed(1)} s, so deadlines spread from ${new Date(firstDue).toISOString().slice(11, 23)} to ${new Date(run.lastDue).toISOString().slice(11, 23)} UTC`,
  );
  for (const failure of run.failures.slice(0, 3)) log(`   ! ${failure}`);
  log('');

  // Due: every incident whose deadline had passed when counting (nobody acknowledged any).
  const due = [...dueAt.entries()].filter(([, at]) => at <= final.takenAt);
  const stepsOf = (snapshot: Snapshot) => {
    const byIncident = new Map<string, StepRow[]>();
    for (const row of snapshot.secondSteps) byIncident.set(row.incident_id, [...(byIncident.get(row.incident_id) ?? []), row]);
    return byIncident;
  };
  const finalSteps = stepsOf(final);
  const lateness: number[] = [];
  const pickup: number[] = [];
  const handler: number[] = [];
  const pingLateness: number[] = [];
  let readded = 0;
  for (const [incidentId, deadline] of due) {
    const step = finalSteps.get(incidentId)?.[0];
    if (step) lateness.push(step.at.getTime() - deadline);
    const job = run.jobs.get(incidentId);
    // A job re-added after it recorded the step has lost the timestamps of the run that did.
    if (job && step && job.addedAt > step.at.getTime()) readded++;
    else if (job) {
      pickup.push(job.processedOn - deadline);
      if (step) handler.push(step.at.getTime() - job.processedOn);
    }
    const ping = final.pingsByIncident.get(incidentId)?.[0];
    if (ping !== undefined) pingLateness.push(ping - deadline);
  }

  log('1) Lateness: when each L2 step was recorded (escalations.at, step 2) − its deadline (escalations.due_at, step 1); ms, nearest rank');
  const row = (label: string, samples: number[], aimMs?: number) => {
    const s = summarize(samples);
    const aim = aimMs === undefined ? '' : s.count === 0 ? 'n/a' : `${s.p99 < aimMs ? 'met' : 'MISSED'} p99<${aimMs}ms${s.p99 < aimMs && s.max >= aimMs ? ' (not at max)' : ''}`;
    return [label, String(s.count), ms(s.min), ms(s.p50), ms(s.p90), ms(s.p99), ms(s.max), aim];
  };
  log(
    table(
      ['measure (from the deadline)', 'n', 'min', 'p50', 'p90', 'p99', 'max', 'aim'],
      [
        row('L2 recorded (escalations.at)', lateness, AIM.p99LatenessMs),
        row('  of which: job taken by a worker (BullMQ processedOn)', pickup),
        row('  then: taken → step recorded (lock + checks)', handler),
        row('L2 ping handled by the fake Slack', pingLateness),
      ],
    ),
  );
  log('   all timestamps from the same machine\'s wall clock (JS Date in the bot, BullMQ\'s Date.now(), the fake Slack\'s call log)');
  const around = (at: number) => run.samples.reduce<QueueSample | undefined>((best, sample) => (!best || Math.abs(sample.at - at) < Math.abs(best.at - at) ? sample : best), undefined);
  const busiest = run.samples.reduce<QueueSample | undefined>((best, sample) => (!best || sample.slackWaiting > best.slackWaiting ? sample : best), undefined);
  const describe = (sample: QueueSample | undefined) => (sample ? `${sample.slackWaiting} waiting + ${sample.slackActive} active, ${sample.withoutMessage} incidents without their message yet` : 'n/a');
  log(
    `   Slack sync queue (the slack worker runs 4 at a time): at the first deadline ${describe(around(firstDue))}; at the last deadline ${describe(around(run.lastDue))}; ` +
      `largest backlog ${describe(busiest)}${busiest ? ` (${((busiest.at - firstDue) / 1000).toFixed(1)} s after the first deadline)` : ''}`,
  );
  log('');

  const count = (snapshot: Snapshot) => {
    const steps = stepsOf(snapshot);
    const recorded = due.filter(([incidentId]) => steps.has(incidentId)).length;
    const missed = due.length - recorded;
    const duplicateSteps = [...steps.values()].filter((rows) => rows.length > 1).length;
    const duplicatePings = [...snapshot.pingsByIncident.values()].filter((times) => times.length > 1).length;
    const pinged = due.filter(([incidentId]) => snapshot.pingsByIncident.has(incidentId)).length;
    return { recorded, missed, duplicateSteps, duplicatePings, pinged };
  };
  const margin = count(atMargin);
  const settled = count(final);
  const duplicates = settled.duplicateSteps + settled.duplicatePings + final.strayRows;
  log('2) Counts: due = deadline passed (nobody acknowledged); recorded = a step-2 row; pinged = a Slack message with "escalated to *L2*" in its channel');
  log(
    table(
      ['when', 'due', 'recorded', 'pings (total)', 'incidents pinged', 'missed', 'dup. step rows', 'dup. pings', 'stray rows', 'still escalating'],
      [
        [
          `last due + ${options.marginMs / 1000} s`,
          String(due.length),
          String(margin.recorded),
          String(atMargin.pingsTotal),
          String(margin.pinged),
          String(margin.missed),
          String(margin.duplicateSteps),
          String(margin.duplicatePings),
          String(atMargin.strayRows),
          String(atMargin.incidentsEscalating),
        ],
        [
          `${((final.takenAt - run.lastDue) / 1000).toFixed(1)} s after last due`,
          String(due.length),
          String(settled.recorded),
          String(final.pingsTotal),
          String(settled.pinged),
          String(settled.missed),
          String(settled.duplicateSteps),
          String(settled.duplicatePings),
          String(final.strayRows),
          String(final.incidentsEscalating),
        ],
      ],
    ),
  );
  if (final.unmatchedPings > 0) log(`   ! ${final.unmatchedPings} L2 pings in channels of no incident`);
  const retried = [...run.jobs.values()].filter((job) => job.attempts > 1).length;
  const several = [...run.jobs.values()].filter((job) => job.jobs > 1).length;
  log(
    `   step-2 jobs in BullMQ: ${run.jobs.size} incidents with one${several > 0 ? `, ${several} with several (different tokens)` : ''}${retried > 0 ? `, ${retried} needed more than one attempt` : ''}; ` +
      `${readded} re-added after they had recorded the step (the relay removes a completed job it still sees due and adds it again: it runs again and finds its token spent) — left out of the "job taken" rows`,
  );
  log('');

  const p99 = summarize(lateness).p99;
  log('3) Verdicts');
  log(`   p99 lateness < ${AIM.p99LatenessMs} ms: ${lateness.length === 0 ? 'n/a (nothing recorded)' : `${p99 < AIM.p99LatenessMs ? 'met' : 'MISSED'} (${ms(p99)})`}`);
  log(`   zero duplicates: ${duplicates === 0 ? 'met' : `MISSED (${settled.duplicateSteps} incidents with several step-2 rows, ${settled.duplicatePings} with several L2 pings, ${final.strayRows} stray rows)`}`);
  log(`   zero missed (due but not recorded): ${settled.missed === 0 ? 'met' : `MISSED (${settled.missed})`}`);
  const lastPing = Math.max(...[...final.pingsByIncident.values()].flat());
  log(
    `   L2 pings in Slack: ${margin.pinged}/${due.length} at last due + ${options.marginMs / 1000} s, ${settled.pinged}/${due.length} at the end` +
      `${settled.pinged > 0 ? ` (the last one ${((lastPing - run.lastDue) / 1000).toFixed(1)} s after the last deadline)` : ''}${settled.pinged < due.length ? `: ${due.length - settled.pinged} never pinged within --ping-wait` : ''}`,
  );
  log(
    `   CPU from the first webhook to last due + margin (${(run.cpu.wallMs / 1000).toFixed(1)} s): bot process ${pct(run.cpu.processCpuMs, run.cpu.wallMs)} (fake Slack included), ` +
      `Postgres ${pct(run.cpu.postgresCpuMs, run.cpu.wallMs)}, Redis ${pct(run.cpu.redisCpuMs, run.cpu.wallMs)}, machine ${run.cpu.machineBusy === undefined ? 'n/a' : `${Math.round(run.cpu.machineBusy * 100)}%`} of ${CORES} cores`,
  );
}

runBench(main, cleanup);
