import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertmanagerPayload, dbAlert } from '../support/alertmanager.js';
import { startResponseSink } from '../support/response-url-sink.js';
import { signedHeaders, slashCommandBody } from '../support/slack-signing.js';
import { SIGNING_SECRET, startTestBot, type TestBot } from '../support/test-bot.js';
import { waitFor } from '../support/wait-for.js';

describe('/incident over signed Slack requests', () => {
  let bot: TestBot;
  let sink: Awaited<ReturnType<typeof startResponseSink>>;
  beforeAll(async () => {
    bot = await startTestBot();
    sink = await startResponseSink();
  });
  afterAll(async () => {
    await bot.stop();
    await sink.close();
  });

  async function command(text: string, channelId = 'CGENERAL', headers?: (body: string) => Record<string, string>) {
    const body = slashCommandBody({ text, channelId, responseUrl: `${sink.url}/commands/${encodeURIComponent(text)}` });
    const response = await fetch(`${bot.url}/slack/events`, { method: 'POST', headers: headers?.(body) ?? signedHeaders(SIGNING_SECRET, body), body });
    const raw = await response.text();
    return { status: response.status, body: raw ? (JSON.parse(raw) as { text?: string; response_type?: string }) : undefined };
  }

  it('answers help at once, ephemeral', async () => {
    const response = await command('help');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ response_type: 'ephemeral' });
    expect(response.body?.text).toContain('/incident status');
    // Slack reads <…> as a mention or link: the placeholders arrive escaped, as text.
    expect(response.body?.text).toContain('`/incident declare &lt;title&gt; [--severity s]`');
    expect(response.body?.text).toContain('`/incident role &lt;role&gt; &lt;@someone|me&gt;`');
    expect(response.body?.text).not.toContain('<');
  });

  it('answers an unknown subcommand with help that keeps what was typed inert', async () => {
    const response = await command('<!channel> <https://evil.example|Runbook>');
    expect(response.body?.text).toContain("I don't know `/incident &lt;!channel&gt; &lt;https://evil.example|Runbook&gt;`");
    expect(response.body?.text).not.toContain('<');
  });

  it('answers an unknown subcommand with help, not an error', async () => {
    const response = await command('frobnicate the widgets');
    expect(response.status).toBe(200);
    expect(response.body?.text).toContain("I don't know `/incident frobnicate the widgets`");
    expect(response.body?.text).toContain('/incident status');
  });

  it('lists open incidents through response_url after acknowledging', async () => {
    expect((await command('status')).status).toBe(200);
    const empty = await waitFor(() => sink.received.find((entry) => entry.path === '/commands/status'), { what: 'status response' });
    expect(empty.body).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('No open incidents') });

    await bot.post('/webhooks/alertmanager', alertmanagerPayload({ alerts: [dbAlert()] }));
    const incident = await waitFor(() => bot.db.incident.findFirst({ where: { channelId: { not: null } } }), { what: 'incident' });
    sink.received.length = 0;
    await command('status', incident.channelId as string);
    const here = await waitFor(() => sink.received.find((entry) => entry.path === '/commands/status'), { what: 'status in channel' });
    expect(here.body.text).toContain(`INC-${incident.number}`);
    expect(here.body.text).toContain('API cannot reach its database');
  });

  it('answers incident subcommands outside an incident channel by saying where they work', async () => {
    for (const text of ['ack', 'escalate need help', 'resolve done', 'severity major', 'note hello', 'timeline', 'runbook']) {
      expect((await command(text, 'CGENERAL')).status).toBe(200);
      const answer = await waitFor(() => sink.received.find((entry) => entry.path === `/commands/${encodeURIComponent(text)}`), { what: `answer to ${text}` });
      expect(answer.body).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('in an incident channel') });
    }
  });

  it('refuses a wrong signature and a stale timestamp with 401, running nothing', async () => {
    sink.received.length = 0;
    const forged = await command('status', 'CGENERAL', (body) => signedHeaders('not-the-secret', body));
    expect(forged.status).toBe(401);
    const stale = await command('status', 'CGENERAL', (body) => signedHeaders(SIGNING_SECRET, body, Math.floor(Date.now() / 1000) - 6 * 60));
    expect(stale.status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sink.received).toHaveLength(0);
  });
});

describe('/incident status with private incident channels', () => {
  let bot: TestBot;
  let sink: Awaited<ReturnType<typeof startResponseSink>>;
  beforeAll(async () => {
    bot = await startTestBot({ config: { incidents: { private_channels: true } } });
    sink = await startResponseSink();
  });
  afterAll(async () => {
    await bot.stop();
    await sink.close();
  });

  async function status(channelId: string, path: string) {
    const body = slashCommandBody({ text: 'status', channelId, responseUrl: `${sink.url}/${path}` });
    expect((await fetch(`${bot.url}/slack/events`, { method: 'POST', headers: signedHeaders(SIGNING_SECRET, body), body })).status).toBe(200);
    return (await waitFor(() => sink.received.find((entry) => entry.path === `/${path}`), { what: `status answer ${path}` })).body.text as string;
  }

  it('lists open incidents without their titles outside their channels, and with it inside', async () => {
    await bot.post('/webhooks/alertmanager', alertmanagerPayload({ alerts: [dbAlert()] }));
    const incident = await waitFor(() => bot.db.incident.findFirst({ where: { channelId: { not: null } } }), { what: 'incident' });
    expect(bot.slack.channels.get(incident.channelId as string)?.isPrivate).toBe(true);
    const elsewhere = await status('CGENERAL', 'elsewhere');
    expect(elsewhere).toContain(`INC-${incident.number}`);
    expect(elsewhere).not.toContain(incident.title);
    expect(elsewhere).toContain('Titles are shown in the incident channels only');
    expect(await status(incident.channelId as string, 'inside')).toContain(incident.title);
  });
});
