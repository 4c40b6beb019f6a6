/**
 * conversations.* — channel lifecycle, membership, topic/purpose and reading history.
 */
import { z } from 'zod';
import { fail, flag, idList, ok, optInt, optString, parseArgs, reqString, type MethodResult } from '../args.js';
import type { Channel, Message } from '../types.js';
import { conversationJson, messageJson, visibleChannel, type MethodContext, type MethodTable } from './context.js';
import { decodeCursor, paginate, tsKey } from './paging.js';

/** "Channel names may only contain lowercase letters, numbers, hyphens, and underscores, and must be 80 characters or less." */
export const CHANNEL_NAME_MAX = 80;
/** conversations.setTopic / setPurpose: "too_long: Topic was longer than 250 characters." */
export const TOPIC_MAX = 250;

const charLength = (s: string): number => [...s].length;

export function channelNameError(name: string): string | undefined {
  if (name.length === 0) return 'invalid_name_required';
  if (charLength(name) > CHANNEL_NAME_MAX) return 'invalid_name_maxlength';
  // Lowercase letters (caseless scripts allowed), digits, hyphens, underscores.
  if (!/^[\p{Ll}\p{Lo}\p{Lm}\p{Nd}_-]+$/u.test(name)) return 'invalid_name_specials';
  if (/^[-_]+$/.test(name)) return 'invalid_name_punctuation';
  return undefined;
}

const channelArg = z.object({ channel: reqString });

function withChannel(ctx: MethodContext, run: (channelId: string) => MethodResult): MethodResult {
  const parsed = parseArgs(channelArg, ctx.args);
  if (!parsed.success) return parsed.result;
  return run(parsed.data.channel);
}

function setTopicLike(ctx: MethodContext, field: 'topic' | 'purpose'): MethodResult {
  const parsed = parseArgs(z.object({ channel: reqString, [field]: reqString }), ctx.args);
  if (!parsed.success) return parsed.result;
  const data = parsed.data as { channel: string } & Record<typeof field, string>;
  const channel = visibleChannel(ctx, data.channel);
  if (!channel) return fail('channel_not_found');
  const value = data[field];
  if (charLength(value) > TOPIC_MAX) return fail('too_long');
  if (channel.archived) return fail('is_archived');
  if (!channel.members.has(ctx.bot.userId)) return fail('not_in_channel');
  const now = ctx.state.nowSeconds();
  if (field === 'topic') {
    channel.topic = value;
    channel.topicSetBy = ctx.bot.userId;
    channel.topicSetAt = now;
  } else {
    channel.purpose = value;
    channel.purposeSetBy = ctx.bot.userId;
    channel.purposeSetAt = now;
  }
  return ok({ channel: conversationJson(channel, ctx.bot.userId), ...(field === 'purpose' ? { purpose: value } : {}) });
}

const isTopLevel = (m: Message): boolean => !m.thread_ts || m.thread_ts === m.ts || m.subtype === 'thread_broadcast';

export const conversationMethods: MethodTable = {
  'conversations.create': (ctx) => {
    const parsed = parseArgs(z.object({ name: reqString, is_private: flag }), ctx.args);
    if (!parsed.success) return parsed.result;
    const { name, is_private } = parsed.data;
    const nameError = channelNameError(name);
    if (nameError) return fail(nameError);
    // Archived channels keep their name.
    if (ctx.state.channelByName(name)) return fail('name_taken');
    const channel = ctx.state.createChannel({ name, isPrivate: is_private }, ctx.bot.userId);
    return ok({ channel: conversationJson(channel, ctx.bot.userId) });
  },

  'conversations.setTopic': (ctx) => setTopicLike(ctx, 'topic'),

  'conversations.setPurpose': (ctx) => setTopicLike(ctx, 'purpose'),

  'conversations.invite': (ctx) => {
    const parsed = parseArgs(z.object({ channel: reqString, users: idList, force: flag }), ctx.args);
    if (!parsed.success) return parsed.result;
    const { users, force } = parsed.data;
    const channel = visibleChannel(ctx, parsed.data.channel);
    if (!channel) return fail('channel_not_found');
    if (channel.isIm) return fail('method_not_supported_for_channel_type');
    if (channel.archived) return fail('is_archived');
    if (!channel.members.has(ctx.bot.userId)) return fail('not_in_channel');
    if (users.length === 0) return fail('no_user');
    if (users.includes(ctx.bot.userId)) return fail('cant_invite_self');
    const unknown = users.filter((u) => !ctx.state.getUser(u));
    if (unknown.length > 0 && !force) return fail('user_not_found');
    const valid = users.filter((u) => ctx.state.getUser(u));
    const newcomers = valid.filter((u) => !channel.members.has(u));
    if (newcomers.length === 0) return fail(unknown.length > 0 ? 'user_not_found' : 'already_in_channel');
    for (const u of newcomers) channel.members.add(u);
    return ok({ channel: conversationJson(channel, ctx.bot.userId) });
  },

  'conversations.archive': (ctx) =>
    withChannel(ctx, (id) => {
      const channel = visibleChannel(ctx, id);
      if (!channel) return fail('channel_not_found');
      if (channel.isIm) return fail('method_not_supported_for_channel_type');
      if (channel.isGeneral) return fail('cant_archive_general');
      if (channel.archived) return fail('already_archived');
      channel.archived = true;
      return ok();
    }),

  'conversations.info': (ctx) =>
    withChannel(ctx, (id) => {
      const channel = visibleChannel(ctx, id);
      if (!channel) return fail('channel_not_found');
      return ok({ channel: conversationJson(channel, ctx.bot.userId) });
    }),

  'conversations.join': (ctx) =>
    withChannel(ctx, (id) => {
      const channel = visibleChannel(ctx, id);
      if (!channel) return fail('channel_not_found');
      if (channel.isIm || channel.isPrivate) return fail('method_not_supported_for_channel_type');
      if (channel.archived) return fail('is_archived');
      const already = channel.members.has(ctx.bot.userId);
      channel.members.add(ctx.bot.userId);
      const json = conversationJson(channel, ctx.bot.userId);
      return already
        ? ok({ channel: json, warning: 'already_in_channel', response_metadata: { warnings: ['already_in_channel'] } })
        : ok({ channel: json });
    }),

  'conversations.members': (ctx) => {
    const parsed = parseArgs(z.object({ channel: reqString, cursor: optString, limit: optInt }), ctx.args);
    if (!parsed.success) return parsed.result;
    const channel = visibleChannel(ctx, parsed.data.channel);
    if (!channel) return fail('channel_not_found');
    const offset = decodeCursor(parsed.data.cursor);
    if (offset === undefined) return fail('invalid_cursor');
    const limit = parsed.data.limit ?? 100;
    if (limit < 1 || limit > 1000) return fail('invalid_limit');
    const page = paginate([...channel.members], offset, limit);
    return ok({ members: page.items, response_metadata: { next_cursor: page.nextCursor ?? '' } });
  },

  // The conversations of the bot, or of `user` ("types" defaults to public_channel, as Slack's does):
  // the bot looks its own channel up here after a lost conversations.create answer. Slack lists
  // another user's public channels, and their private ones only where the bot is a member too;
  // its conversation objects here leave out is_member and num_members.
  'users.conversations': (ctx) => {
    const schema = z.object({ types: optString, exclude_archived: flag, cursor: optString, limit: optInt, user: optString });
    const parsed = parseArgs(schema, ctx.args);
    if (!parsed.success) return parsed.result;
    const user = parsed.data.user || ctx.bot.userId;
    if (!ctx.state.getUser(user)) return fail('user_not_found');
    const types = new Set((parsed.data.types ?? 'public_channel').split(',').map((t) => t.trim()));
    const offset = decodeCursor(parsed.data.cursor);
    if (offset === undefined) return fail('invalid_cursor');
    const limit = Math.min(Math.max(parsed.data.limit ?? 100, 1), 999);
    const typeOf = (c: Channel) => (c.isIm ? 'im' : c.isPrivate ? 'private_channel' : 'public_channel');
    const listed = (c: Channel) => c.members.has(user) && (typeOf(c) === 'public_channel' || c.members.has(ctx.bot.userId));
    const all = [...ctx.state.channels.values()].filter((c) => listed(c) && types.has(typeOf(c)) && !(parsed.data.exclude_archived && c.archived));
    const page = paginate(all, offset, limit);
    const json = (c: Channel) => {
      const { is_member: _isMember, num_members: _numMembers, ...rest } = conversationJson(c, ctx.bot.userId);
      return rest;
    };
    return ok({ channels: page.items.map(json), response_metadata: { next_cursor: page.nextCursor ?? '' } });
  },

  'conversations.history': (ctx) => {
    const schema = z.object({
      channel: reqString,
      cursor: optString,
      limit: optInt,
      latest: optString,
      oldest: optString,
      inclusive: flag,
      include_all_metadata: flag,
    });
    const parsed = parseArgs(schema, ctx.args);
    if (!parsed.success) return parsed.result;
    const { cursor, latest, oldest, inclusive, include_all_metadata } = parsed.data;
    const channel = visibleChannel(ctx, parsed.data.channel);
    if (!channel) return fail('channel_not_found');
    const latestKey = latest ? tsKey(latest) : undefined;
    if (latest && latestKey === undefined) return fail('invalid_ts_latest');
    const oldestKey = oldest ? tsKey(oldest) : undefined;
    if (oldest && oldestKey === undefined) return fail('invalid_ts_oldest');
    const offset = decodeCursor(cursor);
    if (offset === undefined) return fail('invalid_cursor');
    const inRange = (m: Message): boolean => {
      const k = tsKey(m.ts) ?? 0n;
      if (latestKey !== undefined && (inclusive ? k > latestKey : k >= latestKey)) return false;
      if (oldestKey !== undefined && (inclusive ? k < oldestKey : k <= oldestKey)) return false;
      return true;
    };
    const messages = channel.messages.filter((m) => isTopLevel(m) && inRange(m)).reverse();
    const limit = Math.min(Math.max(parsed.data.limit ?? 100, 1), 999);
    const page = paginate(messages, offset, limit);
    return ok({
      messages: page.items.map((m) => messageJson(m, { metadata: include_all_metadata })),
      has_more: page.hasMore,
      pin_count: channel.pins.size,
      ...(page.nextCursor ? { response_metadata: { next_cursor: page.nextCursor } } : {}),
    });
  },

  'conversations.replies': (ctx) => {
    const schema = z.object({ channel: reqString, ts: reqString, cursor: optString, limit: optInt, include_all_metadata: flag });
    const parsed = parseArgs(schema, ctx.args);
    if (!parsed.success) return parsed.result;
    const channel = visibleChannel(ctx, parsed.data.channel);
    if (!channel) return fail('channel_not_found');
    const anchor = ctx.state.findMessage(channel, parsed.data.ts);
    if (!anchor) return fail('thread_not_found');
    const offset = decodeCursor(parsed.data.cursor);
    if (offset === undefined) return fail('invalid_cursor');
    const parentTs = anchor.thread_ts ?? anchor.ts;
    const thread = channel.messages.filter((m) => m.ts === parentTs || m.thread_ts === parentTs);
    const limit = Math.min(Math.max(parsed.data.limit ?? 1000, 1), 1000);
    const page = paginate(thread, offset, limit);
    return ok({
      messages: page.items.map((m) => messageJson(m, { metadata: parsed.data.include_all_metadata })),
      has_more: page.hasMore,
      ...(page.nextCursor ? { response_metadata: { next_cursor: page.nextCursor } } : {}),
    });
  },
};
