/**
 * The public face of the fake: options, state inspection helpers, fault injection and statistics.
 * Its methods, workspace state and Block Kit checks are the sandbox's (src/sandbox/slack-api), so
 * the tests and the sandbox answer the bot alike.
 */
import { METHODS, type MethodConfig } from '../../../src/sandbox/slack-api/methods/index.js';
import { SlackState, type SeedChannel, type SeedUser, type SeedUsergroup } from '../../../src/sandbox/slack-api/state.js';
import type { BotIdentity, Channel, EphemeralMessage, Message, OpenedView, StoredFile, User, Usergroup } from '../../../src/sandbox/slack-api/types.js';
import type { CallRecord } from './call-record.js';
import { Dispatcher } from './dispatcher.js';
import { FaultInjector, type FaultSpec } from './faults.js';
import { resolveRateLimits, RateLimiter, type RateLimitConfig } from './rate-limit.js';
import { startHttpServer, type RunningServer } from './server.js';
import { countsByMethod, methodStats, peakInWindow, type MethodStats } from './stats.js';

export const DEFAULT_TOKEN = 'xoxb-test-token';
/** Users referenced by an id of this shape exist unless `knownUserPattern` says otherwise. */
export const DEFAULT_KNOWN_USER_PATTERN = /^[UW][A-Z0-9]+$/;

export const DEFAULT_BOT: BotIdentity = {
  userId: 'U0FAKEBOT01',
  botId: 'B0FAKEBOT01',
  appId: 'A0FAKEAPP01',
  userName: 'incident-bot',
  teamId: 'T0FAKETEAM1',
  teamName: 'Fake Team',
  teamUrl: 'https://fake-team.slack.com/',
};

export interface FakeSlackOptions {
  /** Tokens accepted (all act as the same bot). Default `['xoxb-test-token']`. */
  tokens?: string[];
  bot?: Partial<BotIdentity>;
  users?: SeedUser[];
  /** Ids matching this pattern are known users even if not configured; `null` = only configured users. */
  knownUserPattern?: RegExp | null;
  /** User groups (`S…` ids) for usergroups.users.list: a list, or a map id → member ids. */
  usergroups?: SeedUsergroup[] | Record<string, string[]>;
  /** Conversations that exist from the start (the bot is a member unless `botIsMember: false`). */
  channels?: SeedChannel[];
  /** Off by default. `true` = Slack's tiers; a map overrides per method (tier name, rule, or `false`). */
  rateLimits?: RateLimitConfig;
  /** Speeds up every rate-limit period (60 turns 20/minute into 20/second). Default 1. */
  timeScale?: number;
  /** Latency added to every request. Default 0. */
  latencyMs?: number;
  /** Bot has `chat:write.public` (may post to public channels it has not joined). Default false. */
  chatWritePublic?: boolean;
  /** Scope in which action_id must be unique: Slack documents the containing block. Default `'block'`. */
  actionIdScope?: 'block' | 'message';
  /** Message text over 40,000 characters: `'truncate'` (Slack's documented behaviour, default) or `'msg_too_long'`. */
  oversizeText?: 'truncate' | 'msg_too_long';
  /** Port to listen on (default 0 = any free port). */
  port?: number;
  /** Clock (ms since epoch) for timestamps, call times and rate limits. Default `Date.now`. */
  now?: () => number;
}

export interface FakeSlack {
  /** Web API base URL, ending with `/api/` (WebClient's `slackApiUrl`). */
  readonly url: string;
  /** Server origin, ending with `/`. */
  readonly origin: string;
  /** First configured token. */
  readonly token: string;
  readonly bot: BotIdentity;
  /** Every request received (API methods and upload-URL posts as method `"upload"`), refused ones included. */
  readonly calls: readonly CallRecord[];
  callsTo(method: string): CallRecord[];
  readonly channels: ReadonlyMap<string, Channel>;
  channelByName(name: string): Channel | undefined;
  /** Messages of a conversation (id, name or #name), thread replies included, in ts order. */
  messagesIn(channel: string): Message[];
  ephemeralsIn(channel: string): EphemeralMessage[];
  readonly users: ReadonlyMap<string, User>;
  readonly usergroups: ReadonlyMap<string, Usergroup>;
  readonly files: ReadonlyMap<string, StoredFile>;
  readonly views: readonly OpenedView[];
  /** Creates a conversation directly (a name, or a full seed); the bot is a member unless `botIsMember: false`. */
  createChannel(nameOrSeed: string | SeedChannel): Channel;
  addUser(seed: SeedUser): User;
  addUsergroup(seed: SeedUsergroup): Usergroup;
  /** Adds a message written by a (human) user, e.g. to exercise cant_update_message or thread replies. */
  postAsUser(channel: string, user: string, text: string, opts?: { thread_ts?: string }): Message;
  /** A trigger_id as an interaction payload would carry; it expires 3 s after being issued. */
  issueTriggerId(): string;
  /** Every call with `token` is refused with `error` (a revoked token, a deactivated workspace) until `acceptToken`. */
  refuseToken(token: string, error?: string): void;
  /** Calls with `token` are accepted again (the app was reinstalled, the workspace reactivated). */
  acceptToken(token: string): void;
  /** The scopes the token carries, sent in every answer's X-OAuth-Scopes header (as Slack does). */
  setScopes(scopes: readonly string[] | undefined): void;
  /** The next call(s) to `method` (`"*"` = any method) fail or are delayed as described. */
  failNext(method: string, spec?: FaultSpec): void;
  setLatency(ms: number): void;
  /** Max calls to `method` in any sliding window of one minute (scaled by `timeScale`). */
  peakPerMinute(method: string): number;
  counts(): Record<string, number>;
  stats(): Record<string, MethodStats>;
  /** Back to the initial (seeded) workspace; clears calls, faults, rate-limit buckets and latency. */
  reset(): void;
  close(): Promise<void>;
}

function normaliseUsergroups(groups: FakeSlackOptions['usergroups']): SeedUsergroup[] {
  if (!groups) return [];
  if (Array.isArray(groups)) return groups;
  return Object.entries(groups).map(([id, users]) => ({ id, users }));
}

class FakeSlackImpl implements FakeSlack {
  readonly calls: CallRecord[] = [];
  readonly bot: BotIdentity;
  readonly token: string;
  private state: SlackState;
  private latency: number;
  private readonly faults = new FaultInjector();
  private readonly limiter: RateLimiter;
  private readonly now: () => number;
  private readonly timeScale: number;
  private server?: RunningServer;
  private triggerCounter = 0;
  private readonly refusedTokens = new Map<string, string>();
  private scopes: readonly string[] | undefined;

  constructor(private readonly options: FakeSlackOptions) {
    this.bot = { ...DEFAULT_BOT, ...options.bot };
    this.token = options.tokens?.[0] ?? DEFAULT_TOKEN;
    this.now = options.now ?? Date.now;
    this.timeScale = options.timeScale ?? 1;
    this.latency = options.latencyMs ?? 0;
    this.limiter = new RateLimiter(resolveRateLimits(options.rateLimits), this.timeScale, this.now);
    this.state = this.seededState();
  }

  async listen(): Promise<void> {
    const tokens = new Set(this.options.tokens ?? [DEFAULT_TOKEN]);
    let origin = '';
    const config: MethodConfig = {
      chatWritePublic: this.options.chatWritePublic ?? false,
      actionIdScope: this.options.actionIdScope ?? 'block',
      oversizeText: this.options.oversizeText ?? 'truncate',
      get uploadBaseUrl() {
        return origin;
      },
    };
    const dispatcher = new Dispatcher({
      state: () => this.state,
      bot: this.bot,
      tokens,
      refusedTokens: this.refusedTokens,
      scopes: () => this.scopes,
      config,
      methods: METHODS,
      limiter: this.limiter,
      faults: this.faults,
      calls: this.calls,
      latencyMs: () => this.latency,
      now: this.now,
    });
    this.server = await startHttpServer((req) => dispatcher.handle(req), this.options.port ?? 0);
    origin = this.server.origin;
  }

  private seededState(): SlackState {
    const pattern = this.options.knownUserPattern === undefined ? DEFAULT_KNOWN_USER_PATTERN : this.options.knownUserPattern;
    const state = new SlackState(this.bot, pattern, this.now);
    for (const u of this.options.users ?? []) state.addUser(u);
    for (const g of normaliseUsergroups(this.options.usergroups)) state.addUsergroup(g);
    for (const c of this.options.channels ?? []) state.createChannel(c, this.bot.userId);
    return state;
  }

  private requireServer(): RunningServer {
    if (!this.server) throw new Error('fake-slack: server not started');
    return this.server;
  }

  private requireChannel(ref: string): Channel {
    const channel = this.state.findChannel(ref);
    if (!channel) throw new Error(`fake-slack: no conversation "${ref}"`);
    return channel;
  }

  get origin(): string {
    return this.requireServer().origin;
  }

  get url(): string {
    return `${this.origin}api/`;
  }

  callsTo(method: string): CallRecord[] {
    return this.calls.filter((c) => c.method === method);
  }

  get channels(): ReadonlyMap<string, Channel> {
    return this.state.channels;
  }

  channelByName(name: string): Channel | undefined {
    return this.state.channelByName(name.replace(/^#/, ''));
  }

  messagesIn(channel: string): Message[] {
    return [...this.requireChannel(channel).messages];
  }

  ephemeralsIn(channel: string): EphemeralMessage[] {
    const id = this.requireChannel(channel).id;
    return this.state.ephemerals.filter((e) => e.channel === id);
  }

  get users(): ReadonlyMap<string, User> {
    return this.state.users;
  }

  get usergroups(): ReadonlyMap<string, Usergroup> {
    return this.state.usergroups;
  }

  get files(): ReadonlyMap<string, StoredFile> {
    return this.state.files;
  }

  get views(): readonly OpenedView[] {
    return this.state.views;
  }

  createChannel(nameOrSeed: string | SeedChannel): Channel {
    const seed = typeof nameOrSeed === 'string' ? { name: nameOrSeed } : nameOrSeed;
    if (this.state.channelByName(seed.name)) throw new Error(`fake-slack: channel "${seed.name}" exists`);
    return this.state.createChannel(seed, this.bot.userId);
  }

  addUser(seed: SeedUser): User {
    return this.state.addUser(seed);
  }

  addUsergroup(seed: SeedUsergroup): Usergroup {
    return this.state.addUsergroup(seed);
  }

  postAsUser(channel: string, user: string, text: string, opts: { thread_ts?: string } = {}): Message {
    const target = this.requireChannel(channel);
    if (!this.state.getUser(user)) throw new Error(`fake-slack: unknown user "${user}"`);
    target.members.add(user);
    const message: Message = {
      type: 'message',
      ts: this.state.nextTs(),
      channel: target.id,
      user,
      text,
      team: this.bot.teamId,
      ...(opts.thread_ts ? { thread_ts: opts.thread_ts } : {}),
    };
    this.state.addMessage(target, message);
    return message;
  }

  issueTriggerId(): string {
    this.triggerCounter += 1;
    const trigger = `${this.state.nowSeconds()}.${this.triggerCounter}.${this.triggerCounter.toString(16).padStart(8, '0')}`;
    this.state.issuedTriggers.set(trigger, this.now());
    return trigger;
  }

  refuseToken(token: string, error = 'invalid_auth'): void {
    this.refusedTokens.set(token, error);
  }

  acceptToken(token: string): void {
    this.refusedTokens.delete(token);
  }

  setScopes(scopes: readonly string[] | undefined): void {
    this.scopes = scopes;
  }

  failNext(method: string, spec: FaultSpec = { status: 500 }): void {
    this.faults.add(method, spec);
  }

  setLatency(ms: number): void {
    this.latency = ms;
  }

  private get minuteMs(): number {
    return 60_000 / this.timeScale;
  }

  peakPerMinute(method: string): number {
    return peakInWindow(
      this.callsTo(method).map((c) => c.at),
      this.minuteMs,
    );
  }

  counts(): Record<string, number> {
    return countsByMethod(this.calls);
  }

  stats(): Record<string, MethodStats> {
    const out: Record<string, MethodStats> = {};
    for (const method of Object.keys(this.counts())) out[method] = methodStats(this.calls, method, this.minuteMs);
    return out;
  }

  reset(): void {
    this.state = this.seededState();
    this.calls.length = 0;
    this.faults.clear();
    this.limiter.reset();
    this.latency = this.options.latencyMs ?? 0;
    this.triggerCounter = 0;
  }

  async close(): Promise<void> {
    await this.server?.close();
    this.server = undefined;
  }
}

/** Starts the fake Slack Web API on 127.0.0.1 (random port). */
export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const fake = new FakeSlackImpl(options);
  await fake.listen();
  return fake;
}
