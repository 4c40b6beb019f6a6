/**
 * The sandbox's Slack Web API: the bot's calls (`/api/<method>`, the upload URLs of files.uploadV2)
 * answered in-process with Slack's shapes, argument checks, error codes and Block Kit limits.
 * The tests' fake Slack (test/support/fake-slack) answers with these same methods, state and Block
 * Kit checks, adding fault injection, rate limits and a call log around them.
 */
import { decodeBody, decodeJsonArgs } from './http-body.js';
import { METHODS, receiveUpload, type MethodConfig } from './methods/index.js';
import type { SlackState } from './state.js';
import type { BotIdentity } from './types.js';
import { uploadedBytes } from './uploaded-bytes.js';

export interface ApiRequest {
  httpMethod: string;
  /** `/api/chat.postMessage`, `/upload/v1/<token>`. */
  path: string;
  query: URLSearchParams;
  contentType: string | undefined;
  authorization: string | undefined;
  body: Buffer;
}

export interface ApiReply {
  status: number;
  /** content-type, and Slack's X-OAuth-Scopes (the token's scopes) on calls made with the sandbox's token. */
  headers: Record<string, string>;
  body: string;
  /** The method called (`upload` for upload URLs), for logs and change notices. */
  method: string;
  ok: boolean;
}

/** Methods that only read: they change nothing worth saving or showing. */
const READ_ONLY = /^(auth\.test|users\.|conversations\.(info|history|replies|list|members)|usergroups\.list|pins\.list|reactions\.get)/;

export function isReadOnly(method: string): boolean {
  return READ_ONLY.test(method);
}

export class SandboxWebApi {
  constructor(
    private readonly state: SlackState,
    private readonly bot: BotIdentity,
    private readonly token: string,
    private readonly config: MethodConfig,
    private readonly scopes: readonly string[],
  ) {}

  handle(req: ApiRequest): ApiReply {
    const api = /^\/api\/([^/]+)$/.exec(req.path);
    if (api?.[1]) return this.handleApi(decodeURIComponent(api[1]), req);
    const upload = /^\/upload\/v1\/([^/]+)$/.exec(req.path);
    if (upload?.[1] && req.httpMethod === 'POST') {
      const reply = receiveUpload(this.state, upload[1], uploadedBytes(req.contentType, req.body));
      return { status: reply.status, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: reply.body, method: 'upload', ok: reply.status === 200 };
    }
    return { status: 404, headers: { 'content-type': 'text/plain' }, body: 'Not Found', method: 'unknown', ok: false };
  }

  private handleApi(method: string, req: ApiRequest): ApiReply {
    const decoded = decodeBody(req.contentType, req.body, req.query);
    const args = decoded.ok ? decodeJsonArgs(decoded.args) : {};
    // Form bodies may carry the token; JSON bodies must use the Authorization header.
    const bodyToken = decoded.ok && !decoded.isJson && typeof args.token === 'string' ? args.token : undefined;
    delete args.token;
    const token = /^Bearer\s+(\S+)\s*$/i.exec(req.authorization ?? '')?.[1] ?? bodyToken;
    // Slack lists the token's scopes in every answer to a call made with it (X-OAuth-Scopes).
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', ...(token === this.token ? { 'x-oauth-scopes': this.scopes.join(',') } : {}) };
    const json = (body: Record<string, unknown>): ApiReply => ({ status: 200, headers, body: JSON.stringify(body), method, ok: body.ok === true });
    const handler = METHODS[method];
    if (!handler) return json({ ok: false, error: 'unknown_method', req_method: method });
    if (!decoded.ok) return json({ ok: false, error: decoded.error });
    if (!token) return json({ ok: false, error: 'not_authed' });
    if (token !== this.token) return json({ ok: false, error: 'invalid_auth' });
    try {
      const result = handler({ args, state: this.state, bot: this.bot, config: this.config });
      return result.ok ? json({ ok: true, ...result.body }) : json({ ok: false, error: result.error, ...result.extra });
    } catch (error) {
      // A gap in the sandbox: answer like Slack's own failures rather than hanging the client.
      return json({ ok: false, error: 'fatal_error', response_metadata: { messages: [`[ERROR] ${error instanceof Error ? error.message : String(error)}`] } });
    }
  }
}
