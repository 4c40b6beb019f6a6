/**
 * chat.* — posting, updating, ephemeral messages and permalinks.
 */
import { z } from 'zod';
import { fail, flag, jsonArg, ok, optString, parseArgs, reqString } from '../args.js';
import type { Message } from '../types.js';
import {
  isResult,
  messageJson,
  messageTarget,
  postingError,
  readMessageContent,
  readMetadata,
  visibleChannel,
  type MethodTable,
} from './context.js';

const contentArgs = {
  text: optString,
  markdown_text: optString,
  blocks: jsonArg,
  attachments: jsonArg,
  metadata: jsonArg,
};

/** markdown_text "should not be used in conjunction with blocks or text" (markdown_text_conflict). */
function markdownConflict(args: { text?: string; markdown_text?: string; blocks?: unknown }): boolean {
  return args.markdown_text !== undefined && (args.text !== undefined || args.blocks !== undefined);
}

export const chatMethods: MethodTable = {
  'chat.postMessage': (ctx) => {
    const schema = z.object({ channel: reqString, thread_ts: optString, reply_broadcast: flag, ...contentArgs });
    const parsed = parseArgs(schema, ctx.args);
    if (!parsed.success) return parsed.result;
    const args = parsed.data;
    const channel = messageTarget(ctx, args.channel);
    if (!channel) return fail('channel_not_found');
    const postError = postingError(ctx, channel);
    if (postError) return fail(postError);
    if (markdownConflict(args)) return fail('markdown_text_conflict');
    const content = readMessageContent(ctx, { ...args, text: args.text ?? args.markdown_text });
    if (isResult(content)) return content;
    const metadata = readMetadata(args.metadata);
    if (metadata === 'invalid') return fail('invalid_metadata_format');

    const ts = ctx.state.nextTs();
    const message: Message = {
      type: 'message',
      ts,
      channel: channel.id,
      user: ctx.bot.userId,
      bot_id: ctx.bot.botId,
      app_id: ctx.bot.appId,
      text: content.text,
      team: ctx.bot.teamId,
      ...(content.blocks ? { blocks: content.blocks } : {}),
      ...(content.attachments ? { attachments: content.attachments } : {}),
      ...(args.thread_ts ? { thread_ts: args.thread_ts } : {}),
      ...(args.thread_ts && args.reply_broadcast ? { subtype: 'thread_broadcast' } : {}),
      ...(metadata ? { metadata } : {}),
    };
    ctx.state.addMessage(channel, message);
    return ok({ channel: channel.id, ts, message: messageJson(message) });
  },

  'chat.update': (ctx) => {
    const schema = z.object({ channel: reqString, ts: reqString, ...contentArgs });
    const parsed = parseArgs(schema, ctx.args);
    if (!parsed.success) return parsed.result;
    const args = parsed.data;
    const channel = visibleChannel(ctx, args.channel);
    if (!channel) return fail('channel_not_found');
    const message = ctx.state.findMessage(channel, args.ts);
    if (!message) return fail('message_not_found');
    if (message.user !== ctx.bot.userId) return fail('cant_update_message');
    // "is_inactive: The message cannot be edited within a frozen, archived or deleted channel."
    if (channel.archived) return fail('is_inactive');
    if (markdownConflict(args)) return fail('markdown_text_conflict');
    const content = readMessageContent(ctx, { ...args, text: args.text ?? args.markdown_text });
    if (isResult(content)) return content;
    const metadata = readMetadata(args.metadata);
    if (metadata === 'invalid') return fail('invalid_metadata_format');

    // Fields left out keep their previous value; an empty array clears blocks/attachments.
    if (args.text !== undefined || args.markdown_text !== undefined) message.text = content.text;
    if (args.blocks !== undefined) {
      if (content.blocks && content.blocks.length > 0) message.blocks = content.blocks;
      else delete message.blocks;
    }
    if (args.attachments !== undefined) {
      if (content.attachments && content.attachments.length > 0) message.attachments = content.attachments;
      else delete message.attachments;
    }
    if (metadata) message.metadata = metadata;
    message.edited = { user: ctx.bot.userId, ts: ctx.state.nextTs() };
    return ok({ channel: channel.id, ts: message.ts, text: message.text, message: messageJson(message) });
  },

  'chat.postEphemeral': (ctx) => {
    const schema = z.object({ channel: reqString, user: reqString, thread_ts: optString, ...contentArgs });
    const parsed = parseArgs(schema, ctx.args);
    if (!parsed.success) return parsed.result;
    const args = parsed.data;
    const channel = messageTarget(ctx, args.channel);
    if (!channel) return fail('channel_not_found');
    const postError = postingError(ctx, channel);
    if (postError) return fail(postError);
    if (!ctx.state.getUser(args.user) || !channel.members.has(args.user)) return fail('user_not_in_channel');
    if (markdownConflict(args)) return fail('markdown_text_conflict');
    const content = readMessageContent(ctx, { ...args, text: args.text ?? args.markdown_text });
    if (isResult(content)) return content;
    const messageTs = ctx.state.nextTs();
    ctx.state.ephemerals.push({
      channel: channel.id,
      user: args.user,
      message_ts: messageTs,
      text: content.text,
      ...(content.blocks ? { blocks: content.blocks } : {}),
      ...(args.thread_ts ? { thread_ts: args.thread_ts } : {}),
    });
    return ok({ message_ts: messageTs });
  },

  'chat.getPermalink': (ctx) => {
    const parsed = parseArgs(z.object({ channel: reqString, message_ts: reqString }), ctx.args);
    if (!parsed.success) return parsed.result;
    const channel = visibleChannel(ctx, parsed.data.channel);
    if (!channel) return fail('channel_not_found');
    const message = ctx.state.findMessage(channel, parsed.data.message_ts);
    if (!message) return fail('message_not_found');
    const base = `${ctx.bot.teamUrl}archives/${channel.id}/p${message.ts.replace('.', '')}`;
    const isReply = message.thread_ts !== undefined && message.thread_ts !== message.ts;
    const permalink = isReply ? `${base}?thread_ts=${message.thread_ts}&cid=${channel.id}` : base;
    return ok({ channel: channel.id, permalink });
  },
};
