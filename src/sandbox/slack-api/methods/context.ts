/**
 * What a method handler gets, and the helpers shared by the method families.
 */
import type { AnyBlock } from '@slack/web-api';
import { z } from 'zod';
import { fail, type MethodResult } from '../args.js';
import { BLOCK_KIT_LIMITS, formatViolation } from '../block-kit-limits.js';
import { validateBlocks } from '../validate-blocks.js';
import type { SlackState } from '../state.js';
import type { ApiArgs, BotIdentity, Channel, JsonObject, Message, MessageMetadata, StoredFile, User, Usergroup } from '../types.js';

export interface MethodConfig {
  /**
   * Whether the bot may post to public channels it is not a member of (the `chat:write.public` scope).
   * Without it Slack answers `not_in_channel`.
   */
  chatWritePublic: boolean;
  actionIdScope: 'block' | 'message';
  /** What to do with a message `text` over 40,000 characters: Slack documents truncation. */
  oversizeText: 'truncate' | 'msg_too_long';
  /** Base URL for upload URLs handed out by files.getUploadURLExternal (ends with `/`). */
  uploadBaseUrl: string;
}

export interface MethodContext {
  args: ApiArgs;
  state: SlackState;
  bot: BotIdentity;
  config: MethodConfig;
}

export type MethodHandler = (ctx: MethodContext) => MethodResult;
export type MethodTable = Readonly<Record<string, MethodHandler>>;

// --- conversations -----------------------------------------------------------------------------------------

/** A conversation as the bot can see it: private conversations it is not in are invisible (channel_not_found). */
export function visibleChannel(ctx: MethodContext, ref: string): Channel | undefined {
  const channel = ctx.state.findChannel(ref);
  if (!channel) return undefined;
  if ((channel.isPrivate || channel.isIm) && !channel.members.has(ctx.bot.userId)) return undefined;
  return channel;
}

/** Channel for chat.* calls: ids, names, and user ids (which post to the bot's DM with that user). */
export function messageTarget(ctx: MethodContext, ref: string): Channel | undefined {
  if (/^[UW][A-Z0-9]+$/.test(ref) && !ctx.state.channels.has(ref)) {
    return ctx.state.getUser(ref) ? ctx.state.openDm(ref) : undefined;
  }
  return visibleChannel(ctx, ref);
}

/** Error for posting into `channel` as the bot, or undefined when allowed. */
export function postingError(ctx: MethodContext, channel: Channel): string | undefined {
  if (channel.archived) return 'is_archived';
  if (!channel.members.has(ctx.bot.userId) && !(ctx.config.chatWritePublic && !channel.isPrivate)) {
    return 'not_in_channel';
  }
  return undefined;
}

// --- message content ---------------------------------------------------------------------------------------

export interface MessageContent {
  text: string;
  blocks?: AnyBlock[];
  attachments?: JsonObject[];
}

function isObjectArray(v: unknown): v is JsonObject[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'object' && x !== null && !Array.isArray(x));
}

/** After validateBlocks found no violation: every element is a typed block. */
function isBlockList(v: unknown): v is AnyBlock[] {
  return Array.isArray(v) && v.every((x: unknown) => typeof x === 'object' && x !== null && 'type' in x && typeof x.type === 'string');
}

/**
 * Reads `text` / `blocks` / `attachments` of chat.postMessage, chat.update, chat.postEphemeral:
 * `no_text` without content, `invalid_blocks_format` for a `blocks` value that is not a JSON array of
 * objects, `invalid_blocks` with Slack's error list for Block Kit violations.
 */
export function readMessageContent(ctx: MethodContext, raw: { text?: string; blocks?: unknown; attachments?: unknown }): MessageContent | MethodResult {
  let blocks: AnyBlock[] | undefined;
  if (raw.blocks !== undefined && raw.blocks !== '') {
    if (!isObjectArray(raw.blocks)) return fail('invalid_blocks_format');
    const violations = validateBlocks(raw.blocks, { surface: 'message', actionIdScope: ctx.config.actionIdScope });
    if (violations.length > 0) {
      const errors = violations.map(formatViolation);
      return fail('invalid_blocks', {
        errors,
        response_metadata: { messages: errors.map((e) => `[ERROR] ${e}`) },
      });
    }
    if (isBlockList(raw.blocks)) blocks = raw.blocks;
  }
  let attachments: JsonObject[] | undefined;
  if (raw.attachments !== undefined && raw.attachments !== '') {
    if (!isObjectArray(raw.attachments)) return fail('invalid_attachments');
    attachments = raw.attachments;
  }
  let text = raw.text ?? '';
  if (!text && (!blocks || blocks.length === 0) && (!attachments || attachments.length === 0)) return fail('no_text');
  if (text.length > BLOCK_KIT_LIMITS.messageText) {
    if (ctx.config.oversizeText === 'msg_too_long') return fail('msg_too_long');
    text = text.slice(0, BLOCK_KIT_LIMITS.messageText);
  }
  return { text, blocks, attachments };
}

export function isResult(v: MessageContent | MethodResult): v is MethodResult {
  return 'ok' in v;
}

// --- JSON shapes -------------------------------------------------------------------------------------------

/** Conversation object as returned by conversations.* methods. */
export function conversationJson(channel: Channel, botUserId: string): JsonObject {
  return {
    id: channel.id,
    name: channel.isIm ? undefined : channel.name,
    is_channel: !channel.isIm,
    is_group: false,
    is_im: channel.isIm,
    is_mpim: false,
    is_private: channel.isPrivate || channel.isIm,
    created: channel.created,
    creator: channel.creator,
    is_archived: channel.archived,
    is_general: channel.isGeneral,
    unlinked: 0,
    name_normalized: channel.isIm ? undefined : channel.name,
    is_shared: false,
    is_ext_shared: false,
    is_org_shared: false,
    pending_shared: [],
    is_pending_ext_shared: false,
    is_member: channel.members.has(botUserId),
    topic: { value: channel.topic, creator: channel.topicSetBy, last_set: channel.topicSetAt },
    purpose: { value: channel.purpose, creator: channel.purposeSetBy, last_set: channel.purposeSetAt },
    previous_names: [],
    num_members: channel.members.size,
    user: channel.isIm ? [...channel.members].find((m) => m !== botUserId) : undefined,
  };
}

/**
 * Message JSON (Slack's message objects do not carry the channel). Slack returns a message's
 * `metadata` from conversations.history / replies only when asked (`include_all_metadata`).
 */
export function messageJson(message: Message, options: { metadata?: boolean } = {}): JsonObject {
  const { channel: _channel, metadata, ...rest } = message;
  return options.metadata === false || metadata === undefined ? { ...rest } : { ...rest, metadata };
}

const metadataSchema = z.object({
  event_type: z.string().regex(/^[A-Za-z0-9_]+$/),
  event_payload: z.record(z.string(), z.unknown()),
});

/**
 * Message metadata as chat.postMessage / chat.update accept it: `{ event_type, event_payload }`,
 * an event type of letters, digits and underscores; anything else is `invalid_metadata_format`.
 */
export function readMetadata(raw: unknown): MessageMetadata | 'invalid' | undefined {
  if (raw === undefined || raw === '') return undefined;
  const parsed = metadataSchema.safeParse(raw);
  return parsed.success ? parsed.data : 'invalid';
}

export function userJson(user: User, teamId: string): JsonObject {
  return {
    id: user.id,
    team_id: teamId,
    name: user.name,
    deleted: user.deleted,
    real_name: user.realName,
    tz: user.tz,
    is_bot: user.isBot,
    is_app_user: false,
    profile: {
      real_name: user.realName,
      display_name: user.name,
      real_name_normalized: user.realName,
      display_name_normalized: user.name,
      email: user.email,
      team: teamId,
    },
  };
}

/** A user group as usergroups.* methods answer it. */
export function usergroupJson(group: Usergroup, teamId: string): JsonObject {
  return {
    id: group.id,
    team_id: teamId,
    is_usergroup: true,
    is_subteam: true,
    name: group.name,
    description: '',
    handle: group.handle,
    is_external: false,
    users: [...group.users],
    user_count: group.users.length,
  };
}

export function fileJson(file: StoredFile, teamUrl: string): JsonObject {
  const shares: Record<string, Array<{ ts: string }>> = {};
  for (const s of file.shares) (shares[s.channel] ??= []).push({ ts: s.ts });
  return {
    id: file.id,
    created: file.created,
    timestamp: file.created,
    name: file.name,
    title: file.title,
    user: file.user,
    size: file.data?.length ?? 0,
    mimetype: 'application/octet-stream',
    filetype: file.name.includes('.') ? file.name.split('.').pop() : '',
    alt_txt: file.altText,
    channels: [...new Set(file.shares.map((s) => s.channel))],
    shares: file.shares.length > 0 ? { public: shares } : {},
    permalink: `${teamUrl}files/${file.user}/${file.id}/${encodeURIComponent(file.name)}`,
    url_private: `${teamUrl}files-pri/${file.id}/${encodeURIComponent(file.name)}`,
  };
}
