import { once } from 'node:events';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertmanagerPayload, dbAlert } from '../support/alertmanager.js';
import { startTestBot, type TestBot } from '../support/test-bot.js';
import { waitFor } from '../support/wait-for.js';

const TOKEN = 'am-secret-token-value';

describe('bad input on POST /webhooks/alertmanager', () => {
  let bot: TestBot;
  const auth = { authorization: `Bearer ${TOKEN}` };
  beforeAll(async () => {
    bot = await startTestBot({ env: { ALERTMANAGER_TOKEN: TOKEN, WEBHOOK_BODY_LIMIT: '65536' } });
  });
  afterAll(async () => {
    await bot.stop();
  });

  async function expectNothingStored() {
    expect(await bot.db.webhookDelivery.count()).toBe(0);
    expect(await bot.db.alert.count()).toBe(0);
  }

  it('refuses a missing token with 401 and a JSON error', async () => {
    const response = await bot.post('/webhooks/alertmanager', alertmanagerPayload({ alerts: [dbAlert()] }));
    expect(response.status).toBe(401);
    expect(response.json).toEqual({ error: { code: 'UNAUTHORIZED', message: expect.stringContaining('Authorization'), details: { reason: 'missing_token', retryable: false } } });
    await expectNothingStored();
  });

  it('refuses a wrong token with 401 and never logs the token', async () => {
    const response = await bot.post('/webhooks/alertmanager', alertmanagerPayload({ alerts: [dbAlert()] }), { authorization: 'Bearer not-the-token-xyz' });
    expect(response.status).toBe(401);
    expect(response.json).toMatchObject({ error: { code: 'UNAUTHORIZED', details: { reason: 'invalid_token' } } });
    expect(bot.logs.join('')).not.toContain('not-the-token-xyz');
    expect(bot.logs.join('')).not.toContain(TOKEN);
    await expectNothingStored();
  });

  it('refuses malformed JSON with 400', async () => {
    const response = await bot.post('/webhooks/alertmanager', '{"version": "4", "alerts": [', auth);
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({ error: { code: 'VALIDATION_ERROR', details: { reason: 'malformed_json', retryable: false } } });
    await expectNothingStored();
  });

  it('refuses a wrong content type with 415', async () => {
    const response = await bot.post('/webhooks/alertmanager', 'alertname=Foo', { ...auth, 'content-type': 'application/x-www-form-urlencoded' });
    expect(response.status).toBe(415);
    expect(response.json).toMatchObject({ error: { code: 'VALIDATION_ERROR', details: { reason: 'unsupported_content_type' } } });
    await expectNothingStored();
  });

  it('refuses an oversized body with 413', async () => {
    const payload = alertmanagerPayload({ alerts: [dbAlert({ annotations: { description: 'x'.repeat(70_000) } })] });
    const response = await bot.post('/webhooks/alertmanager', payload, auth);
    expect(response.status).toBe(413);
    expect(response.json).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE', details: { reason: 'body_too_large', limit: 65536 } } });
    await expectNothingStored();
  });

  /**
   * Sends a 200 kB body in 16 kB pieces 20 ms apart on a raw socket and reads the answer only
   * then, as most HTTP clients do: a connection closed under a client still sending is reset, and
   * a reset throws away the answer the client has not read yet.
   */
  async function sendSlowly(framing: 'content-length' | 'chunked'): Promise<{ status: number; body: unknown; socketError: string | undefined }> {
    const { hostname, port } = new URL(bot.url);
    const socket = connect(Number(port), hostname);
    await once(socket, 'connect');
    let received = '';
    let socketError: string | undefined;
    socket.on('error', (error: NodeJS.ErrnoException) => (socketError = error.code ?? error.message));
    const total = 200_000;
    socket.write(`POST /webhooks/alertmanager HTTP/1.1\r\nhost: ${hostname}\r\ncontent-type: application/json\r\nauthorization: Bearer ${TOKEN}\r\n${framing === 'chunked' ? 'transfer-encoding: chunked' : `content-length: ${total}`}\r\n\r\n`);
    for (let sent = 0; sent < total && socketError === undefined; sent += 16_384) {
      const piece = 'x'.repeat(Math.min(16_384, total - sent));
      socket.write(framing === 'chunked' ? `${piece.length.toString(16)}\r\n${piece}\r\n` : piece);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    if (framing === 'chunked') socket.write('0\r\n\r\n');
    socket.on('data', (data: Buffer) => (received += data.toString()));
    const complete = () => {
      const [head = '', body = ''] = received.split('\r\n\r\n');
      const length = Number(/content-length: (\d+)/i.exec(head)?.[1]);
      return Number.isFinite(length) && Buffer.byteLength(body) >= length ? { head, body } : undefined;
    };
    const response = await waitFor(() => complete() ?? (socketError ? { head: '', body: 'null' } : undefined), { what: 'the response' });
    socket.end();
    return { status: Number(/^HTTP\/1\.1 (\d+)/.exec(response.head)?.[1]), body: JSON.parse(response.body), socketError };
  }

  it('answers an oversized body with the 413 JSON error on every try, even while the client is still sending', async () => {
    for (const framing of ['content-length', 'chunked', 'content-length', 'chunked', 'content-length'] as const) {
      const result = await sendSlowly(framing);
      expect(result.socketError, framing).toBeUndefined();
      expect(result.status, framing).toBe(413);
      expect(result.body).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE', details: { reason: 'body_too_large', limit: 65536 } } });
    }
    await expectNothingStored();
  });

  it('refuses a payload of the wrong shape with 400 naming the field', async () => {
    const payload = alertmanagerPayload({ alerts: [dbAlert()] });
    const response = await bot.post('/webhooks/alertmanager', { ...payload, version: '3', alerts: [{ ...payload.alerts[0], startsAt: 'yesterday' }] }, auth);
    expect(response.status).toBe(400);
    const error = (response.json as { error: { code: string; message: string } }).error;
    expect(error.code).toBe('VALIDATION_ERROR');
    expect(error.message).toContain('version');
    expect(error.message).toContain('alerts.0.startsAt');
    await expectNothingStored();
  });

  it('keeps unknown fields of newer Alertmanager versions in the stored payload', async () => {
    const payload = alertmanagerPayload({ alerts: [dbAlert()], extra: { notification_reason: 'new_alerts', routeLabels: { team: 'payments' } } });
    const response = await bot.post('/webhooks/alertmanager', payload, auth);
    expect(response.status).toBe(200);
    const delivery = await bot.db.webhookDelivery.findFirstOrThrow();
    expect(delivery.payload).toMatchObject({ notification_reason: 'new_alerts', routeLabels: { team: 'payments' } });
  });

  it('answers unknown routes and methods with NOT_FOUND', async () => {
    const response = await fetch(`${bot.url}/webhooks/nope`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: 'NOT_FOUND', details: { reason: 'no_route' } } });
    const wrongMethod = await fetch(`${bot.url}/webhooks/alertmanager`);
    expect(wrongMethod.status).toBe(405);
    expect(await wrongMethod.json()).toMatchObject({ error: { details: { reason: 'method_not_allowed' } } });
  });
});
