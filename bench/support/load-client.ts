import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { runLoad, type LoadResult, type Phase } from './load-generator.js';
import { benchPayload, growingGroupPayload } from './payloads.js';

export interface LoadRequest {
  url: string;
  path: string;
  concurrency: number;
  maxRequests: number;
  maxMs: number;
  /** Unmeasured requests first, over the same connections. */
  warmupRequests: number;
  /** Prefix of the generated alert groups; unique per level so no payload repeats. */
  label: string;
  alertsPerDelivery: number;
  /**
   * When set, requests cycle over this many alert groups, each notification of a group carrying
   * its newest `alertsPerDelivery` instances, one of them new (a group growing, as in a storm);
   * otherwise every request is a new alert group.
   */
  groups?: number;
}

export type ClientMode = 'child' | 'inline';

export interface LoadClient {
  readonly mode: ClientMode;
  readonly description: string;
  run(request: LoadRequest, onPhase?: (phase: Phase) => void): Promise<LoadResult>;
  close(): Promise<void>;
}

/** One distinct payload per request that may be sent, serialised before the clock starts. */
export function buildBodies(request: LoadRequest): string[] {
  const groups = request.groups;
  return Array.from({ length: request.warmupRequests + request.maxRequests }, (_unused, index) =>
    JSON.stringify(groups ? growingGroupPayload(`${request.label}-${index % groups}`, Math.floor(index / groups) + 1, request.alertsPerDelivery) : benchPayload(`${request.label}-${index}`, request.alertsPerDelivery)),
  );
}

/** The load client: in a forked child process (default), or inline in the bot's own process. */
export async function startLoadClient(mode: ClientMode): Promise<LoadClient> {
  if (mode === 'inline') {
    return {
      mode,
      description: 'undici Pool (keep-alive, 1 connection per concurrent request, no pipelining) in the bot process',
      run: (request, onPhase) => runLoad({ ...request, bodies: buildBodies(request), ...(onPhase ? { onPhase } : {}) }),
      close: async () => undefined,
    };
  }
  const entry = path.join(import.meta.dirname, 'load-client-process.ts');
  // Under tsx, execArgv carries its loader; without it (plain node), add it.
  const execArgv = process.execArgv.some((arg) => arg.includes('tsx')) ? process.execArgv : [...process.execArgv, '--import', 'tsx'];
  const child: ChildProcess = fork(entry, [], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', () => resolve());
    child.once('error', reject);
  });
  let nextId = 0;
  const pending = new Map<number, { resolve: (result: LoadResult) => void; reject: (error: Error) => void; onPhase?: (phase: Phase) => void }>();
  child.on('message', (message: { id: number; phase?: Phase; result?: LoadResult; error?: string }) => {
    const waiter = pending.get(message.id);
    if (!waiter) return;
    if (message.phase) {
      waiter.onPhase?.(message.phase);
      return;
    }
    pending.delete(message.id);
    if (message.result) waiter.resolve(message.result);
    else waiter.reject(new Error(`load client failed: ${message.error ?? 'unknown error'}`));
  });
  child.on('exit', (code) => {
    for (const waiter of pending.values()) waiter.reject(new Error(`load client exited with code ${code}`));
    pending.clear();
  });
  return {
    mode,
    description: `undici Pool (keep-alive, 1 connection per concurrent request, no pipelining) in a child process (pid ${child.pid})`,
    run(request, onPhase) {
      const id = nextId++;
      return new Promise<LoadResult>((resolve, reject) => {
        pending.set(id, { resolve, reject, ...(onPhase ? { onPhase } : {}) });
        child.send({ id, request });
      });
    },
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.disconnect();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
