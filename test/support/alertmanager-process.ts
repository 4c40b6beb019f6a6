import { spawn, type ChildProcess } from 'node:child_process';
import { access, constants, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { waitFor } from './wait-for.js';

/** The Debian package `prometheus-alertmanager` installs it here; `.ci/run` installs the package. */
export const ALERTMANAGER_BINARY = process.env.ALERTMANAGER_BINARY ?? '/usr/bin/prometheus-alertmanager';

/** An alert as posted to `POST /api/v2/alerts` (what Prometheus sends). */
export interface PostableAlert {
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  startsAt?: string;
  endsAt?: string;
  generatorURL?: string;
}

/** An alert as `GET /api/v2/alerts` returns it. */
export interface GettableAlert extends Required<Omit<PostableAlert, 'generatorURL'>> {
  fingerprint: string;
  updatedAt: string;
  generatorURL?: string;
  receivers: { name: string }[];
  status: { state: string; silencedBy: string[]; inhibitedBy: string[] };
}

export interface AlertmanagerProcess {
  /** `http://127.0.0.1:<port>`: also its `--web.external-url`, so the `externalURL` of its webhooks. */
  url: string;
  version: string;
  /** Everything it wrote to stdout and stderr (its log goes to stderr). */
  output(): string;
  postAlerts(alerts: PostableAlert[]): Promise<void>;
  getAlerts(): Promise<GettableAlert[]>;
  /** The value of one sample of `GET /metrics`, e.g. `metric('alertmanager_notifications_total', { integration: 'webhook' })`; summed when several samples match. */
  metric(name: string, labels?: Record<string, string>): Promise<number | undefined>;
  stop(): Promise<void>;
}

export interface AlertmanagerOptions {
  /** The configuration file's content (written as YAML). */
  config: Record<string, unknown>;
  binary?: string;
  readyTimeoutMs?: number;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function assertBinary(binary: string): Promise<void> {
  try {
    await access(binary, constants.X_OK);
  } catch {
    throw new Error(
      `Alertmanager binary not found (or not executable) at ${binary}. The end-to-end tests need a real Alertmanager: ` +
        'install the Debian package with `apt-get update && apt-get install -y prometheus-alertmanager` ' +
        '(then `service prometheus-alertmanager stop`), as .ci/run does, or set ALERTMANAGER_BINARY.',
    );
  }
}

function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const match of text.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[match[1] as string] = (match[2] as string).replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
  return labels;
}

/** Sums the samples of `name` whose labels include `labels`; undefined when there is none. */
export function metricValue(exposition: string, name: string, labels: Record<string, string> = {}): number | undefined {
  let total: number | undefined;
  for (const line of exposition.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!match || match[1] !== name) continue;
    const sample = parseLabels(match[2] ?? '');
    if (Object.entries(labels).every(([key, value]) => sample[key] === value)) total = (total ?? 0) + Number(match[3]);
  }
  return total;
}

/**
 * Starts a real Alertmanager on a free loopback port with its own storage directory, clustering
 * disabled, and waits until `/-/ready` answers. Fails (with its output) if it exits or is not ready in time.
 */
export async function startAlertmanager(options: AlertmanagerOptions): Promise<AlertmanagerProcess> {
  const binary = options.binary ?? ALERTMANAGER_BINARY;
  await assertBinary(binary);
  const dir = await mkdtemp(path.join(tmpdir(), 'alertmanager-e2e-'));
  const configFile = path.join(dir, 'alertmanager.yml');
  await writeFile(configFile, stringify(options.config));

  const version = await new Promise<string>((resolve) => {
    const child = spawn(binary, ['--version'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.on('error', () => resolve('unknown'));
    child.on('close', () => resolve(/version (\S+)/.exec(text)?.[1] ?? 'unknown'));
  });

  // The port is chosen before Alertmanager binds it: another process may take it meanwhile, so retry.
  let lastError: Error | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    let output = '';
    const child: ChildProcess = spawn(
      binary,
      [
        `--config.file=${configFile}`,
        `--storage.path=${path.join(dir, `data-${attempt}`)}`,
        `--web.listen-address=127.0.0.1:${port}`,
        `--web.external-url=${url}`,
        // Empty: no cluster listener (it would bind 0.0.0.0:9094) and no gossip.
        '--cluster.listen-address=',
        '--log.level=debug',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    let exited: string | undefined;
    const exit = new Promise<void>((resolve) => {
      child.on('exit', (code, signal) => {
        exited = `exited with ${signal ?? `code ${code}`}`;
        resolve();
      });
      child.on('error', (error) => {
        exited = `could not be started: ${error.message}`;
        resolve();
      });
    });
    // Never leave it behind, even if the test process ends without afterAll.
    const killOnExit = () => child.kill('SIGKILL');
    process.once('exit', killOnExit);

    const stop = async () => {
      process.off('exit', killOnExit);
      if (exited === undefined) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exit;
        clearTimeout(timer);
      }
    };

    try {
      const state = await waitFor(
        async () => {
          // Resolves at once when it exits: no point polling a dead process until the deadline.
          if (exited !== undefined) return 'exited';
          const response = await fetch(`${url}/-/ready`);
          return response.ok && 'ready';
        },
        { timeoutMs: options.readyTimeoutMs ?? 30_000, intervalMs: 100, what: `Alertmanager ready at ${url}/-/ready` },
      );
      if (state === 'exited') throw new Error(`Alertmanager ${exited}`);
    } catch (error) {
      await stop();
      lastError = new Error(`${(error as Error).message}\n--- Alertmanager output (${binary}, version ${version}) ---\n${output}`);
      if (/address already in use/.test(output)) continue;
      break;
    }

    const api = async (pathname: string, init?: RequestInit): Promise<Response> => {
      const response = await fetch(`${url}${pathname}`, init);
      if (!response.ok) throw new Error(`Alertmanager ${init?.method ?? 'GET'} ${pathname}: HTTP ${response.status} ${await response.text()}`);
      return response;
    };
    return {
      url,
      version,
      output: () => output,
      async postAlerts(alerts) {
        await api('/api/v2/alerts', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(alerts) });
      },
      async getAlerts() {
        return (await (await api('/api/v2/alerts')).json()) as GettableAlert[];
      },
      async metric(name, labels) {
        return metricValue(await (await api('/metrics')).text(), name, labels);
      },
      async stop() {
        await stop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  }
  await rm(dir, { recursive: true, force: true });
  throw lastError ?? new Error('Alertmanager did not start');
}
