import { EventEmitter } from 'node:events';
import type { Clock } from '../clock.js';
import type { BotConfig } from '../config/config-file.js';
import type { Db } from '../db/client.js';
import type { Logger } from '../log.js';
import { configUsergroups } from './config-usergroups.js';
import { SANDBOX_SCOPES } from './sandbox-scopes.js';
import { SandboxStore } from './sandbox-store.js';
import { sandboxUsers, type SandboxUser } from './sandbox-users.js';
import { SlackState } from './slack-api/state.js';
import type { BotIdentity } from './slack-api/types.js';
import { isReadOnly, SandboxWebApi } from './slack-api/web-api.js';

export const SANDBOX_BOT: BotIdentity = {
  userId: 'U0SBXBOT001',
  botId: 'B0SBXBOT001',
  appId: 'A0SBXAPP001',
  userName: 'incident-bot',
  teamId: 'T0SANDBOX01',
  teamName: 'Sandbox',
  teamUrl: 'http://sandbox.localhost/',
};

const BASE = 'http://sandbox.localhost';

/** An answer the bot gave through a response_url or chat.postEphemeral: shown to one person only. */
export interface Ephemeral {
  channel: string;
  user: string;
  ts: string;
  text: string;
  blocks?: unknown[];
}

/**
 * The local stand-in for Slack: a workspace kept in Postgres, a Web API answering the bot's calls
 * in-process (its `fetch`), and change notices for the page. The bot only sees a Slack client.
 */
export class Sandbox {
  readonly state: SlackState;
  readonly users: SandboxUser[];
  readonly changes = new EventEmitter();
  /** Trigger id → who pressed, so a modal opens for the person whose click produced it. */
  readonly triggerOwners = new Map<string, string>();
  readonly ephemerals: Ephemeral[] = [];
  /** Set once the HTTP listener is up: where the page's requests are sent, signed. */
  botUrl = '';
  private readonly api: SandboxWebApi;
  private readonly store: SandboxStore;

  constructor(
    private readonly options: { db: Db; log: Logger; config: BotConfig; clock: Clock; token: string; signingSecret: string; alertmanagerToken: string | undefined },
  ) {
    this.state = new SlackState(SANDBOX_BOT, /^[UW][A-Z0-9]{2,}$/, () => options.clock.now().getTime());
    this.users = sandboxUsers(options.config);
    for (const user of this.users) this.state.addUser({ id: user.id, name: user.realName.toLowerCase().replace(/\W+/g, '.'), realName: user.realName });
    this.api = new SandboxWebApi(this.state, SANDBOX_BOT, options.token, { chatWritePublic: true, actionIdScope: 'block', oversizeText: 'truncate', uploadBaseUrl: `${BASE}/` }, SANDBOX_SCOPES);
    this.store = new SandboxStore(options.db);
    this.changes.setMaxListeners(200);
  }

  get signingSecret(): string {
    return this.options.signingSecret;
  }

  get alertmanagerToken(): string | undefined {
    return this.options.alertmanagerToken;
  }

  /**
   * Loads the saved workspace; a new one starts with #general, where `/incident declare` can be run.
   * The user groups the config names exist (empty until the bot sets their members), as in Slack.
   */
  async start(): Promise<void> {
    await this.store.load(this.state);
    let created = false;
    if (!this.state.channelByName('general')) {
      this.state.createChannel({ name: 'general', isGeneral: true, members: this.users.map((u) => u.id), purpose: 'Everyone in the sandbox workspace' }, SANDBOX_BOT.userId);
      created = true;
    }
    for (const id of configUsergroups(this.options.config)) {
      if (this.state.usergroups.has(id)) continue;
      this.state.addUsergroup({ id, users: [] });
      created = true;
    }
    if (created) await this.changed();
  }

  /** Saves what changed and tells the page. */
  async changed(): Promise<void> {
    await this.store.save(this.state);
    this.changes.emit('change');
  }

  /**
   * Tells the page without saving: ephemeral answers live in memory only, so they need not queue
   * behind the saves of the channel writes before them (under load, seconds of commits).
   */
  notify(): void {
    this.changes.emit('change');
  }

  /** The Slack client's fetch: Web API calls, upload URLs and response URLs, answered here. */
  readonly fetch: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const body = Buffer.from(await request.arrayBuffer());
    if (url.pathname.startsWith('/response/')) return this.respond(url.pathname, body);
    const reply = this.api.handle({
      httpMethod: request.method,
      path: url.pathname,
      query: url.searchParams,
      contentType: request.headers.get('content-type') ?? undefined,
      authorization: request.headers.get('authorization') ?? undefined,
      body,
    });
    if (reply.method === 'chat.postEphemeral' && reply.ok) this.collectEphemerals();
    if (reply.ok && !isReadOnly(reply.method)) await this.changed();
    else if (!reply.ok) this.options.log.warn({ method: reply.method, status: reply.status, reply: reply.body.slice(0, 500) }, 'sandbox Slack refused a call');
    return new Response(reply.body, { status: reply.status, headers: reply.headers });
  };

  /** A response URL for one person in one conversation (what the bot's respond() posts to). */
  responseUrl(channelId: string, userId: string): string {
    return `${BASE}/response/${channelId}/${userId}`;
  }

  userName(id: string): string {
    return this.state.users.get(id)?.realName ?? id;
  }

  private collectEphemerals(): void {
    for (const e of this.state.ephemerals.splice(0)) this.ephemerals.push({ channel: e.channel, user: e.user, ts: e.message_ts, text: e.text, ...(e.blocks ? { blocks: e.blocks } : {}) });
  }

  private async respond(pathname: string, body: Buffer): Promise<Response> {
    const [, , channel = '', user = ''] = pathname.split('/');
    let message: { text?: unknown; blocks?: unknown; response_type?: unknown };
    try {
      message = JSON.parse(body.toString('utf8')) as typeof message;
    } catch {
      return new Response('invalid_payload', { status: 400 });
    }
    const text = typeof message.text === 'string' ? message.text : '';
    const blocks = Array.isArray(message.blocks) ? (message.blocks as unknown[]) : undefined;
    const target = this.state.findChannel(channel);
    if (message.response_type === 'in_channel' && target) {
      this.state.addMessage(target, { type: 'message', ts: this.state.nextTs(), channel: target.id, user: SANDBOX_BOT.userId, bot_id: SANDBOX_BOT.botId, text, team: SANDBOX_BOT.teamId });
      await this.changed();
    } else {
      this.ephemerals.push({ channel, user, ts: this.state.nextTs(), text, ...(blocks ? { blocks } : {}) });
      this.notify();
    }
    return new Response('ok', { status: 200 });
  }

  /** Ends the page's live streams so the HTTP server can close. */
  stop(): void {
    this.changes.emit('stop');
  }
}
