import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActionInputError, ActionTimeoutError } from '../../src/actions/action-result.js';
import { executeAction } from '../../src/actions/execute-action.js';
import { action, context, rejection, target } from './support/action-context.js';

/** Accepts connections and never answers: every protocol hangs on it. */
let silentPort: number;
const sockets = new Set<Socket>();
const silent = createServer((socket) => {
  sockets.add(socket);
  socket.resume();
  socket.on('close', () => sockets.delete(socket));
});
beforeAll(async () => {
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  silentPort = (silent.address() as AddressInfo).port;
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => silent.close(resolve));
});

describe('executeAction', () => {
  it('refuses a target of another type', async () => {
    const error = await rejection(executeAction(action({ type: 'postgres', target: 'cache', query: 'select 1' }), context(target({ type: 'redis', url: 'redis://127.0.0.1:6379' }))));
    expect(error).toBeInstanceOf(ActionInputError);
    expect(error.message).toBe('action "a" is of type postgres but its target "cache" is of type redis');
  });

  it.each([
    ['http', { type: 'http', request: { path: '/health' } }, () => target({ type: 'http', url: `http://127.0.0.1:${silentPort}` })],
    ['prometheus', { type: 'prometheus', query: 'up' }, () => target({ type: 'prometheus', url: `http://127.0.0.1:${silentPort}` })],
    ['postgres', { type: 'postgres', query: 'select 1' }, () => target({ type: 'postgres', url: `postgresql://postgres@127.0.0.1:${silentPort}/postgres` })],
    ['redis', { type: 'redis', command: 'ping' }, () => target({ type: 'redis', url: `redis://127.0.0.1:${silentPort}` })],
  ])('throws ActionTimeoutError when a %s target never answers, and lets go of the connection', async (_type, raw, makeTarget) => {
    const error = await rejection(executeAction(action(raw), context(makeTarget(), { timeoutMs: 300 })));
    expect(error).toBeInstanceOf(ActionTimeoutError);
    expect(error.message).toBe('action "a" did not finish within 300 ms');
    await expect.poll(() => sockets.size, { timeout: 5_000 }).toBe(0);
  });

  it('stops with the reason when the caller aborts (worker shutdown)', async () => {
    const controller = new AbortController();
    const reason = new Error('worker shutting down');
    const running = executeAction(action({ type: 'http', request: { path: '/x' } }), context(target({ type: 'http', url: `http://127.0.0.1:${silentPort}` }), { signal: controller.signal }));
    setTimeout(() => controller.abort(reason), 50);
    expect(await rejection(running)).toBe(reason);
  });

  it('refuses a template placeholder where none is allowed, before touching the target', async () => {
    const error = await rejection(executeAction(action({ type: 'postgres', query: "select '{{labels.job}}'" }), context(target({ type: 'postgres', url: `postgresql://postgres@127.0.0.1:${silentPort}/postgres` }), { labels: { job: 'api' } })));
    expect(error).toBeInstanceOf(ActionInputError);
    expect(error.message).toContain('query: a template placeholder is allowed only in');
  });
});
