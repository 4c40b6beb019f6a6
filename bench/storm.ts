// npm run bench:storm — 2,000 alerts over 200 alert groups in a few seconds, against a fake Slack
// that enforces Slack's rate tiers: how fast alerts are accepted, how many incidents and channels
// open, which Slack calls the storm costs, and the peak per-minute rate of conversations.create.
import { performance } from 'node:perf_hooks';
import { alertmanagerPayload } from '../test/support/alertmanager.js';
import { startBenchBot } from './support/bot-harness.js';
import { summarize, ms } from './support/stats.js';
import { table } from './support/table.js';

const GROUPS = 200;
const ALERTS_PER_GROUP = 10;
const SERVICES = 40;
const CONCURRENCY = 16;
const STORM_THRESHOLD = 10;

function payloads() {
  return Array.from({ length: GROUPS }, (_g, group) =>
    JSON.stringify(
      alertmanagerPayload({
        groupLabels: { alertname: `StormAlert${group}` },
        alerts: Array.from({ length: ALERTS_PER_GROUP }, (_a, i) => ({
          labels: { alertname: `StormAlert${group}`, service: `svc-${group % SERVICES}`, severity: 'warning', instance: `host-${i}` },
          annotations: { summary: `Storm alert ${group}` },
        })),
      }),
    ),
  );
}

async function main(): Promise<void> {
  console.log(`Storm benchmark — ${new Date().toISOString()}`);
  console.log(`${GROUPS} alert groups × ${ALERTS_PER_GROUP} alerts over ${SERVICES} services, ${CONCURRENCY} webhooks in flight; storm_threshold ${STORM_THRESHOLD} per minute, group_by [service]; fake Slack enforcing Slack's tiers\n`);
  const bot = await startBenchBot({
    role: 'all',
    relayIntervalMs: 2_000,
    config: { incidents: { storm_threshold: STORM_THRESHOLD, storm_window: '1m', group_by: ['service'] } },
    slackOptions: { rateLimits: true },
  });
  try {
    const bodies = payloads();
    const latencies: number[] = [];
    let next = 0;
    let failed = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < bodies.length) {
          const body = bodies[next++] as string;
          const t0 = performance.now();
          const response = await fetch(`${bot.url}/webhooks/alertmanager`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
          await response.arrayBuffer();
          latencies.push(performance.now() - t0);
          if (response.status !== 200) failed++;
        }
      }),
    );
    const acceptedIn = (performance.now() - started) / 1000;
    for (;;) {
      const backlog = await bot.backlog();
      if (backlog.deliveries === 0 && backlog.incidents === 0) break;
      if (performance.now() - started > 300_000) throw new Error(`Slack did not catch up within 5 minutes: ${JSON.stringify(backlog)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const caughtUp = (performance.now() - started) / 1000;
    const counts = await bot.counts();
    const latency = summarize(latencies);
    const creates = bot.slack.callsTo('conversations.create');
    const rateLimited = bot.slack.calls.filter((call) => call.status === 429).length;

    console.log(
      table(
        ['figure', 'value'],
        [
          ['webhooks accepted', `${GROUPS - failed} of ${GROUPS} (${failed} failed)`],
          ['alerts accepted per second', `${Math.round((GROUPS * ALERTS_PER_GROUP) / acceptedIn)} (${GROUPS * ALERTS_PER_GROUP} alerts in ${acceptedIn.toFixed(2)} s)`],
          ['webhook latency p50 / p99 / max', `${ms(latency.p50)} / ${ms(latency.p99)} / ${ms(latency.max)}`],
          ['alerts stored', String(counts.alerts)],
          ['incidents opened', String(counts.incidents)],
          ['channels created', String(creates.filter((call) => call.ok).length)],
          ['peak conversations.create per minute', `${bot.slack.peakPerMinute('conversations.create')} (Slack Tier 2: about 20)`],
          ['429 answers from Slack', String(rateLimited)],
          ['Slack caught up after', `${caughtUp.toFixed(1)} s`],
        ],
      ),
    );
    console.log('\nSlack calls per method');
    console.log(table(['method', 'calls'], Object.entries(bot.slack.counts()).sort(([a], [b]) => a.localeCompare(b)).map(([method, count]) => [method, String(count)])));
  } finally {
    await bot.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
