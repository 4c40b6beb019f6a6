/**
 * Shared types of the sandbox's Slack Web API (which the tests' fake Slack re-uses).
 *
 * The shapes mirror what Slack documents for the corresponding objects (conversation, message, user, file),
 * trimmed to the fields the fake maintains.
 */
import type { AnyBlock } from '@slack/web-api';

export type JsonObject = Record<string, unknown>;

/** Arguments of one Web API call, after decoding form/JSON/multipart bodies (token removed). */
export type ApiArgs = Record<string, unknown>;

export interface Reaction {
  name: string;
  users: string[];
  count: number;
}

/** A file as the fake stores it (V2 upload flow: getUploadURLExternal → upload URL → completeUploadExternal). */
export interface StoredFile {
  id: string;
  /** `filename` given to files.getUploadURLExternal. */
  name: string;
  title: string;
  /** Byte length announced to files.getUploadURLExternal. */
  declaredLength: number;
  /** Bytes received on the upload URL (undefined until uploaded). */
  data?: Buffer;
  altText?: string;
  snippetType?: string;
  uploadToken: string;
  uploaded: boolean;
  completed: boolean;
  /** Channels the file was shared to by files.completeUploadExternal, with the message ts of each share. */
  shares: Array<{ channel: string; ts: string }>;
  created: number;
  user: string;
}

/** Message metadata as chat.postMessage / chat.update take it and conversations.history returns it. */
export interface MessageMetadata {
  event_type: string;
  event_payload: JsonObject;
}

export interface Message {
  type: 'message';
  ts: string;
  /** Conversation the message lives in (kept for test convenience; not part of Slack's message JSON). */
  channel: string;
  user: string;
  bot_id?: string;
  app_id?: string;
  subtype?: string;
  text: string;
  blocks?: AnyBlock[];
  attachments?: JsonObject[];
  thread_ts?: string;
  parent_user_id?: string;
  reply_count?: number;
  reply_users?: string[];
  reply_users_count?: number;
  latest_reply?: string;
  edited?: { user: string; ts: string };
  reactions?: Reaction[];
  pinned_to?: string[];
  files?: JsonObject[];
  metadata?: MessageMetadata;
  team: string;
}

export interface EphemeralMessage {
  channel: string;
  /** Recipient. */
  user: string;
  message_ts: string;
  text: string;
  blocks?: AnyBlock[];
  thread_ts?: string;
}

export interface Channel {
  id: string;
  name: string;
  isPrivate: boolean;
  isIm: boolean;
  isGeneral: boolean;
  /** Unix seconds. */
  created: number;
  creator: string;
  topic: string;
  topicSetBy: string;
  topicSetAt: number;
  purpose: string;
  purposeSetBy: string;
  purposeSetAt: number;
  members: Set<string>;
  archived: boolean;
  /** Top-level messages and thread replies (replies carry `thread_ts`), in ts order. */
  messages: Message[];
  /** ts of pinned messages. */
  pins: Set<string>;
}

export interface User {
  id: string;
  name: string;
  realName: string;
  email?: string;
  isBot: boolean;
  deleted: boolean;
  tz: string;
}

export interface Usergroup {
  id: string;
  handle: string;
  name: string;
  users: string[];
}

export interface OpenedView {
  id: string;
  triggerId: string;
  view: JsonObject;
  openedAt: number;
}

/** Identity behind the configured tokens (a bot user). */
export interface BotIdentity {
  userId: string;
  botId: string;
  appId: string;
  userName: string;
  teamId: string;
  teamName: string;
  /** Workspace URL, ends with `/`. */
  teamUrl: string;
}
