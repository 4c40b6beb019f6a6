import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';

export interface LoadSpec {
  /** Bot base URL, e.g. http://127.0.0.1:34567 */
  url: string;
  path: string;
  /** Requests in flight at any time (one keep-alive connection each). */
  concurrency: number;
  /** Stop after this many requests have been sent… */
  maxRequests: number;
  /** …or once this much time has passed since the first request, whichever comes first. */
  maxMs: number;
  /** Requests sent first over the same connections at the same concurrency, not measured. */
  warmupRequests: number;
  /** The request bodies, one per request (warm-up first); each distinct, so each is a real insert. */
  bodies: readonly string[];
  /** Told when the measured phase starts and ends (to sample the server's CPU over it). */
  onPhase?: (phase: Phase) => void;
}

export type Phase = 'measure-start' | 'measure-end';

export interface LoadResult {
  concurrency: number;
  /** Warm-up requests sent (and answered) before the measured phase. */
  warmedUp: number;
  sent: number;
  /** Requests answered 2xx with `"status":"accepted"` (a real insert). */
  accepted: number;
  /** 2xx answered `"status":"duplicate"` (should be 0: every payload is distinct). */
  duplicates: number;
  /** Non-2xx answers and transport errors. */
  errors: number;
  firstError?: string;
  statuses: Record<string, number>;
  /** Per-request latency in ms, from just before `request()` to the whole response body read. */
  latenciesMs: number[];
  /** From the first request sent to the last response read. */
  elapsedMs: number;
  /** CPU time of the client process during the run (user + system), ms. */
  clientCpuMs: number;
}

/**
 * Closed-loop load: `concurrency` loops each send one request and wait for its answer before
 * sending the next, over an undici Pool of as many keep-alive connections (no pipelining), so
 * the pool never queues and latency is the server's plus the client's own overhead.
 */
export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const pool = new Pool(spec.url, { connections: spec.concurrency, pipelining: 1, keepAliveTimeout: 60_000 });
  const send = (body: string) => pool.request({ path: spec.path, method: 'POST', headers: { 'content-type': 'application/json' }, body });

  // Warm-up: opens every connection and lets the JIT and the pools settle. Bounded to 5 s.
  let warm = 0;
  const warmDeadline = performance.now() + 5_000;
  const warmLimit = Math.min(spec.warmupRequests, spec.bodies.length);
  await Promise.all(
    Array.from({ length: spec.concurrency }, async () => {
      while (warm < warmLimit && performance.now() < warmDeadline) {
        const response = await send(spec.bodies[warm++] as string);
        await response.body.text();
      }
    }),
  );

  const limit = Math.min(warm + spec.maxRequests, spec.bodies.length);
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let next = warm;
  let accepted = 0;
  let duplicates = 0;
  let errors = 0;
  let firstError: string | undefined;
  spec.onPhase?.('measure-start');
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const deadline = started + spec.maxMs;

  async function loop(): Promise<void> {
    while (next < limit && performance.now() < deadline) {
      const body = spec.bodies[next++] as string;
      const t0 = performance.now();
      try {
        const response = await send(body);
        const text = await response.body.text();
        latencies.push(performance.now() - t0);
        statuses[response.statusCode] = (statuses[response.statusCode] ?? 0) + 1;
        if (response.statusCode >= 200 && response.statusCode < 300) {
          if (text.includes('"status":"accepted"')) accepted++;
          else if (text.includes('"status":"duplicate"')) duplicates++;
        } else {
          errors++;
          firstError ??= `HTTP ${response.statusCode}: ${text.slice(0, 300)}`;
        }
      } catch (error) {
        latencies.push(performance.now() - t0);
        errors++;
        statuses.transport_error = (statuses.transport_error ?? 0) + 1;
        firstError ??= error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      }
    }
  }

  await Promise.all(Array.from({ length: spec.concurrency }, () => loop()));
  const elapsedMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  spec.onPhase?.('measure-end');
  await pool.close();
  return {
    concurrency: spec.concurrency,
    warmedUp: warm,
    sent: latencies.length,
    accepted,
    duplicates,
    errors,
    ...(firstError !== undefined ? { firstError } : {}),
    statuses,
    latenciesMs: latencies,
    elapsedMs,
    clientCpuMs: (cpu.user + cpu.system) / 1000,
  };
}
