/**
 * Ingest benchmark: Alertmanager webhook throughput and latency with alerts persisted, and the
 * time from webhook to runbook posted in Slack. Real Postgres and Redis, the project's fake Slack.
 *
 *   npm run bench:ingest [-- --levels 1,16,64 --requests 3000 --seconds 10 --roles all,api]
 *
 * Every figure is printed; the aims are shown next to them but never fail the run.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { ADMIN_PG_URL, startBenchBot, type BenchBot, type PersistedCounts, type Role } from './support/bot-harness.js';
import { CORES, cpuWindow, machineBusyOver, pct, type CpuWindow } from './support/cpu.js';
import { startLoadClient, type ClientMode, type LoadClient } from './support/load-client.js';
import type { LoadResult } from './support/load-generator.js';
import { WEBHOOK_PATH } from './support/payloads.js';
import { liftedSlackPace } from './support/slack-pace.js';
import { measureRunbookLatency, type RunbookLatencyResult } from './support/runbook-latency.js';
import { ms, summarize } from './support/stats.js';
import { table } from './support/table.js';
import { loadAverage, runBench } from './support/run-bench.js';
import { positiveInt } from './support/cli-options.js';

const AIM = { deliveriesPerSecond: 1_000, p99Ms: 50, atConcurrency: 16, runbookMs: 300 };

const { values: args } = parseArgs({
  options: {
    levels: { type: 'string', default: '1,16,64' },
    requests: { type: 'string', default: '3000' },
    seconds: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '200' },
    alerts: { type: 'string', default: '2' },
    groups: { type: 'string', default: '50' },
    roles: { type: 'string', default: 'all,api' },
    client: { type: 'string', default: 'child' },
    'drain-timeout': { type: 'string', default: '180' },
    'log-level': { type: 'string', default: 'warn' },
  },
});

const options = {
  levels: (args.levels ?? '').split(',').map((level) => positiveInt('levels', level)),
  requests: positiveInt('requests', args.requests),
  seconds: positiveInt('seconds', args.seconds),
  warmup: positiveInt('warmup', args.warmup),
  alerts: positiveInt('alerts', args.alerts),
  groups: positiveInt('groups', args.groups),
  roles: (args.roles ?? '').split(',').map((role) => {
    if (role !== 'all' && role !== 'api') throw new Error(`--roles takes all and/or api, got "${role}"`);
    return role as Role;
  }),
  client: (args.client === 'inline' ? 'inline' : 'child') as ClientMode,
  drainTimeoutMs: positiveInt('drain-timeout', args['drain-timeout']) * 1000,
  logLevel: args['log-level'] ?? 'warn',
};

interface LevelRow {
  role: Role;
  load: LoadResult;
  server: CpuWindow;
  drain?: Drain;
}

/** Backlog found when the wait began (deliveries not correlated, incidents without a message) and how long it took to clear. */
interface Drain {
  deliveries: number;
  incidents: number;
  seconds: number;
  drained: boolean;
  /** CPU spent meanwhile by the bot process (its workers, with the fake Slack) and by Postgres, ms. */
  botCpuMs: number;
  postgresCpuMs: number | undefined;
}

interface RoleReport {
  role: Role;
  levels: LevelRow[];
  latency?: RunbookLatencyResult;
  counts: PersistedCounts;
  slackCounts: Record<string, number>;
}

const activeBots = new Set<BenchBot>();
let client: LoadClient | undefined;

process.once('SIGINT', () => {
  console.error('\ninterrupted: cleaning up');
  void (async () => {
    for (const bot of activeBots) await bot.stop().catch(() => undefined);
    await client?.close().catch(() => undefined);
    process.exit(130);
  })();
});

const log = (text: string) => console.log(text);
const progress = (text: string) => process.stderr.write(`  … ${text}\n`);

async function main(): Promise<void> {
  log(`Ingest benchmark — ${new Date().toISOString()}`);
  log(`machine: ${CORES} cores, node ${process.version}, ${await serverVersions()}`);
  const idle = await machineBusyOver(1_000);
  log(`machine busy before the run (1 s sample): ${idle === undefined ? 'n/a' : `${Math.round(idle * 100)}%`} — anything else running skews every figure below`);
  client = await startLoadClient(options.client);
  log(`client: ${client.description}`);
  log(
    `load: POST ${WEBHOOK_PATH}, each payload a new alert group with ${options.alerts} new alerts; per level ${options.warmup} warm-up requests, ` +
      `then ${options.requests} requests or ${options.seconds} s, whichever first`,
  );
  log(`roles: ${options.roles.map((role) => (role === 'all' ? 'all = api + workers in one process (the default deployment)' : 'api = HTTP intake only, no workers')).join('; ')}`);
  log('');

  const reports: RoleReport[] = [];
  for (const role of options.roles) reports.push(await runRole(role, client));
  await client.close();
  client = undefined;
  printReport(reports);
}

async function runRole(role: Role, loadClient: LoadClient): Promise<RoleReport> {
  progress(`starting the bot (role ${role}) on a fresh database`);
  // Slack's tiers would pace channel creation to 20 a minute: this bench measures the bot, not them.
  const bot = await startBenchBot({ role, logLevel: options.logLevel, config: { slack: liftedSlackPace() } });
  activeBots.add(bot);
  try {
    let latency: RunbookLatencyResult | undefined;
    if (role === 'all') {
      progress(`webhook → runbook posted: ${options.groups} alert groups, one at a time`);
      latency = await measureRunbookLatency(bot, { groups: options.groups, warmup: 5, alertsPerDelivery: options.alerts, timeoutMs: 10_000 });
    }
    const levels: LevelRow[] = [];
    for (const concurrency of options.levels) {
      if (role === 'all') await drain(bot, `before concurrency ${concurrency}`);
      progress(`role ${role}: concurrency ${concurrency}`);
      let stopCpu: (() => CpuWindow) | undefined;
      let server: CpuWindow | undefined;
      const load = await loadClient.run(
        {
          url: bot.url,
          path: WEBHOOK_PATH,
          concurrency,
          maxRequests: options.requests,
          maxMs: options.seconds * 1000,
          warmupRequests: Math.max(options.warmup, concurrency * 2),
          label: `${role}-c${concurrency}`,
          alertsPerDelivery: options.alerts,
        },
        (phase) => {
          if (phase === 'measure-start') stopCpu = cpuWindow();
          else server = stopCpu?.();
        },
      );
      server ??= stopCpu?.() ?? { wallMs: load.elapsedMs, processCpuMs: Number.NaN, postgresCpuMs: undefined, redisCpuMs: undefined, machineBusy: undefined };
      const row: LevelRow = { role, load, server };
      if (load.firstError) console.error(`  ! concurrency ${concurrency}: ${load.errors} errors, first: ${load.firstError}`);
      if (role === 'all') row.drain = await drain(bot, `after concurrency ${concurrency}`);
      levels.push(row);
    }
    return { role, levels, ...(latency ? { latency } : {}), counts: await bot.counts(), slackCounts: bot.slack.counts() };
  } finally {
    progress(`stopping the bot (role ${role}), dropping ${bot.database}`);
    await bot.stop();
    activeBots.delete(bot);
  }
}

/** Waits (bounded) until the workers have correlated every delivery and posted every incident message. */
async function drain(bot: BenchBot, when: string): Promise<Drain> {
  const started = performance.now();
  const stopCpu = cpuWindow();
  const first = await bot.backlog();
  let current = first;
  let drained = true;
  while (current.deliveries + current.incidents > 0) {
    if (performance.now() - started > options.drainTimeoutMs) {
      console.error(`  ! ${when}: backlog not drained after ${options.drainTimeoutMs / 1000} s (${current.deliveries} deliveries, ${current.incidents} incidents left)`);
      drained = false;
      break;
    }
    await sleep(100);
    current = await bot.backlog();
  }
  const cpu = stopCpu();
  return { ...first, seconds: (performance.now() - started) / 1000, drained, botCpuMs: cpu.processCpuMs, postgresCpuMs: cpu.postgresCpuMs };
}

function printReport(reports: RoleReport[]): void {
  log('1) POST /webhooks/alertmanager — 2xx only once the delivery and its alerts are committed in Postgres');
  log('   latency = client-side, from just before request() to the whole answer read; percentiles by nearest rank');
  const rows: string[][] = [];
  for (const report of reports) {
    for (const { load, server } of report.levels) {
      const s = summarize(load.latenciesMs);
      const seconds = load.elapsedMs / 1000;
      const rate = load.accepted / seconds;
      const aim =
        load.concurrency === AIM.atConcurrency
          ? `${rate >= AIM.deliveriesPerSecond ? 'met' : 'MISSED'} ≥${AIM.deliveriesPerSecond}/s, ${s.p99 < AIM.p99Ms ? 'met' : 'MISSED'} p99<${AIM.p99Ms}ms`
          : '';
      rows.push([
        report.role,
        String(load.concurrency),
        String(load.sent),
        `${seconds.toFixed(2)} s`,
        String(load.errors + load.duplicates),
        rate.toFixed(0),
        ((load.accepted * options.alerts) / seconds).toFixed(0),
        ms(s.p50),
        ms(s.p90),
        ms(s.p99),
        ms(s.max),
        pct(server.processCpuMs, server.wallMs),
        load.sent > 0 ? (server.processCpuMs / load.sent).toFixed(2) : 'n/a',
        pct(server.postgresCpuMs, server.wallMs),
        pct(server.redisCpuMs, server.wallMs),
        pct(load.clientCpuMs, load.elapsedMs),
        server.machineBusy === undefined ? 'n/a' : `${Math.round(server.machineBusy * 100)}%`,
        aim,
      ]);
    }
  }
  log(
    table(
      ['role', 'conc', 'requests', 'time', 'errors', 'deliveries/s', 'alerts/s', 'p50', 'p90', 'p99', 'max', 'bot CPU', 'bot ms/req', 'Postgres CPU', 'Redis CPU', 'client CPU', `machine (${CORES} cores)`, `aim @${AIM.atConcurrency}`],
      rows,
    ),
  );
  log('   CPU columns are shares of one core over the measured phase: bot = the bot process (HTTP, Prisma, BullMQ, and in role all its workers and the fake Slack),');
  log('   bot ms/req = its CPU per request; Postgres = all server processes (other users of the server included); client = the load generator; machine = all cores busy');
  const drained = reports.flatMap((report) => report.levels.flatMap((row) => (row.drain ? [{ concurrency: row.load.concurrency, drain: row.drain }] : [])));
  if (drained.length > 0) {
    log('   workers (role all): backlog left when each level ended (deliveries not yet correlated / incidents without their Slack message) and the time to clear it:');
    for (const { concurrency, drain } of drained) {
      const perIncident = drain.deliveries >= 100 ? `: ${(drain.deliveries / drain.seconds).toFixed(0)} deliveries/s; per delivery left, bot CPU ${(drain.botCpuMs / drain.deliveries).toFixed(1)} ms, Postgres CPU ${drain.postgresCpuMs === undefined ? 'n/a' : `${(drain.postgresCpuMs / drain.deliveries).toFixed(1)} ms`}` : '';
      log(`     conc ${concurrency}: ${drain.deliveries} deliveries / ${drain.incidents} incidents behind, ${drain.drained ? 'cleared' : 'NOT cleared'} in ${drain.seconds.toFixed(1)} s${perIncident}`);
    }
  }
  log('');

  for (const report of reports) {
    const latency = report.latency;
    if (!latency) continue;
    log(`2) Webhook → runbook posted (role ${report.role}): ${latency.groups} new alert groups, one at a time, fake Slack answering at once`);
    log('   from just before the POST until the fake Slack handled the chat.postMessage carrying the incident message');
    const posted = summarize(latency.postedMs);
    const rowsOf = (name: string, samples: number[]) => {
      const s = summarize(samples);
      return [name, String(s.count), ms(s.p50), ms(s.p90), ms(s.p99), ms(s.max)];
    };
    log(
      table(
        ['step (from before the POST)', 'n', 'p50', 'p90', 'p99', 'max'],
        [rowsOf('2xx answer read', latency.ackMs), rowsOf('conversations.create handled', latency.channelMs), rowsOf('incident message posted', latency.postedMs)],
      ),
    );
    log(
      `   aim: < ${AIM.runbookMs} ms → ${posted.count > 0 && posted.max < AIM.runbookMs ? 'met (max)' : posted.p99 < AIM.runbookMs ? 'met at p99, not at max' : 'MISSED'}; ` +
        `${latency.withRunbook}/${latency.postedMs.length} messages carried the runbook; ${latency.timeouts} timed out (10 s); ${latency.failures.length} webhooks refused`,
    );
    for (const failure of latency.failures.slice(0, 3)) log(`   ! ${failure}`);
    log('');
  }

  log('3) What ended up in Postgres and in the fake Slack, per bot (each bot had its own database and fake Slack)');
  const sent = (report: RoleReport) => report.levels.reduce((sum, row) => sum + row.load.accepted + row.load.warmedUp, 0) + (report.latency ? report.latency.groups + 5 : 0);
  log(
    table(
      ['role', 'webhooks sent', 'deliveries', 'processed', 'alerts', 'incidents', 'with message', 'with runbook', 'runbook.posted events'],
      reports.map((report) => [
        report.role,
        String(sent(report)),
        String(report.counts.deliveries),
        String(report.counts.processedDeliveries),
        String(report.counts.alerts),
        String(report.counts.incidents),
        String(report.counts.incidentsWithMessage),
        String(report.counts.incidentsWithRunbook),
        String(report.counts.runbookPostedEvents),
      ]),
    ),
  );
  log('   (webhooks sent includes the warm-up requests: distinct payloads too, so stored as well; deliveries = webhooks sent means none was lost)');
  for (const report of reports) {
    const methods = Object.entries(report.slackCounts).sort(([a], [b]) => a.localeCompare(b));
    log(`   fake Slack calls (role ${report.role}): ${methods.length === 0 ? 'none' : methods.map(([method, n]) => `${method} ${n}`).join(', ')}`);
  }
}

async function serverVersions(): Promise<string> {
  const client = new pg.Client({ connectionString: ADMIN_PG_URL });
  await client.connect();
  try {
    const row = (await client.query<{ v: string; sc: string; fs: string }>("SELECT current_setting('server_version') AS v, current_setting('synchronous_commit') AS sc, current_setting('fsync') AS fs")).rows[0];
    return `Postgres ${row?.v} (fsync ${row?.fs}, synchronous_commit ${row?.sc})${loadAverage()}`;
  } finally {
    await client.end();
  }
}

runBench(main, async () => {
  if (process.exitCode !== 1) return;
  for (const bot of activeBots) await bot.stop().catch(() => undefined);
  await client?.close().catch(() => undefined);
});
