import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { Target } from '../../config/config-file.js';
import type { RunbookAction } from '../../runbooks/runbook-schema.js';
import { ActionInputError, type ActionContext, type ActionResult } from '../action-result.js';

type CommandAction = Extract<RunbookAction, { type: 'command' }>;
type CommandTarget = Extract<Target, { type: 'command' }>;

const OUTPUT_LIMIT = 64 * 1024;
const KILL_GRACE_MS = 2_000;

/**
 * Runs the fixed argv without a shell, in its own process group, with only PATH and the
 * target's `env`. On abort the group gets SIGTERM, then SIGKILL after a grace period.
 */
export async function runCommand(action: CommandAction, target: CommandTarget, ctx: ActionContext): Promise<ActionResult> {
  if (!target.enabled) throw new ActionInputError(`commands are disabled: set enabled: true on target ${action.target}`);
  const [file, ...args] = action.argv as [string, ...string[]];
  const env: Record<string, string> = { ...(process.env.PATH === undefined ? {} : { PATH: process.env.PATH }), ...target.env };
  const started = performance.now();
  const child = spawn(file, args, { shell: false, cwd: target.cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const stdout = capture(child.stdout);
  const stderr = capture(child.stderr);
  const stop = () => {
    signalGroup(child, 'SIGTERM');
    const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), KILL_GRACE_MS);
    timer.unref();
    child.once('exit', () => clearTimeout(timer));
  };
  ctx.signal.addEventListener('abort', stop, { once: true });
  try {
    const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code, signal) => resolve({ code, signal }));
    }).catch((error: NodeJS.ErrnoException) => {
      throw new ActionInputError(`cannot start ${JSON.stringify(file)}${target.cwd ? ` in ${target.cwd}` : ''}: ${error.code ?? error.message}`);
    });
    const latencyMs = Math.round(performance.now() - started);
    const ended = exit.code === null ? `killed by ${exit.signal}` : `exit code ${exit.code}`;
    const last = lastLine(exit.code === 0 ? stdout.text() : stderr.text() || stdout.text());
    return {
      ok: exit.code === 0,
      summary: `${ended} in ${latencyMs} ms${last ? `: ${last}` : ''}`,
      figures: { exitCode: exit.code, latencyMs, ...(exit.signal ? { signal: exit.signal } : {}), ...(stdout.truncated || stderr.truncated ? { truncated: true } : {}) },
      output: [`argv: ${JSON.stringify(action.argv)}`, `${ended}, ${latencyMs} ms`, '--- stdout ---', stdout.shown(), '--- stderr ---', stderr.shown()].join('\n'),
    };
  } finally {
    ctx.signal.removeEventListener('abort', stop);
  }
}

function capture(stream: Readable) {
  const chunks: Buffer[] = [];
  let kept = 0;
  let total = 0;
  stream.on('data', (chunk: Buffer) => {
    total += chunk.length;
    if (kept < OUTPUT_LIMIT) {
      const part = chunk.subarray(0, OUTPUT_LIMIT - kept);
      chunks.push(part);
      kept += part.length;
    }
  });
  const text = () => Buffer.concat(chunks).toString('utf8');
  return {
    text,
    get truncated() {
      return total > kept;
    },
    shown: () => (total > kept ? `${text()}\n[truncated: ${kept} of ${total} bytes shown]` : text()),
  };
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  }
}

function lastLine(text: string): string {
  const line = text.trimEnd().split('\n').at(-1)?.trim() ?? '';
  return line.length > 150 ? `${line.slice(0, 149)}…` : line;
}
