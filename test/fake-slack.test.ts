import { LogLevel, WebClient, type Logger, type WebClientOptions } from '@slack/web-api';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSlack, type FakeSlack } from './support/fake-slack/index.js';

/** WebClient logs warnings (e.g. blocks without text) and [ERROR] response messages; keep test output clean. */
const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => LogLevel.ERROR,
  setName: () => undefined,
};

interface SlackErrorShape {
  code?: string;
  statusCode?: number;
  retryAfter?: number;
  data?: { ok: false; error: string; errors?: string[]; response_metadata?: { messages?: string[] } };
}

/** The error a WebClient call rejects with. */
async function rejection(promise: Promise<unknown>): Promise<SlackErrorShape> {
  try {
    await promise;
  } catch (err) {
    return err as SlackErrorShape;
  }
  throw new Error('expected the Slack call to fail');
}

async function slackError(promise: Promise<unknown>): Promise<string | undefined> {
  return (await rejection(promise)).data?.error;
}

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
const button = (actionId: string, text = 'Ack') => ({ type: 'button', action_id: actionId, text: { type: 'plain_text', text } });

describe('fake Slack Web API driven by the real WebClient', () => {
  let fake: FakeSlack;
  /** A real WebClient pointed at the fake; `token: null` sends no token at all. */
  const client = (options: WebClientOptions = {}, token: string | null = fake.token) =>
    new WebClient(token ?? undefined, { slackApiUrl: fake.url, retryConfig: { retries: 0 }, logger: silentLogger, ...options });

  beforeAll(async () => {
    fake = await startFakeSlack({
      users: [{ id: 'U0ALICE', name: 'alice', email: 'alice@example.com' }],
      usergroups: { S0ONCALL: ['U0ALICE', 'U0BOB'] },
    });
  });
  afterEach(() => fake.reset());
  afterAll(async () => {
    await fake.close();
  });

  it('serves auth.test for the configured token', async () => {
    expect(fake.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/$/);
    const res = await client().auth.test();
    expect(res).toMatchObject({ ok: true, user_id: fake.bot.userId, bot_id: fake.bot.botId, team_id: fake.bot.teamId });
  });

  it('rejects missing and unknown tokens', async () => {
    expect(await slackError(client({}, 'xoxb-not-configured').auth.test())).toBe('invalid_auth');
    expect(await slackError(client({}, null).auth.test())).toBe('not_authed');
    expect(fake.callsTo('auth.test').map((c) => [c.ok, c.error, c.status])).toEqual([
      [false, 'invalid_auth', 200],
      [false, 'not_authed', 200],
    ]);
  });

  it('answers unknown_method for methods it does not know', async () => {
    expect(await slackError(client().apiCall('incidents.frobnicate'))).toBe('unknown_method');
  });

  it('creates a channel and refuses a taken name', async () => {
    const slack = client();
    const res = await slack.conversations.create({ name: 'inc-20241124-db-down', is_private: false });
    expect(res.channel?.id).toMatch(/^C[A-Z0-9]+$/);
    expect(res.channel?.name).toBe('inc-20241124-db-down');
    const channel = fake.channelByName('inc-20241124-db-down');
    expect(channel?.members.has(fake.bot.userId)).toBe(true);

    expect(await slackError(slack.conversations.create({ name: 'inc-20241124-db-down' }))).toBe('name_taken');
    const creates = fake.callsTo('conversations.create');
    expect(creates.map((c) => c.ok)).toEqual([true, false]);
    expect(creates[1]).toMatchObject({ error: 'name_taken', status: 200, args: { name: 'inc-20241124-db-down' } });
    expect(creates[1]?.at).toBeGreaterThanOrEqual(creates[0]?.at ?? Infinity);
  });

  it('still treats archived channel names as taken and refuses posts there', async () => {
    const slack = client();
    const { channel } = await slack.conversations.create({ name: 'inc-old' });
    await slack.conversations.archive({ channel: channel?.id as string });
    expect(await slackError(slack.conversations.archive({ channel: channel?.id as string }))).toBe('already_archived');
    expect(await slackError(slack.conversations.create({ name: 'inc-old' }))).toBe('name_taken');
    expect(await slackError(slack.chat.postMessage({ channel: channel?.id as string, text: 'hi' }))).toBe('is_archived');
  });

  it.each([
    ['', 'invalid_name_required'],
    ['Inc-Upper', 'invalid_name_specials'],
    ['inc with spaces', 'invalid_name_specials'],
    ['inc.dots', 'invalid_name_specials'],
    ['x'.repeat(81), 'invalid_name_maxlength'],
    ['---', 'invalid_name_punctuation'],
  ])('refuses the channel name %j with %s', async (name, error) => {
    expect(await slackError(client().conversations.create({ name }))).toBe(error);
  });

  it('accepts an 80-character name with digits, hyphens and underscores', async () => {
    const name = `inc_2024-${'a'.repeat(71)}`;
    expect(name).toHaveLength(80);
    await expect(client().conversations.create({ name })).resolves.toMatchObject({ ok: true });
  });

  it('posts into a channel and into a thread', async () => {
    const slack = client();
    const { channel } = await slack.conversations.create({ name: 'inc-thread' });
    const channelId = channel?.id as string;
    const parent = await slack.chat.postMessage({ channel: channelId, text: 'Incident declared', blocks: [section('*SEV1*')] });
    expect(parent).toMatchObject({ ok: true, channel: channelId, message: { text: 'Incident declared', bot_id: fake.bot.botId } });
    expect(parent.ts).toMatch(/^\d{10}\.\d{6}$/);
    // By name too, as Slack allows.
    const reply = await slack.chat.postMessage({ channel: '#inc-thread', text: 'Paging on-call', thread_ts: parent.ts });
    expect(reply.channel).toBe(channelId);
    expect(Number(reply.ts)).toBeGreaterThan(Number(parent.ts));

    const messages = fake.messagesIn(channelId);
    expect(messages.map((m) => [m.text, m.thread_ts])).toEqual([
      ['Incident declared', parent.ts],
      ['Paging on-call', parent.ts],
    ]);
    expect(messages[0]?.reply_count).toBe(1);
    const history = await slack.conversations.history({ channel: channelId });
    expect(history.messages?.map((m) => m.text)).toEqual(['Incident declared']);
    const replies = await slack.conversations.replies({ channel: channelId, ts: parent.ts as string });
    expect(replies.messages?.map((m) => m.text)).toEqual(['Incident declared', 'Paging on-call']);
    expect(await slackError(slack.conversations.replies({ channel: channelId, ts: '1.000001' }))).toBe('thread_not_found');
  });

  it('truncates message text beyond 40,000 characters, as Slack documents', async () => {
    const slack = client();
    const { channel } = await slack.conversations.create({ name: 'inc-long' });
    await slack.chat.postMessage({ channel: channel?.id as string, text: 'x'.repeat(40_001) });
    expect(fake.messagesIn(channel?.id as string)[0]?.text).toHaveLength(40_000);
  });

  it('requires text or blocks and a known channel', async () => {
    const slack = client();
    const { channel } = await slack.conversations.create({ name: 'inc-notext' });
    expect(await slackError(slack.chat.postMessage({ channel: channel?.id as string, text: '' }))).toBe('no_text');
    expect(await slackError(slack.chat.postMessage({ channel: 'C0NOPE', text: 'hi' }))).toBe('channel_not_found');
  });

  describe('Block Kit validation', () => {
    let channelId: string;
    /** Any `{ type }` objects, valid or not, are acceptable to WebClient's `Block` type. */
    const post = async (blocks: Array<{ type: string } & Record<string, unknown>>) => {
      const slack = client();
      if (!fake.channelByName('inc-blocks')) channelId = (await slack.conversations.create({ name: 'inc-blocks' })).channel?.id as string;
      return rejection(slack.chat.postMessage({ channel: channelId, text: 'fallback', blocks }));
    };

    it('refuses more than 50 blocks in a message the way Slack does', async () => {
      const err = await post(Array.from({ length: 51 }, () => ({ type: 'divider' })));
      expect(err.data).toEqual({
        ok: false,
        error: 'invalid_blocks',
        errors: ['no more than 50 items allowed [json-pointer:/blocks]'],
        response_metadata: { messages: ['[ERROR] no more than 50 items allowed [json-pointer:/blocks]'] },
      });
      expect(fake.messagesIn(channelId)).toHaveLength(0);
    });

    it('refuses a section text of 3,001 characters and accepts 3,000', async () => {
      const err = await post([section('x'.repeat(3001))]);
      expect(err.data?.error).toBe('invalid_blocks');
      expect(err.data?.errors).toEqual(['must be less than 3001 characters [json-pointer:/blocks/0/text/text]']);
      await expect(client().chat.postMessage({ channel: channelId, text: 'ok', blocks: [section('x'.repeat(3000))] })).resolves.toMatchObject({ ok: true });
    });

    it('refuses duplicate action_ids in an actions block', async () => {
      const err = await post([{ type: 'actions', elements: [button('ack'), button('ack')] }]);
      expect(err.data?.error).toBe('invalid_blocks');
      expect(err.data?.errors?.[0]).toMatch(/duplicate action_id "ack" \[json-pointer:\/blocks\/0\/elements\/1\/action_id\]/);
    });

    it('reports every violation: header length, fields, button text, unknown block type', async () => {
      const err = await post([
        { type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } },
        { type: 'section', fields: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'f' })) },
        { type: 'actions', elements: [button('b1', 'b'.repeat(76))] },
        { type: 'banner' },
      ]);
      expect(err.data?.errors).toEqual([
        'must be less than 151 characters [json-pointer:/blocks/0/text/text]',
        'no more than 10 items allowed [json-pointer:/blocks/1/fields]',
        'must be less than 76 characters [json-pointer:/blocks/2/elements/0/text/text]',
        'failed to match all allowed schemas [json-pointer:/blocks/3]',
        'unsupported block type "banner" [json-pointer:/blocks/3/type]',
      ]);
    });

    it('answers invalid_blocks_format when blocks is not an array of objects', async () => {
      const { channel } = await client().conversations.create({ name: 'inc-format' });
      const res = await fetch(`${fake.url}chat.postMessage`, {
        method: 'POST',
        headers: { authorization: `Bearer ${fake.token}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ channel: channel?.id as string, text: 't', blocks: '{not json' }),
      });
      expect(await res.json()).toEqual({ ok: false, error: 'invalid_blocks_format' });
    });
  });

  it('limits the topic to 250 characters', async () => {
    const slack = client();
    const { channel } = await slack.conversations.create({ name: 'inc-topic' });
    const channelId = channel?.id as string;
    expect(await slackError(slack.conversations.setTopic({ channel: channelId, topic: 't'.repeat(251) }))).toBe('too_long');
    await slack.conversations.setTopic({ channel: channelId, topic: 't'.repeat(250) });
    expect(fake.channels.get(channelId)?.topic).toHaveLength(250);
    expect(await slackError(slack.conversations.setTopic({ channel: 'C0MISSING', topic: 'x' }))).toBe('channel_not_found');
  });

  it('invites users with Slack’s errors', async () => {
    const slack = client();
    const { channel } = await slack.conversations.create({ name: 'inc-invite' });
    const channelId = channel?.id as string;
    await slack.conversations.invite({ channel: channelId, users: 'U0ALICE,U0BOB' });
    expect([...(fake.channels.get(channelId)?.members ?? [])]).toEqual([fake.bot.userId, 'U0ALICE', 'U0BOB']);
    expect(await slackError(slack.conversations.invite({ channel: channelId, users: 'U0ALICE' }))).toBe('already_in_channel');
    expect(await slackError(slack.conversations.invite({ channel: channelId, users: 'not-a-user' }))).toBe('user_not_found');
    expect(await slackError(slack.conversations.invite({ channel: channelId, users: fake.bot.userId }))).toBe('cant_invite_self');
    const members = await slack.conversations.members({ channel: channelId });
    expect(members.members).toHaveLength(3);
  });

  it('updates only the bot’s own messages and sends ephemerals to members only', async () => {
    const slack = client();
    const { channel } = await slack.conversations.create({ name: 'inc-update' });
    const channelId = channel?.id as string;
    const posted = await slack.chat.postMessage({ channel: channelId, text: 'status: investigating' });
    const updated = await slack.chat.update({ channel: channelId, ts: posted.ts as string, text: 'status: resolved' });
    expect(updated).toMatchObject({ ok: true, ts: posted.ts, text: 'status: resolved' });
    expect(fake.messagesIn(channelId)[0]?.edited?.user).toBe(fake.bot.userId);
    const human = fake.postAsUser(channelId, 'U0ALICE', 'I am on it');
    expect(await slackError(slack.chat.update({ channel: channelId, ts: human.ts, text: 'x' }))).toBe('cant_update_message');
    expect(await slackError(slack.chat.update({ channel: channelId, ts: '1.000001', text: 'x' }))).toBe('message_not_found');

    const eph = await slack.chat.postEphemeral({ channel: channelId, user: 'U0ALICE', text: 'only you' });
    expect(eph.message_ts).toMatch(/^\d+\.\d{6}$/);
    expect(fake.ephemeralsIn(channelId)).toHaveLength(1);
    expect(await slackError(slack.chat.postEphemeral({ channel: channelId, user: 'U0CAROL', text: 'x' }))).toBe('user_not_in_channel');

    const link = await slack.chat.getPermalink({ channel: channelId, message_ts: posted.ts as string });
    expect(link.permalink).toBe(`${fake.bot.teamUrl}archives/${channelId}/p${(posted.ts as string).replace('.', '')}`);
    await slack.pins.add({ channel: channelId, timestamp: posted.ts as string });
    expect(await slackError(slack.pins.add({ channel: channelId, timestamp: posted.ts as string }))).toBe('already_pinned');
    await slack.reactions.add({ channel: channelId, timestamp: posted.ts as string, name: 'eyes' });
    expect(await slackError(slack.reactions.add({ channel: channelId, timestamp: posted.ts as string, name: 'eyes' }))).toBe('already_reacted');
  });

  it('looks up users and user groups', async () => {
    const slack = client();
    expect((await slack.users.lookupByEmail({ email: 'alice@example.com' })).user?.id).toBe('U0ALICE');
    expect(await slackError(slack.users.lookupByEmail({ email: 'nobody@example.com' }))).toBe('users_not_found');
    expect((await slack.users.info({ user: 'U0ALICE' })).user?.name).toBe('alice');
    expect(await slackError(slack.users.info({ user: 'nobody' }))).toBe('user_not_found');
    expect((await slack.usergroups.users.list({ usergroup: 'S0ONCALL' })).users).toEqual(['U0ALICE', 'U0BOB']);
    expect(await slackError(slack.usergroups.users.list({ usergroup: 'S0NOPE' }))).toBe('no_such_subteam');
  });

  it('opens modals of up to 100 blocks for a valid trigger_id', async () => {
    const slack = client();
    const view = (blocks: number) => ({
      type: 'modal' as const,
      title: { type: 'plain_text' as const, text: 'Declare incident' },
      blocks: Array.from({ length: blocks }, () => ({ type: 'divider' as const })),
    });
    const opened = await slack.views.open({ trigger_id: fake.issueTriggerId(), view: view(100) });
    expect(opened.view?.id).toMatch(/^V[A-Z0-9]+$/);
    expect(fake.views).toHaveLength(1);
    const tooBig = await rejection(slack.views.open({ trigger_id: fake.issueTriggerId(), view: view(101) }));
    expect(tooBig.data?.error).toBe('invalid_arguments');
    expect(tooBig.data?.response_metadata?.messages).toContain('[ERROR] no more than 100 items allowed [json-pointer:/view/blocks]');
    const trigger = fake.issueTriggerId();
    await slack.views.open({ trigger_id: trigger, view: view(1) });
    expect(await slackError(slack.views.open({ trigger_id: trigger, view: view(1) }))).toBe('exchanged_trigger_id');
    expect(await slackError(slack.views.open({ trigger_id: 'nonsense', view: view(1) }))).toBe('invalid_trigger_id');
  });

  it('runs the filesUploadV2 flow end to end', async () => {
    const slack = client();
    const { channel } = await slack.conversations.create({ name: 'inc-files' });
    const channelId = channel?.id as string;
    const res = await slack.filesUploadV2({
      channel_id: channelId,
      content: 'T+0 alert fired\nT+5 rollback',
      filename: 'timeline.txt',
      title: 'Timeline',
      initial_comment: 'Incident timeline attached',
    });
    expect(res.ok).toBe(true);
    expect(fake.callsTo('files.getUploadURLExternal')).toHaveLength(1);
    expect(fake.callsTo('upload')).toMatchObject([{ ok: true, status: 200 }]);
    expect(fake.callsTo('files.completeUploadExternal')).toHaveLength(1);

    const [file] = [...fake.files.values()];
    expect(file).toMatchObject({ name: 'timeline.txt', title: 'Timeline', uploaded: true, completed: true });
    expect(file?.data?.toString('utf8')).toBe('T+0 alert fired\nT+5 rollback');
    expect(file?.declaredLength).toBe(file?.data?.length);
    const [message] = fake.messagesIn(channelId);
    expect(message?.text).toBe('Incident timeline attached');
    expect(message?.files?.[0]).toMatchObject({ id: file?.id, title: 'Timeline' });
  });

  it('refuses to complete an upload whose bytes never arrived', async () => {
    const slack = client();
    const { file_id } = await slack.files.getUploadURLExternal({ filename: 'x.txt', length: 3 });
    expect(await slackError(slack.files.completeUploadExternal({ files: [{ id: file_id as string }] }))).toBe('file_not_found');
  });

  describe('fault injection and rate limits', () => {
    it('returns an injected 500 to a client that does not retry, then recovers', async () => {
      fake.failNext('auth.test', { status: 500 });
      const err = await rejection(client().auth.test());
      expect(err.code).toBe('slack_webapi_http_error');
      expect(err.statusCode).toBe(500);
      await expect(client().auth.test()).resolves.toMatchObject({ ok: true });
      expect(fake.callsTo('auth.test').map((c) => c.status)).toEqual([500, 200]);
    });

    it('injects Slack error codes for the next N calls', async () => {
      fake.failNext('conversations.create', { error: 'name_taken', times: 2 });
      expect(await slackError(client().conversations.create({ name: 'inc-a' }))).toBe('name_taken');
      expect(await slackError(client().conversations.create({ name: 'inc-a' }))).toBe('name_taken');
      await expect(client().conversations.create({ name: 'inc-a' })).resolves.toMatchObject({ ok: true });
    });

    it('makes WebClient honour Retry-After on a 429 before retrying', async () => {
      fake.failNext('conversations.create', { retryAfter: 1 });
      const retrying = client({ retryConfig: { retries: 1, minTimeout: 0, maxTimeout: 1 } });
      const res = await retrying.conversations.create({ name: 'inc-retry' });
      expect(res.ok).toBe(true);
      const [limited, retried] = fake.callsTo('conversations.create');
      expect(limited).toMatchObject({ ok: false, status: 429, error: 'ratelimited' });
      expect(retried).toMatchObject({ ok: true, status: 200 });
      expect((retried?.at ?? 0) - (limited?.at ?? 0)).toBeGreaterThanOrEqual(1000);
    });

    it('sends the Retry-After header with the 429', async () => {
      fake.failNext('auth.test', { retryAfter: 7 });
      const res = await fetch(`${fake.url}auth.test`, { method: 'POST', headers: { authorization: `Bearer ${fake.token}` } });
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe('7');
      expect(await res.json()).toEqual({ ok: false, error: 'ratelimited' });
    });

    it('delays calls with setLatency and delayMs', async () => {
      fake.setLatency(50);
      fake.failNext('auth.test', { delayMs: 100 });
      const start = Date.now();
      await client().auth.test();
      expect(Date.now() - start).toBeGreaterThanOrEqual(145);
    });
  });

  it('accepts JSON bodies with the token in the Authorization header only', async () => {
    const post = (headers: Record<string, string>, body: object) =>
      fetch(`${fake.url}conversations.create`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) }).then(
        (r) => r.json() as Promise<{ ok: boolean; error?: string }>,
      );
    expect(await post({ authorization: `Bearer ${fake.token}` }, { name: 'inc-json', is_private: true })).toMatchObject({ ok: true });
    expect(fake.channelByName('inc-json')?.isPrivate).toBe(true);
    expect(await post({}, { name: 'inc-json-2', token: fake.token })).toEqual({ ok: false, error: 'not_authed' });
  });

  it('returns message metadata from history only with include_all_metadata, and refuses malformed metadata', async () => {
    const slack = client();
    const channel = (await slack.conversations.create({ name: 'metadata' })).channel?.id as string;
    const metadata = { event_type: 'incident_message', event_payload: { incident_id: 'abc' } };
    await slack.chat.postMessage({ channel, text: 'hello', metadata });
    expect((await slack.conversations.history({ channel })).messages?.[0]?.metadata).toBeUndefined();
    expect((await slack.conversations.history({ channel, include_all_metadata: true })).messages?.[0]?.metadata).toEqual(metadata);
    expect(await slackError(slack.apiCall('chat.postMessage', { channel, text: 'x', metadata: { event_type: 'has space', event_payload: {} } }))).toBe('invalid_metadata_format');
  });

  it('lists the bot’s own channels in users.conversations, with their creator, page by page', async () => {
    const slack = client();
    await slack.conversations.create({ name: 'mine-public' });
    await slack.conversations.create({ name: 'mine-private', is_private: true });
    fake.createChannel({ name: 'not-mine', botIsMember: false, members: ['U0ALICE'], creator: 'U0ALICE' });
    const publicOnly = await slack.users.conversations({});
    expect(publicOnly.channels?.map((c) => c.name)).toEqual(['mine-public']);
    const first = await slack.users.conversations({ types: 'public_channel,private_channel', limit: 1 });
    expect(first.channels?.map((c) => [c.name, c.creator])).toEqual([['mine-public', fake.bot.userId]]);
    const second = await slack.users.conversations({ types: 'public_channel,private_channel', limit: 1, cursor: first.response_metadata?.next_cursor as string });
    expect(second.channels?.map((c) => c.name)).toEqual(['mine-private']);
  });

  it('lists another user’s public channels in users.conversations, and only the private ones the bot shares', async () => {
    const slack = client();
    fake.createChannel({ name: 'alice-public', botIsMember: false, members: ['U0ALICE'], creator: 'U0ALICE' });
    fake.createChannel({ name: 'alice-private', isPrivate: true, botIsMember: false, members: ['U0ALICE'], creator: 'U0ALICE' });
    fake.createChannel({ name: 'shared-private', isPrivate: true, members: ['U0ALICE'] });
    fake.createChannel({ name: 'bot-only' });
    const names = async (types: string) => (await slack.users.conversations({ user: 'U0ALICE', types })).channels?.map((c) => c.name);
    expect(await names('public_channel,private_channel')).toEqual(['alice-public', 'shared-private']);
    expect((await slack.users.conversations({})).channels?.map((c) => c.name)).toEqual(['bot-only']);
    expect(await slackError(slack.users.conversations({ user: 'nobody' }))).toBe('user_not_found');
  });

  it('can act and then lose the answer: a 502 or a dropped connection after the channel exists', async () => {
    fake.failNext('conversations.create', { afterActing: true, status: 502 });
    expect((await rejection(client().conversations.create({ name: 'acted-502' }))).statusCode).toBe(502);
    expect(fake.channelByName('acted-502')).toBeDefined();
    fake.failNext('chat.postMessage', { afterActing: true, drop: true, match: (args) => args.text === 'lost' });
    const channel = fake.channelByName('acted-502')?.id as string;
    await client().chat.postMessage({ channel, text: 'kept' });
    await expect(client().chat.postMessage({ channel, text: 'lost' })).rejects.toThrow();
    expect(fake.messagesIn(channel).map((m) => m.text)).toEqual(['kept', 'lost']);
  });

  it('counts calls and reports the peak per minute', async () => {
    const slack = client();
    await Promise.all(Array.from({ length: 5 }, () => slack.auth.test()));
    expect(fake.counts()).toEqual({ 'auth.test': 5 });
    expect(fake.peakPerMinute('auth.test')).toBe(5);
    expect(fake.stats()['auth.test']).toMatchObject({ calls: 5, ok: 5, errors: 0, rateLimited: 0, peakPerMinute: 5 });
  });
});

describe('fake Slack with rate limits on', () => {
  let fake: FakeSlack;
  beforeAll(async () => {
    // timeScale 60: Tier 2 (20/minute) becomes 20/second, chat.postMessage 1/s per channel becomes 60/s.
    fake = await startFakeSlack({ rateLimits: { 'conversations.setTopic': { limit: 3, perMs: 60_000 } }, timeScale: 60 });
  });
  afterEach(() => fake.reset());
  afterAll(async () => {
    await fake.close();
  });

  it('answers 429 with Retry-After once the bucket is empty, per method', async () => {
    const slack = new WebClient(fake.token, { slackApiUrl: fake.url, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, logger: silentLogger });
    const { channel } = await slack.conversations.create({ name: 'inc-limits' });
    const channelId = channel?.id as string;
    for (let i = 0; i < 3; i++) await slack.conversations.setTopic({ channel: channelId, topic: `t${i}` });
    const err = await rejection(slack.conversations.setTopic({ channel: channelId, topic: 'one too many' }));
    expect(err.code).toBe('slack_webapi_rate_limited_error');
    expect(err.retryAfter).toBe(1);
    expect(fake.callsTo('conversations.setTopic').at(-1)).toMatchObject({ status: 429, error: 'ratelimited', ok: false });
    // Other methods have their own buckets.
    await expect(slack.conversations.info({ channel: channelId })).resolves.toMatchObject({ ok: true });
    expect(fake.stats()['conversations.setTopic']).toMatchObject({ calls: 4, rateLimited: 1, peakPerMinute: 4 });
  });

  it('lets a retrying WebClient through after waiting', async () => {
    const slack = new WebClient(fake.token, { slackApiUrl: fake.url, retryConfig: { retries: 3, minTimeout: 0, maxTimeout: 1 }, logger: silentLogger });
    const { channel } = await slack.conversations.create({ name: 'inc-limits-2' });
    for (let i = 0; i < 4; i++) await slack.conversations.setTopic({ channel: channel?.id as string, topic: `t${i}` });
    const calls = fake.callsTo('conversations.setTopic');
    expect(calls.filter((c) => c.ok)).toHaveLength(4);
    expect(calls.filter((c) => c.status === 429)).toHaveLength(1);
  });
});

describe('fake Slack with Slack’s default rate limits', () => {
  let fake: FakeSlack;
  beforeAll(async () => {
    fake = await startFakeSlack({ rateLimits: true });
  });
  afterAll(async () => {
    await fake.close();
  });

  it('allows a short burst of chat.postMessage per channel, then answers 429', async () => {
    const slack = new WebClient(fake.token, { slackApiUrl: fake.url, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, logger: silentLogger });
    const a = (await slack.conversations.create({ name: 'inc-burst-a' })).channel?.id as string;
    const b = (await slack.conversations.create({ name: 'inc-burst-b' })).channel?.id as string;
    for (let i = 0; i < 5; i++) await slack.chat.postMessage({ channel: a, text: `update ${i}` });
    // "#name" and the id share the channel's bucket.
    const err = await rejection(slack.chat.postMessage({ channel: '#inc-burst-a', text: 'one too many' }));
    expect(err).toMatchObject({ code: 'slack_webapi_rate_limited_error', retryAfter: 1 });
    await expect(slack.chat.postMessage({ channel: b, text: 'other channel' })).resolves.toMatchObject({ ok: true });
    expect(fake.messagesIn(a)).toHaveLength(5);
  });
});
