import { spawn, type StdioOptions } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { freePort } from '../../test/support/free-port.js';

/** The built bot in a process of its own, answering on `url`. */
export interface BuiltBot {
  url: string;
  pid: number;
  /** From spawning the process to its first 2xx on the ready path (ms). */
  startMs: number;
  /** SIGTERM, as a process manager stops it; resolves once it has exited. */
  stop(): Promise<void>;
}

export interface BuiltBotOptions {
  /** The process's whole environment, given the port it is to listen on. */
  env: (port: number) => NodeJS.ProcessEnv;
  cwd: string;
  /** The path polled until it answers 2xx: /health, or /sandbox for the sandbox; none for a worker (no HTTP listener), which is taken as started once it has run for a second. */
  readyPath?: string;
  stdio?: StdioOptions;
  timeoutMs?: number;
}

/** The node options `npm start` gives the bot (its heap limit), read from package.json's start script. */
async function startNodeOptions(): Promise<string> {
  const manifest = z.object({ scripts: z.object({ start: z.string() }) }).parse(JSON.parse(await readFile(path.resolve(import.meta.dirname, '../../package.json'), 'utf8')));
  return /NODE_OPTIONS="([^"$]*)/.exec(manifest.scripts.start)?.[1]?.trim() ?? '';
}

/**
 * Starts the bot as `npm start` does (node dist/src/main.js, built by `npm run build`, with its
 * node options) and waits until `readyPath` answers. Further node flags for the bot (a CPU
 * profile) come from BENCH_BOT_NODE_ARGS.
 */
export async function startBuiltBot(options: BuiltBotOptions): Promise<BuiltBot> {
  const entry = path.resolve(import.meta.dirname, '../../dist/src/main.js');
  if (!existsSync(entry)) throw new Error('dist/src/main.js is missing: run `npm run build` first');
  const port = await freePort();
  const nodeArgs = process.env.BENCH_BOT_NODE_ARGS?.split(/\s+/).filter(Boolean) ?? [];
  const env = options.env(port);
  const nodeOptions = [await startNodeOptions(), env.NODE_OPTIONS].filter(Boolean).join(' ');
  const started = performance.now();
  const child = spawn(process.execPath, [...nodeArgs, entry], { cwd: options.cwd, env: { ...env, NODE_OPTIONS: nodeOptions }, stdio: options.stdio ?? ['ignore', 2, 2] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  const url = `http://127.0.0.1:${port}`;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const ready = options.readyPath === undefined ? () => sleep(1_000).then(() => child.exitCode === null) : () => fetch(`${url}${options.readyPath}`).then((response) => response.ok, () => false);
  try {
    while (!(await ready())) {
      if (child.exitCode !== null) throw new Error(`the bot exited with ${child.exitCode} before it was ready (${options.readyPath ?? 'running'})`);
      if (performance.now() - started > timeoutMs) throw new Error(`the bot was not ready (${options.readyPath ?? 'running'}) within ${timeoutMs / 1000} s`);
      await sleep(20);
    }
    const startMs = performance.now() - started;
    if (child.pid === undefined) throw new Error('the bot process has no pid');
    return { url, pid: child.pid, startMs, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
