import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import type { Clock } from '../../clock.js';
import type { Logger } from '../../log.js';
import { answerQuery } from './demo-query.js';
import { newDemoState, queueWaiting, type DemoState } from './demo-state.js';

export interface DemoService {
  url: string;
  state: DemoState;
  stop(): Promise<void>;
}

const BODY_LIMIT = 64 * 1024;
const invalidateBody = z.object({ tags: z.array(z.string().max(100)).max(50).optional() });

/**
 * The application the shipped runbooks look after, for the sandbox: `/health`, the ops API
 * (pause and resume jobs, invalidate cache tags, redeliver webhooks, run retention, dead tasks)
 * and Prometheus's query API, in-process on a loopback port. Its answers follow its state, so
 * every shipped diagnostic and mitigation does something visible without any real service.
 */
export async function startDemoService(deps: { clock: Clock; log: Logger }): Promise<DemoService> {
  const state = newDemoState(deps.clock.now());
  const server: Server = createServer((req, res) => {
    handle(req, res, state, deps.clock).catch((error: unknown) => {
      deps.log.warn({ err: error, path: req.url }, 'demo service: request failed');
      if (!res.headersSent) send(res, 500, { error: 'internal error' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    state,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, state: DemoState, clock: Clock): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://demo.invalid');
  const now = clock.now();
  const route = `${req.method ?? 'GET'} ${url.pathname}`;
  switch (route) {
    case 'GET /health':
      return send(res, 200, {
        status: 'healthy',
        dependencies: { database: 'up', redis: 'up' },
        jobs: { paused: state.queue.paused, waiting: queueWaiting(state, now) },
      });
    case 'POST /api/ops/jobs/pause':
    case 'POST /api/ops/jobs/resume': {
      const paused = route.endsWith('pause');
      state.queue.waiting = queueWaiting(state, now);
      state.queue.paused = paused;
      state.queue.changedAt = now;
      return send(res, 202, { paused, waiting: state.queue.waiting, message: paused ? 'bulk jobs paused: running jobs finish, new ones wait' : 'bulk jobs resumed' });
    }
    case 'POST /api/ops/cache/invalidate': {
      const body = invalidateBody.safeParse(await readJson(req));
      if (!body.success) return send(res, 400, { error: 'expected {"tags": ["…"]}' });
      const tags = body.data.tags ?? [];
      const keys = Math.min(state.cache.keys, 120 * Math.max(1, tags.length));
      state.cache = { invalidatedAt: now, tags, keys: state.cache.keys - keys };
      return send(res, 200, { invalidated: tags, keys });
    }
    case 'POST /api/ops/webhooks/redeliver':
      state.redelivered += 12;
      return send(res, 202, { queued: 12, redelivered_total: state.redelivered });
    case 'POST /api/ops/retention/run':
      state.retentionRuns += 1;
      return send(res, 202, { started: true, runs: state.retentionRuns });
    case 'GET /api/admin/tasks': {
      const status = url.searchParams.get('status') ?? 'pending';
      const count = status === 'dead' ? state.deadTasks : queueWaiting(state, now);
      const tasks = Array.from({ length: Math.min(count, 5) }, (_unused, index) => ({ id: `task-${index + 1}`, type: index % 2 === 0 ? 'send-email' : 'sync-invoices', status }));
      return send(res, 200, { status, count, tasks });
    }
    case 'POST /api/admin/tasks/requeue': {
      const requeued = state.deadTasks;
      state.deadTasks = 0;
      state.queue.waiting += requeued;
      return send(res, 202, { requeued });
    }
    case 'GET /api/metrics/prometheus':
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      res.end(`# TYPE jobs_queue_length gauge\njobs_queue_length ${queueWaiting(state, now)}\n# TYPE jobs_paused gauge\njobs_paused ${state.queue.paused ? 1 : 0}\n`);
      return;
    case 'GET /api/v1/query':
    case 'POST /api/v1/query': {
      const params = req.method === 'POST' ? new URLSearchParams(await readText(req)) : url.searchParams;
      const query = params.get('query');
      if (!query) return send(res, 400, { status: 'error', errorType: 'bad_data', error: 'invalid parameter "query": no query given' });
      return send(res, 200, { status: 'success', data: { resultType: 'vector', result: answerQuery(query, state, now) } });
    }
    default:
      return send(res, 404, { error: `the demo application has no ${route}` });
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

async function readText(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req) {
    text += String(chunk);
    if (text.length > BODY_LIMIT) throw new Error('body too large');
  }
  return text;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const text = await readText(req);
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
