/**
 * bench:status-page — the status page under an outage's traffic. GET / and GET
 * /api/v2/summary.json at concurrency 64 against the bot's status listener, and against a plain
 * node:http server sending the same bytes from memory (the ceiling), side by side in one run;
 * meanwhile the bot's process also takes Alertmanager webhooks, whose latency is reported.
 *
 *   npm run bench:status-page -- [--seconds 8] [--concurrency 64]
 */
import { fork } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { publishIncident } from '../src/status-page/publish-incident.js';
import { alertmanagerPayload, dbAlert } from '../test/support/alertmanager.js';
import { startBenchBot } from './support/bot-harness.js';
import { CORES, machineBusyOver } from './support/cpu.js';
import type { GetLoadRequest, GetLoadResult } from './support/get-load-process.js';
import { ms, summarize } from './support/stats.js';
import { table } from './support/table.js';

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at === -1 ? fallback : Number(process.argv[at + 1]);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
}

const SECONDS = option('seconds', 8);
const CONCURRENCY = option('concurrency', 64);
const WEBHOOK_EVERY_MS = 50;

function load(request: GetLoadRequest): Promise<GetLoadResult> {
  const execArgv = process.execArgv.some((arg) => arg.includes('tsx')) ? process.execArgv : [...process.execArgv, '--import', 'tsx'];
  const child = fork(path.join(import.meta.dirname, 'support/get-load-process.ts'), [], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('message', (message: { result?: GetLoadResult; error?: string }) => {
      child.disconnect();
      if (message.result) resolve(message.result);
      else reject(new Error(message.error));
    });
    child.once('error', reject);
    child.send(request);
  });
}

/** The ceiling: node:http answering from a Buffer, nothing else. */
async function plainServer(bodies: Map<string, { body: Buffer; type: string }>) {
  const server = createServer((req, res) => {
    const found = bodies.get(req.url ?? '');
    if (!found) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': found.type, 'content-length': String(found.body.length) });
    res.end(found.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

async function main(): Promise<void> {
  const components = [
    { name: 'API', services: ['api'] },
    { name: 'Website', services: ['web'] },
    { name: 'Payments', services: ['payments'] },
    { name: 'Notifications', services: ['notify'] },
  ];
  const bench = await startBenchBot({ role: 'all', logLevel: 'error', config: { status_page: { title: 'Acme status', public_url: 'https://status.example.com', port: 0, components } } });
  try {
    const deps = bench.bot.deps;
    const statusUrl = bench.bot.statusPageUrl as string;
    // Something to show: three published incidents with a few updates each.
    for (let n = 0; n < 3; n += 1) {
      await fetch(`${bench.url}/webhooks/alertmanager`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(alertmanagerPayload({ groupLabels: { alertname: 'ApiDatabaseUnavailable', instance: `seed-${n}` }, alerts: [dbAlert({ instance: `seed-${n}` })] })) });
    }
    const seeded = await (async () => {
      for (;;) {
        const rows = await deps.db.incident.findMany({ select: { id: true } });
        if (rows.length >= 3) return rows;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    for (const [n, incident] of seeded.entries()) {
      for (const status of ['investigating', 'identified', 'monitoring'] as const) {
        await publishIncident(deps, incident.id, { by: 'UBENCH', source: 'api', title: `Elevated error rates on ${components[n]?.name}`, body: `Update while ${status}: some requests fail; we are on it.`, status, components: [{ name: components[n]?.name ?? 'API', status: 'partial_outage' }] });
      }
    }
    // Published changes reach the listener through NOTIFY; wait for the last one.
    for (;;) {
      const summary = (await (await fetch(`${statusUrl}/api/v2/summary.json`)).json()) as { incidents: { incident_updates: unknown[] }[] };
      if (summary.incidents.length === 3 && summary.incidents.every((incident) => incident.incident_updates.length === 3)) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const bodies = new Map<string, { body: Buffer; type: string }>();
    for (const route of ['/', '/api/v2/summary.json']) {
      const response = await fetch(`${statusUrl}${route}`);
      bodies.set(route, { body: Buffer.from(await response.arrayBuffer()), type: response.headers.get('content-type') ?? 'text/plain' });
    }
    const plain = await plainServer(bodies);
    const busy = await machineBusyOver(1_000);
    const rows: string[][] = [];
    const webhookRows: string[][] = [];
    let webhookSeq = 0;
    for (const route of ['/', '/api/v2/summary.json']) {
      for (const [name, base] of [['plain node:http', plain.url], ['status listener', statusUrl]] as const) {
        const flooding = true;
        const webhooks: number[] = [];
        let flood = true;
        const sender = (async () => {
          if (!flooding) return;
          await new Promise((resolve) => setTimeout(resolve, 1_500));
          while (flood) {
            webhookSeq += 1;
            // One alert group (one incident) whose alerts keep changing: each delivery is a real insert.
            const body = JSON.stringify(alertmanagerPayload({ groupLabels: { alertname: 'ApiDatabaseUnavailable', instance: 'flood' }, alerts: [dbAlert({ instance: 'flood', annotations: { summary: `flood ${webhookSeq}` } })] }));
            const started = performance.now();
            const response = await fetch(`${bench.url}/webhooks/alertmanager`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
            await response.arrayBuffer();
            if (response.ok) webhooks.push(performance.now() - started);
            await new Promise((resolve) => setTimeout(resolve, WEBHOOK_EVERY_MS));
          }
        })();
        const result = await load({ url: base, path: route, concurrency: CONCURRENCY, warmupMs: 1_000, durationMs: SECONDS * 1_000 });
        flood = false;
        await sender;
        const latency = summarize(result.latenciesMs);
        rows.push([route, name, String(result.sent), `${Math.round(result.sent / (result.elapsedMs / 1_000))}/s`, ms(latency.p50, 2), ms(latency.p99, 2), String(result.errors), `${bodies.get(route)?.body.length ?? 0} B`]);
        if (flooding) {
          const hooks = summarize(webhooks);
          webhookRows.push([route, name, String(hooks.count), ms(hooks.p50), ms(hooks.p99), ms(hooks.max)]);
        }
      }
    }
    await plain.close();
    console.log(`\nstatus page flood: concurrency ${CONCURRENCY}, ${SECONDS} s per run (after 1 s warm-up), ${CORES} cores, machine ${busy === undefined ? 'load unknown' : `${Math.round(busy * 100)} % busy`} before the runs; load client in its own process`);
    console.log(table(['route', 'server', 'requests', 'req/s', 'p50', 'p99', 'errors', 'body'], rows));
    console.log(`\nAlertmanager webhooks to the bot process during each flood (the plain server runs in the bot's process too) (one every ${WEBHOOK_EVERY_MS} ms, sequential):`);
    console.log(table(['flooded route', 'server flooded', 'webhooks', 'p50', 'p99', 'max'], webhookRows));
  } finally {
    await bench.stop();
  }
}

await main();
