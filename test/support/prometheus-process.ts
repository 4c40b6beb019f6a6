import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { waitFor } from './wait-for.js';
import { freePort } from './free-port.js';

export interface PrometheusServer {
  url: string;
  stop(): Promise<void>;
}

/**
 * A real Prometheus on loopback scraping itself every second, ready once `up{job="prometheus"}`
 * has a sample. Fails (never skips) when the binary is missing.
 */
export async function startPrometheus(): Promise<PrometheusServer> {
  const binary = process.env.PROMETHEUS_BIN ?? 'prometheus';
  const probe = spawnSync(binary, ['--version'], { encoding: 'utf8' });
  if (probe.error) {
    throw new Error(`the Prometheus tests need the "${binary}" binary (${probe.error.message}): install it, e.g. apt-get install -y prometheus, or set PROMETHEUS_BIN`);
  }
  const port = await freePort();
  const dir = await mkdtemp(path.join(tmpdir(), 'prometheus-test-'));
  const config = path.join(dir, 'prometheus.yml');
  await writeFile(
    config,
    ['global:', '  scrape_interval: 1s', '  evaluation_interval: 1s', 'scrape_configs:', '  - job_name: prometheus', '    static_configs:', `      - targets: ['127.0.0.1:${port}']`, ''].join('\n'),
  );
  const child = spawn(binary, [`--config.file=${config}`, `--storage.tsdb.path=${path.join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4_000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(killer);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitFor(async () => child.exitCode === null && (await fetch(`${url}/-/ready`)).ok, { timeoutMs: 30_000, what: 'Prometheus /-/ready' });
    await waitFor(
      async () => {
        const answer = (await (await fetch(`${url}/api/v1/query?query=${encodeURIComponent('up{job="prometheus"}')}`)).json()) as { data?: { result?: unknown[] } };
        return (answer.data?.result?.length ?? 0) > 0;
      },
      { timeoutMs: 30_000, what: 'a sample of up{job="prometheus"}' },
    );
  } catch (error) {
    await stop();
    throw new Error(`Prometheus did not start: ${(error as Error).message}\n${log}`);
  }
  return { url, stop };
}
