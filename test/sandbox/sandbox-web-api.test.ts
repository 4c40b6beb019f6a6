import { createHmac } from 'node:crypto';
import { networkInterfaces } from 'node:os';
import { LogLevel, WebClient, type Logger } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedHeaders, slashCommandBody } from '../support/slack-signing.js';
import { startSandboxBot, type SandboxBot } from '../support/sandbox-bot.js';

const silentLogger: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined, setLevel: () => undefined, getLevel: () => LogLevel.ERROR, setName: () => undefined };

async function slackError(promise: Promise<unknown>): Promise<{ error?: string; errors?: string[] }> {
  try {
    await promise;
  } catch (err) {
    return (err as { data?: { error?: string; errors?: string[] } }).data ?? {};
  }
  throw new Error('expected the Slack call to fail');
}

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
const button = (actionId: string, text = 'Ack') => ({ type: 'button', action_id: actionId, text: { type: 'plain_text', text } });

// The sandbox's Web API, over its HTTP mount, must answer a real WebClient as Slack (and the
// project's fake Slack) does: the bot's behaviour in the sandbox is then its behaviour in Slack.
describe('the sandbox Slack Web API', () => {
  let sandbox: SandboxBot;
  const client = (token: string | null = 'xoxb-sandbox') => new WebClient(token ?? undefined, { slackApiUrl: `${sandbox.url}/sandbox/api/`, retryConfig: { retries: 0 }, logger: silentLogger });

  beforeAll(async () => {
    sandbox = await startSandboxBot({ env: { HOST: '0.0.0.0' } });
  }, 60_000);
  afterAll(async () => {
    await sandbox?.stop();
  });

  it('answers auth.test for its token, and Slack’s auth errors otherwise', async () => {
    expect(await client().auth.test()).toMatchObject({ ok: true, user_id: 'U0SBXBOT001', team: 'Sandbox' });
    expect((await slackError(client('xoxb-someone-else').auth.test())).error).toBe('invalid_auth');
    expect((await slackError(client(null).auth.test())).error).toBe('not_authed');
    expect((await slackError(client().apiCall('incidents.frobnicate'))).error).toBe('unknown_method');
  });

  it('creates channels with Slack’s name rules', async () => {
    const created = await client().conversations.create({ name: 'inc-20261128-db-down' });
    expect(created.channel?.id).toMatch(/^C[A-Z0-9]+$/);
    expect((await slackError(client().conversations.create({ name: 'inc-20261128-db-down' }))).error).toBe('name_taken');
    for (const [name, error] of [['', 'invalid_name_required'], ['Inc-Upper', 'invalid_name_specials'], ['x'.repeat(81), 'invalid_name_maxlength'], ['---', 'invalid_name_punctuation']] as const) {
      expect((await slackError(client().conversations.create({ name }))).error).toBe(error);
    }
  });

  it('applies Block Kit limits and reports every violation as Slack does', async () => {
    const channel = (await client().conversations.create({ name: 'inc-blocks' })).channel?.id as string;
    const post = (blocks: Array<{ type: string } & Record<string, unknown>>) => slackError(client().chat.postMessage({ channel, text: 'fallback', blocks }));
    expect(await post(Array.from({ length: 51 }, () => ({ type: 'divider' })))).toMatchObject({ error: 'invalid_blocks', errors: ['no more than 50 items allowed [json-pointer:/blocks]'] });
    expect((await post([section('x'.repeat(3001))])).errors).toEqual(['must be less than 3001 characters [json-pointer:/blocks/0/text/text]']);
    expect((await post([{ type: 'actions', elements: [button('ack'), button('ack')] }])).errors?.[0]).toMatch(/duplicate action_id "ack"/);
    expect(
      (await post([
        { type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } },
        { type: 'section', fields: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'f' })) },
        { type: 'actions', elements: [button('b1', 'b'.repeat(76))] },
      ])).errors,
    ).toEqual(['must be less than 151 characters [json-pointer:/blocks/0/text/text]', 'no more than 10 items allowed [json-pointer:/blocks/1/fields]', 'must be less than 76 characters [json-pointer:/blocks/2/elements/0/text/text]']);
    expect((await slackError(client().chat.postMessage({ channel, text: '' }))).error).toBe('no_text');
    expect((await slackError(client().chat.postMessage({ channel: 'C0NOPE', text: 'hi' }))).error).toBe('channel_not_found');
    await expect(client().chat.postMessage({ channel, text: 'ok', blocks: [section('x'.repeat(3000))] })).resolves.toMatchObject({ ok: true });
  });

  it('keeps channels and messages across a restart of the bot (in Postgres)', async () => {
    const channel = (await client().conversations.create({ name: 'inc-kept' })).channel?.id as string;
    const posted = await client().chat.postMessage({ channel, text: 'still here after a restart' });
    await client().conversations.setTopic({ channel, topic: 'kept topic' });
    await sandbox.restart();
    const history = await client().conversations.history({ channel });
    expect(history.messages?.map((m) => [m.ts, m.text])).toEqual([[posted.ts, 'still here after a restart']]);
    expect((await client().conversations.info({ channel })).channel?.topic?.value).toBe('kept topic');
    const next = await client().conversations.create({ name: 'inc-after-restart' });
    expect(next.channel?.id).not.toBe(channel);
    const later = await client().chat.postMessage({ channel, text: 'newer' });
    expect(Number(later.ts)).toBeGreaterThan(Number(posted.ts));
  });

  it('keeps uploaded files, openable from the page, across a restart', async () => {
    const channel = (await client().conversations.create({ name: 'inc-files' })).channel?.id as string;
    const uploaded = await client().filesUploadV2({ channel_id: channel, file: Buffer.from('# INC-9 review\nroot cause: a typo'), filename: 'INC-9-review.md', title: 'INC-9 review' });
    const fileId = uploaded.files[0]?.files?.[0]?.id as string;
    expect(fileId).toMatch(/^F/);
    await sandbox.restart();
    const response = await fetch(`${sandbox.url}/sandbox/files/${fileId}`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('# INC-9 review\nroot cause: a typo');
    expect((await fetch(`${sandbox.url}/sandbox/files/F0NOPE`)).status).toBe(404);
  });

  it('refuses /slack/events requests not signed with the sandbox’s secret', async () => {
    const body = slashCommandBody({ text: 'status', channelId: 'C0000000001', userId: 'U0SBXL1ALEX', responseUrl: 'http://sandbox.localhost/response/C0000000001/U0SBXL1ALEX' });
    const unsigned = await fetch(`${sandbox.url}/slack/events`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    expect(unsigned.status).toBe(401);
    const wrong = await fetch(`${sandbox.url}/slack/events`, { method: 'POST', headers: signedHeaders('not-the-sandbox-secret', body), body });
    expect(wrong.status).toBe(401);
    const timestamp = Math.floor(Date.now() / 1000) - 6 * 60;
    const stale = createHmac('sha256', 'not-the-sandbox-secret').update(`v0:${timestamp}:${body}`).digest('hex');
    expect((await fetch(`${sandbox.url}/slack/events`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': `v0=${stale}` }, body })).status).toBe(401);
  });

  it('reports slack: sandbox in /health', async () => {
    const health = (await (await fetch(`${sandbox.url}/health`)).json()) as { dependencies: Record<string, string> };
    expect(health.dependencies.slack).toBe('sandbox');
  });

  it('answers only this machine: a request from another address gets a JSON 403', async () => {
    expect((await fetch(`${sandbox.url}/sandbox/state`)).status).toBe(200);
    const address = Object.values(networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
    if (!address) return; // a machine with loopback only cannot be asked from elsewhere
    const port = new URL(sandbox.url).port;
    for (const path of ['/sandbox', '/sandbox/state', '/sandbox/api/auth.test']) {
      const response = await fetch(`http://${address}:${port}${path}`, { method: path.includes('/api/') ? 'POST' : 'GET' });
      expect(response.status).toBe(403);
      expect(await response.json()).toMatchObject({ error: { code: 'UNAUTHORIZED', details: { reason: 'sandbox_loopback_only' } } });
    }
  });
});

describe('the sandbox opened to other machines (SANDBOX_ALLOW_REMOTE=true, as docker compose sets it)', () => {
  it('answers a request from another address', async () => {
    const address = Object.values(networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
    if (!address) return;
    const opened = await startSandboxBot({ env: { HOST: '0.0.0.0', SANDBOX_ALLOW_REMOTE: 'true' } });
    try {
      const response = await fetch(`http://${address}:${new URL(opened.url).port}/sandbox/state`);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ channels: [{ name: 'general' }] });
    } finally {
      await opened.stop();
    }
  }, 60_000);
});
