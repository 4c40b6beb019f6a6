/**
 * The fake workspace: conversations, messages, users, user groups, files, views.
 */
import type {
  BotIdentity,
  Channel,
  EphemeralMessage,
  Message,
  OpenedView,
  StoredFile,
  User,
  Usergroup,
} from './types.js';

export interface SeedChannel {
  name: string;
  id?: string;
  isPrivate?: boolean;
  /** The workspace's #general (cannot be archived). */
  isGeneral?: boolean;
  members?: string[];
  /** Whether the bot user is a member (default true). */
  botIsMember?: boolean;
  topic?: string;
  purpose?: string;
  archived?: boolean;
  /** Who made the channel (default: whoever createChannel names, the bot for its own calls). */
  creator?: string;
}

export interface SeedUser {
  id: string;
  name?: string;
  realName?: string;
  email?: string;
  isBot?: boolean;
  deleted?: boolean;
  tz?: string;
}

export interface SeedUsergroup {
  id: string;
  handle?: string;
  name?: string;
  users: string[];
}

/** Unix seconds. */
function seconds(ms: number): number {
  return Math.floor(ms / 1000);
}

export class SlackState {
  readonly channels = new Map<string, Channel>();
  readonly users = new Map<string, User>();
  readonly usergroups = new Map<string, Usergroup>();
  readonly files = new Map<string, StoredFile>();
  /** Upload-URL token → file id. */
  readonly uploads = new Map<string, string>();
  readonly ephemerals: EphemeralMessage[] = [];
  readonly views: OpenedView[] = [];
  readonly exchangedTriggers = new Set<string>();
  /** Trigger ids handed out by `issueTriggerId`, with their issue time (they expire after 3 s). */
  readonly issuedTriggers = new Map<string, number>();
  private readonly idCounters = new Map<string, number>();
  private lastTsMicros = 0;

  constructor(
    readonly bot: BotIdentity,
    private readonly userIdPattern: RegExp | null,
    private readonly now: () => number,
  ) {
    this.addUser({ id: bot.userId, name: bot.userName, realName: bot.userName, isBot: true });
  }

  /** Slack-looking id: prefix + 10 uppercase alphanumerics, sequential so tests are deterministic. */
  newId(prefix: string): string {
    const n = (this.idCounters.get(prefix) ?? 0) + 1;
    this.idCounters.set(prefix, n);
    return prefix + n.toString(36).toUpperCase().padStart(10, '0');
  }

  /** Message timestamp "seconds.micros", unique and strictly increasing across the workspace. */
  nextTs(): string {
    const micros = Math.max(this.now() * 1000, this.lastTsMicros + 1);
    this.lastTsMicros = micros;
    const secs = Math.floor(micros / 1_000_000);
    return `${secs}.${String(micros % 1_000_000).padStart(6, '0')}`;
  }

  /** After loading a saved workspace: new ids and timestamps continue after the saved ones. */
  restoreCounters(): void {
    const ids = [...this.channels.keys(), ...this.files.keys()];
    for (const id of ids) {
      const prefix = id.slice(0, 1);
      const n = Number.parseInt(id.slice(1), 36);
      if (Number.isFinite(n) && n > (this.idCounters.get(prefix) ?? 0)) this.idCounters.set(prefix, n);
    }
    for (const channel of this.channels.values()) {
      for (const message of channel.messages) {
        const [secs, micros] = message.ts.split('.');
        this.lastTsMicros = Math.max(this.lastTsMicros, Number(secs) * 1_000_000 + Number(micros));
      }
    }
  }

  nowSeconds(): number {
    return seconds(this.now());
  }

  nowMs(): number {
    return this.now();
  }

  // --- conversations -------------------------------------------------------------------------------------

  /** Looks a conversation up by id, `name` or `#name`. */
  findChannel(ref: string): Channel | undefined {
    if (!ref) return undefined;
    const byId = this.channels.get(ref);
    if (byId) return byId;
    return this.channelByName(ref.startsWith('#') ? ref.slice(1) : ref);
  }

  channelByName(name: string): Channel | undefined {
    for (const c of this.channels.values()) if (!c.isIm && c.name === name) return c;
    return undefined;
  }

  createChannel(seed: SeedChannel, by: string): Channel {
    const now = this.nowSeconds();
    const creator = seed.creator ?? by;
    const channel: Channel = {
      id: seed.id ?? this.newId('C'),
      name: seed.name,
      isPrivate: seed.isPrivate ?? false,
      isIm: false,
      isGeneral: seed.isGeneral ?? false,
      created: now,
      creator,
      topic: seed.topic ?? '',
      topicSetBy: seed.topic ? creator : '',
      topicSetAt: seed.topic ? now : 0,
      purpose: seed.purpose ?? '',
      purposeSetBy: seed.purpose ? creator : '',
      purposeSetAt: seed.purpose ? now : 0,
      members: new Set(seed.members ?? []),
      archived: seed.archived ?? false,
      messages: [],
      pins: new Set(),
    };
    if (seed.botIsMember ?? true) channel.members.add(this.bot.userId);
    for (const member of channel.members) this.getUser(member);
    this.channels.set(channel.id, channel);
    return channel;
  }

  /** The bot's DM conversation with a user (created on first use, like posting to a user id does). */
  openDm(userId: string): Channel {
    for (const c of this.channels.values()) if (c.isIm && c.members.has(userId)) return c;
    const channel = this.createChannel({ name: '', members: [userId] }, this.bot.userId);
    channel.isIm = true;
    this.channels.delete(channel.id);
    channel.id = this.newId('D');
    this.channels.set(channel.id, channel);
    return channel;
  }

  // --- users ---------------------------------------------------------------------------------------------

  addUser(seed: SeedUser): User {
    const user: User = {
      id: seed.id,
      name: seed.name ?? seed.id.toLowerCase(),
      realName: seed.realName ?? seed.name ?? seed.id,
      email: seed.email,
      isBot: seed.isBot ?? false,
      deleted: seed.deleted ?? false,
      tz: seed.tz ?? 'UTC',
    };
    this.users.set(user.id, user);
    return user;
  }

  /** Configured users, plus any id matching the "known user" pattern (materialised on first reference). */
  getUser(id: string): User | undefined {
    const known = this.users.get(id);
    if (known) return known;
    if (this.userIdPattern?.test(id)) return this.addUser({ id });
    return undefined;
  }

  userByEmail(email: string): User | undefined {
    const wanted = email.trim().toLowerCase();
    for (const u of this.users.values()) if (u.email?.toLowerCase() === wanted) return u;
    return undefined;
  }

  addUsergroup(seed: SeedUsergroup): Usergroup {
    const group: Usergroup = {
      id: seed.id,
      handle: seed.handle ?? seed.id.toLowerCase(),
      name: seed.name ?? seed.handle ?? seed.id,
      users: [...seed.users],
    };
    this.usergroups.set(group.id, group);
    return group;
  }

  // --- messages ------------------------------------------------------------------------------------------

  findMessage(channel: Channel, ts: string): Message | undefined {
    return channel.messages.find((m) => m.ts === ts);
  }

  /** Appends a message (ts order is preserved since ts only grows) and maintains the thread parent. */
  addMessage(channel: Channel, message: Message): void {
    channel.messages.push(message);
    if (!message.thread_ts || message.thread_ts === message.ts) return;
    const parent = this.findMessage(channel, message.thread_ts);
    if (!parent) return;
    parent.thread_ts = parent.ts;
    parent.reply_count = (parent.reply_count ?? 0) + 1;
    const replyUsers = new Set(parent.reply_users ?? []);
    replyUsers.add(message.user);
    parent.reply_users = [...replyUsers];
    parent.reply_users_count = replyUsers.size;
    parent.latest_reply = message.ts;
    message.parent_user_id = parent.user;
  }
}
