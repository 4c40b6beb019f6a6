import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { waitFor } from './wait-for.js';
import { freePort } from './free-port.js';

const BINARY = '/usr/bin/prometheus';


/** A real Prometheus (Debian's `prometheus` package) scraping itself every second. */
export async function startPrometheus(): Promise<{ url: string; stop(): Promise<void> }> {
  if (!existsSync(BINARY)) throw new Error(`${BINARY} not found: install Debian's "prometheus" package (.ci/run does)`);
  const dir = await mkdtemp(path.join(tmpdir(), 'prometheus-'));
  const port = await freePort();
  const config = path.join(dir, 'prometheus.yml');
  await writeFile(config, `global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n  - job_name: prometheus\n    static_configs:\n      - targets: ["127.0.0.1:${port}"]\n`);
  const child: ChildProcess = spawn(BINARY, [`--config.file=${config}`, `--storage.tsdb.path=${path.join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4_000)));
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor(
      async () => {
        const response = await fetch(`${url}/api/v1/query?query=${encodeURIComponent('up{job="prometheus"}')}`);
        const body = (await response.json()) as { data?: { result?: unknown[] } };
        return (body.data?.result?.length ?? 0) > 0;
      },
      { what: 'Prometheus to scrape itself', timeoutMs: 30_000, intervalMs: 200 },
    );
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}\n${stderr}`);
  }
  return {
    url,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
