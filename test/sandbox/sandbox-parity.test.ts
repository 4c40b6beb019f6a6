import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LogLevel, WebClient, type Logger } from '@slack/web-api';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { peopleOf } from '../../src/escalation/people-of.js';
import { findMarked } from '../../src/slack/post-once.js';
import { startSandboxBot, type SandboxBot } from '../support/sandbox-bot.js';
import { slackMethodsInSource } from '../support/slack-methods-in-source.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SRC = path.join(ROOT, 'src');

// What the bot calls, read from its source: the sandbox's own Web API and Prisma's generated client
// are not the bot calling Slack.
const METHODS = await slackMethodsInSource(SRC, [path.join(SRC, 'sandbox'), path.join(SRC, 'db', 'generated')]);

const manifestSchema = z.object({ oauth_config: z.object({ scopes: z.object({ bot: z.array(z.string()) }) }) });
const MANIFEST_SCOPES = manifestSchema.parse(parseYaml(await readFile(path.join(ROOT, 'manifest.yml'), 'utf8'))).oauth_config.scopes.bot;

const GROUP = 'S0SBXONCALL';
const ALEX = 'U0SBXL1ALEX';
const SAM = 'U0SBXL2SAMO';

const silentLogger: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined, setLevel: () => undefined, getLevel: () => LogLevel.ERROR, setName: () => undefined };

/** Slack's error code of a call that must fail. */
async function slackError(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    const parsed = z.object({ data: z.object({ error: z.string() }) }).safeParse(error);
    if (parsed.success) return parsed.data.data.error;
    throw error;
  }
  throw new Error('expected the Slack call to fail');
}

// A team trying the bot in the sandbox must see what it would see in Slack: every Web API method
// the bot calls is answered, with Slack's shapes and error codes, and what changes is kept.
describe('the sandbox answers every Slack method the bot calls, as Slack does', () => {
  let sandbox: SandboxBot;
  /** A Slack client of the sandbox over its HTTP mount, as a person or a script would use it. */
  const client = (token = 'xoxb-sandbox') => new WebClient(token, { slackApiUrl: `${sandbox.url}/sandbox/api/`, retryConfig: { retries: 0 }, logger: silentLogger });

  beforeAll(async () => {
    // The config names a user group, as a team's config would (an escalation level, a schedule's group).
    sandbox = await startSandboxBot({ config: { responders: [ALEX, GROUP] } });
  }, 60_000);
  afterAll(async () => {
    await sandbox?.stop();
  });

  it('finds the methods in the bot’s source: its own client, Bolt’s client in listeners, and @slack/web-api helpers', () => {
    // One of each way the bot reaches Slack, so a scan that finds nothing cannot pass the test below.
    expect(METHODS).toEqual(expect.arrayContaining(['chat.postMessage', 'conversations.history', 'usergroups.users.update', 'users.conversations', 'views.open', 'files.getUploadURLExternal', 'files.completeUploadExternal', 'auth.test']));
  });

  it.each(METHODS)('answers %s, not unknown_method', async (method) => {
    // The bot's own client (its calls go to the sandbox in-process); arguments left out are
    // answered with Slack's error for them, which names no unknown method.
    const answer = await sandbox.bot.deps.slack.apiCall(method, {}).then(
      (result) => ({ ok: result.ok, error: undefined }),
      (error: unknown) => ({ ok: false, error: z.object({ data: z.object({ ok: z.literal(false), error: z.string() }) }).parse(error).data.error }),
    );
    expect(answer.error).not.toBe('unknown_method');
    // fatal_error is the sandbox failing inside, never what Slack answers for missing arguments.
    expect(answer.error).not.toBe('fatal_error');
  });

  it('sends the token’s scopes in X-OAuth-Scopes, those manifest.yml asks for, and none for a token it refuses', async () => {
    expect((await client().auth.test()).response_metadata?.scopes?.toSorted()).toEqual(MANIFEST_SCOPES.toSorted());
    expect((await sandbox.bot.deps.slack.auth.test()).response_metadata?.scopes?.toSorted()).toEqual(MANIFEST_SCOPES.toSorted());
    const refused = await fetch(`${sandbox.url}/sandbox/api/auth.test`, { method: 'POST', headers: { authorization: 'Bearer xoxb-someone-else' } });
    expect(await refused.json()).toEqual({ ok: false, error: 'invalid_auth' });
    expect(refused.headers.get('x-oauth-scopes')).toBeNull();
  });

  it('keeps message metadata and returns it from history and replies only with include_all_metadata', async () => {
    const slack = client();
    const channel = (await slack.conversations.create({ name: 'inc-parity-metadata' })).channel?.id as string;
    const mark = { event_type: 'incident_message', event_payload: { incident_id: 'INC-7' } };
    const posted = await slack.chat.postMessage({ channel, text: 'the incident message', metadata: mark });
    expect((await slack.conversations.history({ channel })).messages?.[0]).not.toHaveProperty('metadata');
    expect((await slack.conversations.history({ channel, include_all_metadata: true })).messages?.[0]?.metadata).toEqual(mark);

    const reply = await slack.chat.postMessage({ channel, thread_ts: posted.ts, text: 'a post in the thread', metadata: { event_type: 'incident_post', event_payload: { post_id: '12' } } });
    const thread = await slack.conversations.replies({ channel, ts: posted.ts as string, include_all_metadata: true });
    expect(thread.messages?.map((m) => [m.ts, m.metadata?.event_type])).toEqual([[posted.ts, 'incident_message'], [reply.ts, 'incident_post']]);
    expect((await slack.conversations.replies({ channel, ts: posted.ts as string })).messages?.some((m) => m.metadata !== undefined)).toBe(false);

    // chat.update replaces it; the bot finds its message by it after a lost answer, as in Slack.
    const updated = { event_type: 'incident_message', event_payload: { incident_id: 'INC-7', version: 2 } };
    await slack.chat.update({ channel, ts: posted.ts as string, text: 'the incident message, updated', metadata: updated });
    expect((await slack.conversations.history({ channel, include_all_metadata: true })).messages?.[0]?.metadata).toEqual(updated);
    expect(await findMarked(sandbox.bot.deps.slack, channel, { eventType: 'incident_message', payload: { incident_id: 'INC-7' } })).toBe(posted.ts);
    expect(await findMarked(sandbox.bot.deps.slack, channel, { eventType: 'incident_post', payload: { post_id: '12' } }, posted.ts)).toBe(reply.ts);

    expect(await slackError(slack.chat.postMessage({ channel, text: 'x', metadata: { event_type: 'has space', event_payload: {} } }))).toBe('invalid_metadata_format');
  });

  it('sets a user group’s members with usergroups.users.update, as usergroups.users.list and escalation then see them', async () => {
    const slack = client();
    expect((await slack.usergroups.users.list({ usergroup: GROUP })).users).toEqual([]);
    const answer = await slack.usergroups.users.update({ usergroup: GROUP, users: `${ALEX},${SAM}` });
    expect(answer.usergroup).toMatchObject({ id: GROUP, users: [ALEX, SAM], user_count: 2 });
    expect((await slack.usergroups.users.list({ usergroup: GROUP })).users).toEqual([ALEX, SAM]);
    // An escalation level naming the group pages its members.
    expect(await peopleOf(sandbox.bot.deps.slack, [GROUP])).toEqual([ALEX, SAM]);

    expect(await slackError(slack.usergroups.users.update({ usergroup: 'S0NOSUCHGRP', users: ALEX }))).toBe('no_such_subteam');
    expect(await slackError(slack.usergroups.users.update({ usergroup: GROUP, users: '' }))).toBe('no_users_provided');
    expect(await slackError(slack.usergroups.users.update({ usergroup: GROUP, users: 'alex' }))).toBe('invalid_users');
    expect(await slackError(slack.usergroups.users.update({ usergroup: GROUP, users: 'U0SBXBOT001' }))).toBe('invalid_user');
    expect((await slack.usergroups.users.list({ usergroup: GROUP })).users).toEqual([ALEX, SAM]);
  });

  it('lists the conversations of the user named by users.conversations, not the bot’s', async () => {
    const slack = client();
    const withAlex = (await slack.conversations.create({ name: 'inc-parity-with-alex' })).channel?.id as string;
    await slack.conversations.invite({ channel: withAlex, users: ALEX });
    await slack.conversations.create({ name: 'inc-parity-without-alex' });
    const privateWithAlex = (await slack.conversations.create({ name: 'inc-parity-private', is_private: true })).channel?.id as string;
    await slack.conversations.invite({ channel: privateWithAlex, users: ALEX });

    const names = async (args: { user?: string; types?: string }) => (await slack.users.conversations({ ...args, limit: 999 })).channels?.map((c) => c.name).sort();
    expect(await names({ user: ALEX })).toEqual(['general', 'inc-parity-with-alex']);
    expect(await names({ user: ALEX, types: 'private_channel' })).toEqual(['inc-parity-private']);
    expect(await names({})).toEqual(expect.arrayContaining(['general', 'inc-parity-with-alex', 'inc-parity-without-alex']));
    expect(await slackError(slack.users.conversations({ user: 'alex' }))).toBe('user_not_found');
  });

  it('keeps a user group’s members and messages’ metadata across a restart of the bot (in Postgres)', async () => {
    const slack = client();
    await slack.usergroups.users.update({ usergroup: GROUP, users: SAM });
    const channel = (await slack.conversations.create({ name: 'inc-parity-kept' })).channel?.id as string;
    const mark = { event_type: 'incident_message', event_payload: { incident_id: 'INC-8' } };
    await slack.chat.postMessage({ channel, text: 'kept', metadata: mark });
    await sandbox.restart();
    expect((await client().usergroups.users.list({ usergroup: GROUP })).users).toEqual([SAM]);
    expect((await client().conversations.history({ channel, include_all_metadata: true })).messages?.[0]?.metadata).toEqual(mark);
  });
});
