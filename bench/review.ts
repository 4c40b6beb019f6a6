/**
 * Review benchmark: the time to draft the post-incident review of a long incident — 5,000
 * timeline events, a few hundred alerts, some action runs (with sizeable output, which the
 * review must not read) — from Postgres: loadReviewFacts + draftReview; and the whole of what the
 * bot does when the review changed (currentDraft: read the review and its follow-ups, draft, save).
 *
 *   npm run bench:review [-- --events 5000 --alerts 300 --runs 40 --iterations 20 --warmup 3]
 *
 * Uses a fresh database on BENCH_PG_URL (default postgresql://postgres@127.0.0.1:5432/postgres),
 * migrated with src/db/migrate.ts and dropped at the end. The aim is printed, never enforced.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { pino } from 'pino';
import { createDb, type Db, type Prisma } from '../src/db/client.js';
import { migrate } from '../src/db/migrate.js';
import { currentDraft } from '../src/review/current-draft.js';
import { draftReview } from '../src/review/draft-review.js';
import { loadReviewFacts } from '../src/review/review-facts.js';
import { parseRunbook } from '../src/runbooks/parse-runbook.js';
import { ms, summarize } from './support/stats.js';
import { table } from './support/table.js';
import { positiveInt } from './support/cli-options.js';

const AIM_MS = 1_000;
const ADMIN_URL = process.env.BENCH_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '5000' },
    alerts: { type: 'string', default: '300' },
    runs: { type: 'string', default: '40' },
    iterations: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '3' },
  },
});
const options = {
  events: positiveInt('events', args.events),
  alerts: positiveInt('alerts', args.alerts),
  runs: positiveInt('runs', args.runs),
  iterations: positiveInt('iterations', args.iterations),
  warmup: positiveInt('warmup', args.warmup),
};

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

const RUNBOOK = parseRunbook(
  'checkout-db.md',
  `---
id: checkout-db
title: Checkout database connections
match:
  - service: checkout
---
## Symptoms

Checkout answers 5xx.

## Prevention

- Alert on connection headroom above 80 % of \`max_connections\`.
- Load-test checkout with the pool size used in production.
`,
);

/** One long incident: opened 03:00:30, alerts from 03:00:00, events spread over six hours, resolved at the end. */
async function seed(db: Db): Promise<string> {
  const t0 = Date.parse('2026-11-24T03:00:00.000Z');
  const at = (seconds: number) => new Date(t0 + seconds * 1000);
  const span = 6 * 3600;
  const groupKey = `alertmanager:bench-${randomUUID()}`;
  const policy = { ack_by: 'policy', levels: [{ level: 'L1', notify: ['U1'] }, { level: 'L2', notify: ['U2'] }, { level: 'L3', notify: ['U3', 'S0614TZR7'] }] };
  const incident = await db.incident.create({
    data: {
      title: 'Checkout is failing payments (bench)',
      status: 'resolved',
      severity: 'critical',
      source: 'alertmanager',
      groupKey,
      runbookId: 'checkout-db',
      policy,
      policyName: 'default',
      level: 3,
      acknowledgedBy: 'U2',
      openedAt: at(30),
      acknowledgedAt: at(900),
      resolvedAt: at(span + 10),
      channelName: 'inc-bench',
    },
  });
  const services = ['checkout', 'payments', 'ledger', 'search', 'notifications'];
  const alerts = Array.from({ length: options.alerts }, (_, i) => ({
    source: 'alertmanager',
    fingerprint: `bench-${i.toString(16).padStart(8, '0')}`,
    status: 'resolved' as const,
    recordedStatus: 'resolved' as const,
    name: `BenchAlert${i % 25}`,
    labels: { alertname: `BenchAlert${i % 25}`, service: services[i % services.length] ?? 'checkout', instance: `pod-${i}` },
    annotations: { summary: `Alert ${i}: error rate above threshold on pod-${i}`, description: 'x'.repeat(300) },
    startsAt: at(Math.floor((i * span) / options.alerts / 2)),
    endsAt: at(span - 60),
    generatorUrl: `http://prometheus:9090/graph?g0.expr=rate(errors_total{pod="pod-${i}"}[5m]) > 0.05`,
    groupKey,
    incidentId: incident.id,
    lastDeliveryId: randomUUID(),
  }));
  await db.alert.createMany({ data: alerts });
  await db.escalation.createMany({
    data: [1, 2, 3].map((level) => ({ incidentId: incident.id, step: level, level, reason: level === 1 ? 'opened' : 'timeout', actor: 'bot', notify: policy.levels[level - 1]?.notify ?? [], at: at(30 + (level - 1) * 300) })),
  });
  const runs = Array.from({ length: options.runs }, (_, i) => {
    const requested = 1_000 + Math.floor((i * (span - 2_000)) / options.runs);
    const ok = i % 4 !== 3;
    return {
      id: randomUUID(),
      incidentId: incident.id,
      runbookId: 'checkout-db',
      actionId: `action-${i % 6}`,
      kind: i % 3 === 0 ? 'mitigation' : 'diagnostic',
      type: 'http',
      label: `Action ${i % 6}`,
      requestedBy: `U${(i % 3) + 1}`,
      pressKey: randomUUID(),
      status: ok ? ('succeeded' as const) : ('failed' as const),
      attempts: 1,
      ok,
      summary: ok ? `check ${i} passed` : `HTTP 503 on attempt ${i}`,
      error: ok ? null : `HTTP 503 on attempt ${i}`,
      // The full output of a run stays in Postgres: the review reads its summary only.
      output: 'o'.repeat(64 * 1024),
      durationMs: 200 + i,
      requestedAt: at(requested),
      startedAt: at(requested + 1),
      finishedAt: at(requested + 3),
    };
  });
  await db.actionRun.createMany({ data: runs });

  const events: Prisma.TimelineEventCreateManyInput[] = [];
  const push = (seconds: number, type: string, actor: string, source: string, data: Prisma.InputJsonObject) => events.push({ incidentId: incident.id, at: at(seconds), type, actor, source, data });
  push(30, 'incident.opened', 'alertmanager', 'alert', { title: incident.title, severity: 'critical', runbookId: 'checkout-db', policy: 'default' });
  for (const level of [1, 2, 3]) push(30 + (level - 1) * 300, 'escalation.notified', 'bot', 'escalation', { step: level, level: `L${level}`, reason: level === 1 ? 'opened' : 'timeout', notify: policy.levels[level - 1]?.notify ?? [], note: null });
  push(900, 'incident.acknowledged', 'U2', 'slack', { level: 2, secondsToAck: 870 });
  for (const run of runs) {
    const requested = (run.requestedAt.getTime() - t0) / 1000;
    const data = { runId: run.id, actionId: run.actionId, label: run.label, requestedBy: run.requestedBy };
    push(requested, 'action.requested', run.requestedBy, 'slack', { ...data, kind: run.kind });
    push(requested + 1, 'action.started', 'worker', 'worker', data);
    push(requested + 3, run.ok ? 'action.succeeded' : 'action.failed', 'worker', 'worker', { ...data, summary: run.summary, attempts: 1, durationMs: run.durationMs });
  }
  for (const alert of alerts) {
    const received = Math.max(30, (alert.startsAt.getTime() - t0) / 1000 + 30);
    push(received, 'alert.received', 'alertmanager', 'alert', { fingerprint: alert.fingerprint, name: alert.name, summary: alert.annotations.summary, labels: alert.labels, generatorUrl: alert.generatorUrl, status: 'firing', startsAt: alert.startsAt.toISOString() });
  }
  // The rest, spread over the six hours, as a long incident fills its timeline: mostly flapping
  // alerts (resolved, firing again), with a note every tenth event and a pinned message every twentieth.
  const remaining = options.events - events.length - 1;
  for (let i = 0; i < remaining; i++) {
    const seconds = 60 + Math.floor((i * (span - 120)) / Math.max(1, remaining));
    const alert = alerts[i % alerts.length];
    if (i % 20 === 19) push(seconds, 'note.pinned', 'U1', 'slack', { author: 'U3', text: `Pinned finding ${i}: ${'the pool is exhausted; '.repeat(4)}`, permalink: `https://example.slack.com/archives/C1/p${1764039900000100 + i}`, messageTs: null });
    else if (i % 10 === 9) push(seconds, 'note.added', `U${(i % 3) + 1}`, 'slack', { author: `U${(i % 3) + 1}`, text: `Note ${i}: ${'looked at the dashboards and the logs again. '.repeat(3)}`, permalink: null, messageTs: null });
    else if (alert && i % 2 === 0) push(seconds, 'alert.resolved', 'alertmanager', 'alert', { fingerprint: alert.fingerprint, name: alert.name, endsAt: at(seconds).toISOString() });
    else if (alert) push(seconds, 'alert.received', 'alertmanager', 'alert', { fingerprint: alert.fingerprint, name: alert.name, summary: alert.annotations.summary, labels: alert.labels, generatorUrl: alert.generatorUrl, status: 'firing', startsAt: at(seconds).toISOString() });
  }
  push(span + 10, 'incident.resolved', 'U2', 'slack', { summary: 'Pool raised; errors back to baseline' });
  // Inserted in a shuffled order, as concurrent writers would: the review orders by time, then id.
  for (let i = events.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [events[i], events[j]] = [events[j] as Prisma.TimelineEventCreateManyInput, events[i] as Prisma.TimelineEventCreateManyInput];
  }
  for (let i = 0; i < events.length; i += 1_000) await db.timelineEvent.createMany({ data: events.slice(i, i + 1_000) });
  return incident.id;
}

async function main(): Promise<void> {
  const name = `incident_bot_bench_review_${randomBytes(5).toString('hex')}`;
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  await admin(`CREATE DATABASE "${name}"`);
  let db: Db | undefined;
  try {
    await migrate(url.toString(), pino({ level: 'silent' }));
    db = createDb(url.toString());
    const seeding = performance.now();
    const incidentId = await seed(db);
    const counts = {
      events: await db.timelineEvent.count({ where: { incidentId } }),
      alerts: await db.alert.count({ where: { incidentId } }),
      runs: await db.actionRun.count({ where: { incidentId } }),
    };
    await db.$executeRawUnsafe('ANALYZE');
    console.log(`Seeded 1 incident: ${counts.events} timeline events, ${counts.alerts} alerts, ${counts.runs} action runs (64 kB output each) in ${ms(performance.now() - seeding, 0)}.`);

    const load: number[] = [];
    const draft: number[] = [];
    const total: number[] = [];
    let markdown = '';
    for (let i = 0; i < options.warmup + options.iterations; i++) {
      const started = performance.now();
      const facts = await loadReviewFacts(db, incidentId);
      if (!facts) throw new Error('the incident is gone');
      const loaded = performance.now();
      markdown = draftReview(facts, RUNBOOK);
      const done = performance.now();
      if (i < options.warmup) continue;
      load.push(loaded - started);
      draft.push(done - loaded);
      total.push(done - started);
    }
    // The review row as a resolution leaves it, with follow-ups and people-written sections.
    const resolvedAt = new Date('2026-11-24T09:00:10.000Z');
    await db.review.create({ data: { incidentId, owner: 'U2', resolvedAt, dueAt: new Date(resolvedAt.getTime() + 172_800_000), sections: { 'root-cause': 'Pool size too small for the new worker count.\n'.repeat(20) } } });
    await db.followUp.createMany({ data: Array.from({ length: 10 }, (_, i) => ({ incidentId, owner: `U${(i % 3) + 1}`, dueOn: new Date('2026-12-08'), text: `Follow-up ${i}: add an alert on pool headroom`, createdBy: 'U1' })) });
    const redraft: number[] = [];
    for (let i = 0; i < options.warmup + options.iterations; i++) {
      await db.review.update({ where: { incidentId }, data: { revision: { increment: 1 } } });
      const started = performance.now();
      const current = await currentDraft({ db, runbooks: [RUNBOOK] }, incidentId);
      if (!current || current.review.draftedRevision !== current.review.revision) throw new Error('the review was not drafted');
      if (i >= options.warmup) redraft.push(performance.now() - started);
    }
    const rows = [
      ['loadReviewFacts', load],
      ['draftReview', draft],
      ['total', total],
      ['currentDraft (read, draft, save)', redraft],
    ] as const;
    console.log(`\n${options.iterations} runs after ${options.warmup} warm-ups:\n`);
    console.log(
      table(
        ['phase', 'p50', 'p99', 'max', 'mean'],
        rows.map(([phase, samples]) => {
          const stats = summarize(samples);
          return [phase, ms(stats.p50), ms(stats.p99), ms(stats.max), ms(stats.mean)];
        }),
      ),
    );
    const lines = markdown.split('\n').length;
    console.log(`\nMarkdown: ${Buffer.byteLength(markdown).toLocaleString('en')} bytes, ${lines.toLocaleString('en')} lines.`);
    const p99 = Math.max(summarize(total).p99, summarize(redraft).p99);
    console.log(`Aim: under ${AIM_MS} ms for ${counts.events} events — worst p99 ${ms(p99)}: ${p99 < AIM_MS ? 'met' : 'NOT met'}.`);
  } finally {
    await db?.$disconnect();
    await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  }
}

await main();
