import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ActionInputError, ActionTimeoutError } from '../../src/actions/action-result.js';
import { executeAction } from '../../src/actions/execute-action.js';
import { waitFor } from '../support/wait-for.js';
import { action, context, rejection, target } from './support/action-context.js';

const tools = (extra: Record<string, unknown> = {}) => target({ type: 'command', enabled: true, ...extra });
const run = (argv: string[]) => action({ type: 'command', target: 'tools', argv });

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('command actions', () => {
  it('refuses to run unless the target enables commands', async () => {
    const error = await rejection(executeAction(run(['node', '-e', 'console.log(42)']), context(target({ type: 'command' }))));
    expect(error).toBeInstanceOf(ActionInputError);
    expect(error.message).toBe('commands are disabled: set enabled: true on target tools');
  });

  it('runs a fixed argv: exit code, latency and output', async () => {
    const result = await executeAction(run(['node', '-e', 'console.log(42); console.error("note")']), context(tools()));
    expect(result.ok).toBe(true);
    expect(result.figures).toMatchObject({ exitCode: 0, latencyMs: expect.any(Number) });
    expect(result.summary).toMatch(/^exit code 0 in \d+ ms: 42$/);
    expect(result.output).toContain('--- stdout ---\n42\n');
    expect(result.output).toContain('--- stderr ---\nnote');
  });

  it('fails on a non-zero exit code', async () => {
    const result = await executeAction(run(['node', '-e', 'console.error("boom"); process.exit(3)']), context(tools()));
    expect(result).toMatchObject({ ok: false, figures: { exitCode: 3 } });
    expect(result.summary).toContain(': boom');
  });

  it('passes only PATH and the configured env, in the configured directory', async () => {
    process.env.PARENT_ONLY_SECRET = 'from-the-bot';
    const dir = await mkdtemp(path.join(tmpdir(), 'command-cwd-'));
    try {
      const result = await executeAction(run(['sh', '-c', 'echo "home=$HOME parent=$PARENT_ONLY_SECRET pwd=$(pwd)"']), context(tools({ cwd: dir, env: { HOME: '/srv/ops-home' } })));
      expect(result.output).toContain(`home=/srv/ops-home parent= pwd=${dir}`);
      const bare = await executeAction(run(['sh', '-c', 'echo "home=$HOME"']), context(tools()));
      expect(bare.output).toContain('home=\n');
    } finally {
      delete process.env.PARENT_ONLY_SECRET;
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('passes shell metacharacters literally', async () => {
    const literal = '$(touch /tmp/pwned); `id` | cat > /tmp/x && echo $HOME';
    const result = await executeAction(run(['node', '-e', 'console.log(JSON.stringify(process.argv[1]))', literal]), context(tools()));
    expect(result.output).toContain(JSON.stringify(literal));
  });

  it('keeps secret-named env values out of the output', async () => {
    const result = await executeAction(run(['sh', '-c', 'echo "token=$OPS_TOKEN"']), context(tools({ env: { OPS_TOKEN: 'tok-123456' } })));
    expect(result.output).toContain('token=[redacted]');
  });

  it('caps the output it keeps', async () => {
    const result = await executeAction(run(['node', '-e', 'process.stdout.write("x".repeat(200000))']), context(tools()));
    expect(result.figures.truncated).toBe(true);
    expect(result.output).toContain('[truncated: 65536 of 200000 bytes shown]');
  });

  it('refuses a command that does not exist', async () => {
    const error = await rejection(executeAction(run(['no-such-command-here']), context(tools())));
    expect(error).toBeInstanceOf(ActionInputError);
    expect(error.message).toContain('ENOENT');
  });

  it('kills a command that outlives its timeout, even one ignoring SIGTERM', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'command-kill-'));
    const script = 'process.on("SIGTERM", () => {}); require("fs").writeFileSync("pid", String(process.pid)); setInterval(() => {}, 1000)';
    const error = await rejection(executeAction(run(['node', '-e', script]), context(tools({ cwd: dir }), { timeoutMs: 1_000 })));
    expect(error).toBeInstanceOf(ActionTimeoutError);
    const pid = Number(await readFile(path.join(dir, 'pid'), 'utf8'));
    await waitFor(() => !alive(pid), { timeoutMs: 10_000, what: `process ${pid} to be killed` });
    await rm(dir, { recursive: true, force: true });
  });
});
