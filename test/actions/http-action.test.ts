import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ActionInputError, ActionTargetError, ActionTimeoutError } from '../../src/actions/action-result.js';
import { executeAction } from '../../src/actions/execute-action.js';
import { action, context, rejection, target } from './support/action-context.js';
import { freePort } from '../support/free-port.js';
import { startOpsService, type OpsService } from './support/ops-service.js';

let ops: OpsService;
beforeAll(async () => {
  ops = await startOpsService();
});
afterAll(() => ops.close());
beforeEach(() => {
  ops.requests.length = 0;
  ops.health = { status: 'healthy', dependencies: { database: 'up', redis: 'up' } };
});

const api = () => target({ type: 'http', url: ops.url });
const get = (request: Record<string, unknown>, expectation?: Record<string, unknown>) => action({ type: 'http', request: { method: 'GET', ...request }, ...(expectation ? { expect: expectation } : {}) });

describe('http actions', () => {
  it('checks status and a JSON path, with figures and the response in the output', async () => {
    const result = await executeAction(get({ path: '/health' }, { status: 200, json: { path: '$.status', equals: 'healthy' } }), context(api()));
    expect(result.ok).toBe(true);
    expect(result.summary).toMatch(/^200 OK in \d+ ms, \$\.status is "healthy"$/);
    expect(result.figures).toMatchObject({ status: 200, bytes: expect.any(Number), latencyMs: expect.any(Number) });
    expect(result.output).toContain(`GET ${ops.url}/health`);
    expect(result.output).toContain('content-type: application/json');
    expect(result.output).toContain('x-request-id: req-1');
    expect(result.output).not.toContain('set-cookie');
    expect(result.output).toContain('"dependencies"');
  });

  it('reports a JSON value that differs', async () => {
    ops.health.dependencies.database = 'down';
    const result = await executeAction(get({ path: '/health' }, { json: { path: '$.dependencies.database', equals: 'up' } }), context(api()));
    expect(result.ok).toBe(false);
    expect(result.summary).toContain('$.dependencies.database is "down", expected "up"');
  });

  it('lets the body decide when only the body is checked: /health may answer 503 with the database up', async () => {
    ops.health = { status: 'degraded', dependencies: { database: 'up', redis: 'down' } };
    const databaseUp = await executeAction(get({ path: '/health' }, { json: { path: '$.dependencies.database', equals: 'up' } }), context(api()));
    expect(databaseUp.ok).toBe(true);
    expect(databaseUp.figures.status).toBe(503);
    const plain = await executeAction(get({ path: '/health' }), context(api()));
    expect(plain.ok).toBe(false);
    expect(plain.summary).toContain('503 Service Unavailable');
    expect(plain.summary).toContain('expected status 2xx');
  });

  it('checks body_contains', async () => {
    expect((await executeAction(get({ path: '/health' }, { body_contains: 'healthy' }), context(api()))).ok).toBe(true);
    const missing = await executeAction(get({ path: '/health' }, { body_contains: 'on fire' }), context(api()));
    expect(missing.ok).toBe(false);
    expect(missing.summary).toContain('body does not contain "on fire"');
  });

  it('POSTs a JSON body once per run and accepts a list of statuses', async () => {
    const pause = action({ type: 'http', kind: 'mitigation', request: { method: 'POST', path: '/api/ops/jobs/pause', body: { reason: 'incident' } }, expect: { status: [200, 202] } });
    const result = await executeAction(pause, context(api()));
    expect(result.ok).toBe(true);
    expect(ops.pauseCalls).toBe(1);
    expect(ops.requests[0]?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(ops.requests[0]?.body ?? '')).toEqual({ reason: 'incident' });
  });

  it('fills the path (percent-encoded) and query from labels, under the target base path', async () => {
    const base = target({ type: 'http', url: `${ops.url}/base` });
    await executeAction(get({ path: '/tenants/{{labels.tenant}}/echo', query: { status: '{{labels.status}}' } }), context(base, { labels: { tenant: 'a:b@c', status: 'dead' } }));
    expect(ops.requests[0]?.url).toBe('/base/tenants/a%3Ab%40c/echo?status=dead');
  });

  it.each([
    ['path traversal', '../admin'],
    ['a slash', 'admin/secrets'],
    ['CR/LF', 'x\r\nX-Injected: 1'],
  ])('refuses a label with %s and sends nothing', async (_name, value) => {
    const error = await rejection(executeAction(get({ path: '/items/{{labels.id}}', query: { q: '{{labels.id}}' } }), context(api(), { labels: { id: value } })));
    expect(error).toBeInstanceOf(ActionInputError);
    expect(error.message).toContain('label "id"');
    expect(ops.requests).toHaveLength(0);
  });

  it('refuses a placeholder in a header before sending anything', async () => {
    const error = await rejection(executeAction(get({ path: '/echo', headers: { 'X-Job': '{{labels.job}}' } }), context(api(), { labels: { job: 'api' } })));
    expect(error).toBeInstanceOf(ActionInputError);
    expect(error.message).toContain('request.headers.X-Job');
    expect(ops.requests).toHaveLength(0);
  });

  it("sends the target's headers over the runbook's, and keeps them out of the output", async () => {
    const secured = target({ type: 'http', url: ops.url, headers: { Authorization: 'Bearer target-token-8f3a' } });
    const result = await executeAction(get({ path: '/echo', headers: { authorization: 'Bearer runbook-token', 'X-Extra': 'yes' } }), context(secured));
    expect(ops.requests[0]?.headers.authorization).toBe('Bearer target-token-8f3a');
    expect(ops.requests[0]?.headers['x-extra']).toBe('yes');
    expect(result.output).toContain('"authorization":"[redacted]"');
    expect(result.output).not.toContain('target-token-8f3a');
  });

  it('sends URL credentials as Basic auth and never shows them', async () => {
    const secured = target({ type: 'http', url: `http://ops:pa55word-9z@127.0.0.1:${ops.port}` });
    const result = await executeAction(get({ path: '/echo' }), context(secured));
    expect(ops.requests[0]?.headers.authorization).toBe(`Basic ${Buffer.from('ops:pa55word-9z').toString('base64')}`);
    const shown = `${result.summary}\n${result.output}\n${JSON.stringify(result.figures)}`;
    expect(shown).not.toContain('pa55word-9z');
    expect(shown).not.toContain(Buffer.from('ops:pa55word-9z').toString('base64'));
  });

  it('keeps secrets out of error messages', async () => {
    const port = await freePort();
    const secured = target({ type: 'http', url: `http://ops:pa55word-9z@127.0.0.1:${port}`, headers: { Authorization: 'Bearer target-token-8f3a' } });
    const error = await rejection(executeAction(get({ path: '/health' }), context(secured)));
    expect(error).toBeInstanceOf(ActionTargetError);
    expect(error.message).not.toMatch(/pa55word|target-token/);
  });

  it('throws ActionTimeoutError when the endpoint is slow', async () => {
    const error = await rejection(executeAction(get({ path: '/slow' }), context(api(), { timeoutMs: 300 })));
    expect(error).toBeInstanceOf(ActionTimeoutError);
  });

  it('throws ActionTargetError when nothing listens', async () => {
    const down = target({ type: 'http', url: `http://127.0.0.1:${await freePort()}` });
    const error = await rejection(executeAction(get({ path: '/health' }), context(down)));
    expect(error).toBeInstanceOf(ActionTargetError);
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('caps the body kept in the output', async () => {
    const result = await executeAction(get({ path: '/big' }), context(api()));
    expect(result.figures.bytes).toBe(200 * 1024);
    expect(result.output).toContain('[body truncated: 65536 characters shown of 204800 bytes]');
    expect(result.output.length).toBeLessThan(70 * 1024);
  });

  it('refuses a connection header set by the runbook', async () => {
    const error = await rejection(executeAction(get({ path: '/echo', headers: { Host: 'elsewhere.example' } }), context(api())));
    expect(error).toBeInstanceOf(ActionInputError);
  });
});

describe('http actions over TLS', () => {
  let url: string;
  let close: () => void;
  beforeAll(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'ignore' });
    const server = createServer({ key: readFileSync(path.join(dir, 'key.pem')), cert: readFileSync(path.join(dir, 'cert.pem')) }, (_req, res) => res.end('ok'));
    rmSync(dir, { recursive: true, force: true });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => server.close();
  });
  afterAll(() => close());

  it('refuses a self-signed certificate unless the target sets tls_insecure', async () => {
    const error = await rejection(executeAction(get({ path: '/' }), context(target({ type: 'http', url }))));
    expect(error).toBeInstanceOf(ActionTargetError);
    const result = await executeAction(get({ path: '/' }), context(target({ type: 'http', url, tls_insecure: true })));
    expect(result.ok).toBe(true);
  });
});
