/**
 * Request pipeline of the fake, independent of the HTTP transport:
 *
 *   latency → unknown_method → injected fault → body errors → auth → rate limit → method handler
 *
 * Every request is appended to the call log, including refused ones.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { MethodResult } from '../../../src/sandbox/slack-api/args.js';
import { decodeBody, decodeJsonArgs } from '../../../src/sandbox/slack-api/http-body.js';
import { receiveUpload, type MethodConfig, type MethodHandler, type MethodTable } from '../../../src/sandbox/slack-api/methods/index.js';
import type { SlackState } from '../../../src/sandbox/slack-api/state.js';
import type { ApiArgs, BotIdentity, JsonObject } from '../../../src/sandbox/slack-api/types.js';
import { uploadedBytes } from '../../../src/sandbox/slack-api/uploaded-bytes.js';
import type { CallRecord } from './call-record.js';
import type { FaultInjector, FaultOutcome } from './faults.js';
import type { RateLimiter } from './rate-limit.js';

/** Method name under which posts to upload URLs (step 2 of filesUploadV2) are logged and can be faulted. */
export const UPLOAD_METHOD = 'upload';

export interface HttpRequestInfo {
  httpMethod: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface HttpReply {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Close the connection instead of answering. */
  drop?: boolean;
}

export interface DispatcherDeps {
  state: () => SlackState;
  bot: BotIdentity;
  tokens: ReadonlySet<string>;
  /** Tokens Slack refuses for now, with the error it answers (`invalid_auth`, `token_revoked`, `account_inactive`). */
  refusedTokens: ReadonlyMap<string, string>;
  /** The bot token's scopes, sent in X-OAuth-Scopes as Slack does; undefined: the header is left out. */
  scopes: () => readonly string[] | undefined;
  config: MethodConfig;
  methods: MethodTable;
  limiter: RateLimiter;
  faults: FaultInjector;
  calls: CallRecord[];
  latencyMs: () => number;
  now: () => number;
}

function json(status: number, body: JsonObject, headers: Record<string, string> = {}): HttpReply {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body: JSON.stringify(body) };
}

function bearer(headers: IncomingHttpHeaders): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '');
  return m?.[1];
}

function faultReply(fault: Extract<FaultOutcome, { kind: 'respond' }>): HttpReply {
  const headers: Record<string, string> = fault.retryAfter !== undefined ? { 'retry-after': String(fault.retryAfter) } : {};
  return json(fault.status, { ok: false, error: fault.error, ...fault.extra }, headers);
}

export class Dispatcher {
  constructor(private readonly deps: DispatcherDeps) {}

  async handle(req: HttpRequestInfo): Promise<HttpReply> {
    const api = /^\/api\/([^/]+)$/.exec(req.path);
    if (api?.[1]) return this.handleApi(decodeURIComponent(api[1]), req);
    const upload = /^\/upload\/v1\/([^/]+)$/.exec(req.path);
    if (upload?.[1] && req.httpMethod === 'POST') return this.handleUpload(upload[1], req);
    return { status: 404, headers: { 'content-type': 'text/plain' }, body: 'Not Found' };
  }

  private record(method: string, args: ApiArgs, at: number, reply: HttpReply): HttpReply {
    let ok = reply.status === 200 && !reply.drop;
    let error: string | undefined;
    if (reply.headers['content-type']?.startsWith('application/json')) {
      const body = JSON.parse(reply.body) as { ok?: boolean; error?: string };
      ok = ok && body.ok === true;
      error = body.error;
    }
    this.deps.calls.push({ method, args, at, ok, status: reply.status, ...(error !== undefined ? { error } : {}) });
    return reply;
  }

  private async applyFault(method: string): Promise<HttpReply | undefined> {
    const fault = this.deps.faults.take(method);
    return fault ? this.faultedReply(fault) : undefined;
  }

  private async faultedReply(fault: FaultOutcome): Promise<HttpReply | undefined> {
    if (fault.delayMs > 0) await sleep(fault.delayMs);
    if (fault.kind === 'drop') return { status: 0, headers: {}, body: '', drop: true };
    return fault.kind === 'respond' ? faultReply(fault) : undefined;
  }

  private async handleApi(method: string, req: HttpRequestInfo): Promise<HttpReply> {
    const at = this.deps.now();
    const decoded = decodeBody(req.headers['content-type'], req.body, req.query);
    const args = decoded.ok ? decodeJsonArgs(decoded.args) : {};
    // Form bodies may carry the token; JSON bodies must use the Authorization header.
    const bodyToken = decoded.ok && !decoded.isJson && typeof args.token === 'string' ? args.token : undefined;
    delete args.token;
    const scopes = this.deps.scopes();
    const done = (reply: HttpReply): HttpReply => this.record(method, args, at, scopes ? { ...reply, headers: { ...reply.headers, 'x-oauth-scopes': scopes.join(',') } } : reply);

    const latency = this.deps.latencyMs();
    if (latency > 0) await sleep(latency);

    const handler = this.deps.methods[method];
    if (!handler) return done(json(200, { ok: false, error: 'unknown_method', req_method: method }));

    const fault = this.deps.faults.take(method, args);
    if (fault && !fault.afterActing) {
      const faulted = await this.faultedReply(fault);
      if (faulted) return done(faulted);
    }
    const reply = this.runMethod(method, handler, req, decoded, args, bodyToken);
    if (!fault?.afterActing) return done(reply);
    // Slack acted; the answer is lost (or late) on the way back.
    return done((await this.faultedReply(fault)) ?? reply);
  }

  private runMethod(method: string, handler: MethodHandler, req: HttpRequestInfo, decoded: ReturnType<typeof decodeBody>, args: ApiArgs, bodyToken: string | undefined): HttpReply {
    if (!decoded.ok) return json(200, { ok: false, error: decoded.error });

    const token = bearer(req.headers) ?? bodyToken;
    if (!token) return json(200, { ok: false, error: 'not_authed' });
    if (!this.deps.tokens.has(token)) return json(200, { ok: false, error: 'invalid_auth' });
    const refusal = this.deps.refusedTokens.get(token);
    if (refusal) return json(200, { ok: false, error: refusal });

    // Per-channel limits (chat.postMessage) count "#name" and the id as the same channel.
    const channelArg = typeof args.channel === 'string' ? args.channel : undefined;
    const channelKey = channelArg ? (this.deps.state().findChannel(channelArg)?.id ?? channelArg) : undefined;
    const decision = this.deps.limiter.check(method, token, channelKey);
    if (!decision.allowed) {
      return json(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(decision.retryAfterSeconds) });
    }

    let result: MethodResult;
    try {
      result = handler({ args, state: this.deps.state(), bot: this.deps.bot, config: this.deps.config });
    } catch (err) {
      // A bug in the fake: answer like Slack's own failures rather than hanging the client.
      const message = err instanceof Error ? err.message : String(err);
      return json(200, { ok: false, error: 'fatal_error', response_metadata: { messages: [`[ERROR] ${message}`] } });
    }
    return result.ok ? json(200, { ok: true, ...result.body }) : json(200, { ok: false, error: result.error, ...result.extra });
  }

  private async handleUpload(token: string, req: HttpRequestInfo): Promise<HttpReply> {
    const at = this.deps.now();
    const bytes = uploadedBytes(req.headers['content-type'], req.body);
    const args: ApiArgs = { upload_token: token, bytes: bytes.length };
    const done = (reply: HttpReply): HttpReply => this.record(UPLOAD_METHOD, args, at, reply);

    const latency = this.deps.latencyMs();
    if (latency > 0) await sleep(latency);
    const faulted = await this.applyFault(UPLOAD_METHOD);
    if (faulted) return done(faulted);

    const reply = receiveUpload(this.deps.state(), token, bytes);
    if (reply.fileId) args.file_id = reply.fileId;
    return done({ status: reply.status, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: reply.body });
  }
}
