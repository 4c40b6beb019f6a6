/**
 * Child-process entry of a GET load client: closed loops of GET requests at a fixed concurrency
 * over keep-alive connections, for a fixed time after a warm-up; the raw latencies go back to the
 * parent. In its own process so its CPU is not the server's.
 */
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';

export interface GetLoadRequest {
  url: string;
  path: string;
  concurrency: number;
  warmupMs: number;
  durationMs: number;
}

export interface GetLoadResult {
  sent: number;
  errors: number;
  statuses: Record<string, number>;
  bytes: number;
  latenciesMs: number[];
  elapsedMs: number;
}

async function run(request: GetLoadRequest): Promise<GetLoadResult> {
  const pool = new Pool(request.url, { connections: request.concurrency, pipelining: 1, keepAliveTimeout: 60_000 });
  const result: GetLoadResult = { sent: 0, errors: 0, statuses: {}, bytes: 0, latenciesMs: [], elapsedMs: 0 };
  const loop = async (until: number, measure: boolean) => {
    while (performance.now() < until) {
      const started = performance.now();
      try {
        const response = await pool.request({ path: request.path, method: 'GET' });
        const body = Buffer.from(await response.body.arrayBuffer());
        if (!measure) continue;
        result.statuses[response.statusCode] = (result.statuses[response.statusCode] ?? 0) + 1;
        result.bytes += body.length;
      } catch {
        if (measure) result.errors += 1;
      }
      if (measure) {
        result.sent += 1;
        result.latenciesMs.push(performance.now() - started);
      }
    }
  };
  const warmEnd = performance.now() + request.warmupMs;
  await Promise.all(Array.from({ length: request.concurrency }, () => loop(warmEnd, false)));
  const start = performance.now();
  await Promise.all(Array.from({ length: request.concurrency }, () => loop(start + request.durationMs, true)));
  result.elapsedMs = performance.now() - start;
  await pool.close();
  return result;
}

if (process.send) {
  process.on('message', (message: GetLoadRequest) => {
    run(message).then(
      (result) => process.send?.({ result }),
      (error: unknown) => process.send?.({ error: String(error) }),
    );
  });
  process.on('disconnect', () => process.exit(0));
}
