import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors.js';
import { readBody } from '../http/read-body.js';
import { sendJson } from '../http/respond.js';
import type { Handler, RequestContext, Router } from '../http/router.js';
import { projectRoot } from '../project-root.js';
import { sampleLabels, sampleNotification } from './sample-alert.js';
import { addReaction, closeView, pressButton, runCommand, submitView } from './sandbox-interactions.js';
import { sandboxView } from './sandbox-view.js';
import type { Sandbox } from './sandbox.js';
import { sandboxStream } from './sandbox-stream.js';

const PAGE_DIR = path.join(projectRoot(), 'src', 'sandbox', 'page');
const ASSETS: Record<string, string> = { 'index.html': 'text/html; charset=utf-8', 'sandbox.js': 'text/javascript; charset=utf-8', 'mrkdwn.js': 'text/javascript; charset=utf-8', 'sandbox.css': 'text/css; charset=utf-8' };
const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

const user = z.string().regex(/^[UW][A-Z0-9]{2,}$/);
const channel = z.string().regex(/^[CDG][A-Z0-9]+$/);
const ts = z.string().regex(/^\d+\.\d+$/);
const bodies = {
  command: z.object({ user, channel, text: z.string().max(4000) }),
  button: z.object({ user, channel, ts, block_id: z.string().min(1), action_id: z.string().min(1) }),
  view: z.object({ user, view_id: z.string().min(1), values: z.record(z.string(), z.record(z.string(), z.record(z.string(), z.unknown()))) }),
  closeView: z.object({ user, view_id: z.string().min(1) }),
  reaction: z.object({ user, channel, ts, name: z.string().regex(/^[a-z0-9_+-]{1,50}$/) }),
  alert: z.object({ runbook: z.string().optional(), labels: z.record(z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/), z.string()).optional() }),
};

async function jsonBody<S extends z.ZodType>(ctx: RequestContext, schema: S): Promise<z.output<S>> {
  let raw: unknown;
  try {
    raw = JSON.parse((await readBody(ctx.req, 256 * 1024)).toString('utf8'));
  } catch {
    throw new ValidationError('the body must be JSON', 'invalid_json');
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new ValidationError(`invalid request: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, 'invalid_body');
  return parsed.data;
}

/**
 * The sandbox's routes: the page, its live stream and actions, the Web API over HTTP, files. It can
 * press real mitigations, so it answers loopback requests only unless the operator opted in.
 */
export function mountSandbox(router: Router, deps: Deps, sandbox: Sandbox): void {
  const guard =
    (handler: Handler): Handler =>
    (ctx) => {
      if (!deps.env.SANDBOX_ALLOW_REMOTE && !LOOPBACK.has(ctx.req.socket.remoteAddress ?? '')) {
        throw new ForbiddenError('the Slack sandbox answers requests from this machine only; set SANDBOX_ALLOW_REMOTE=true to open it to others', 'sandbox_loopback_only');
      }
      return handler(ctx);
    };
  const asset = (name: string): Handler => async ({ res }) => {
    const text = await readFile(path.join(PAGE_DIR, name));
    res.writeHead(200, { 'content-type': ASSETS[name] ?? 'application/octet-stream', 'content-length': text.length, 'cache-control': 'no-cache' });
    res.end(text);
  };
  const done = (ctx: RequestContext, body: unknown = { ok: true }) => sendJson(ctx.res, 200, body, { 'cache-control': 'no-store' });

  router
    .on('GET', '/sandbox', guard(asset('index.html')))
    .on('GET', '/sandbox/sandbox.js', guard(asset('sandbox.js')))
    .on('GET', '/sandbox/mrkdwn.js', guard(asset('mrkdwn.js')))
    .on('GET', '/sandbox/sandbox.css', guard(asset('sandbox.css')))
    .on('GET', '/sandbox/stream', guard((ctx) => sandboxStream(sandbox, ctx)))
    .on('GET', '/sandbox/state', guard((ctx) => {
      const who = user.safeParse(ctx.url.searchParams.get('user') ?? sandbox.users[0]?.id);
      if (!who.success) throw new ValidationError('user must be a sandbox user id (U…)', 'invalid_user');
      done(ctx, sandboxView(sandbox, deps.runbooks, who.data, ctx.url.searchParams.get('channel') || undefined));
    }))
    .on('POST', '/sandbox/command', guard(async (ctx) => {
      const body = await jsonBody(ctx, bodies.command);
      const reply = await runCommand(sandbox, body.user, body.channel, body.text);
      done(ctx, { ok: reply.status === 200, status: reply.status });
    }))
    .on('POST', '/sandbox/button', guard(async (ctx) => {
      const body = await jsonBody(ctx, bodies.button);
      const reply = await pressButton(sandbox, body.user, body.channel, body.ts, body.block_id, body.action_id);
      done(ctx, { ok: reply.status === 200, status: reply.status });
    }))
    .on('POST', '/sandbox/view', guard(async (ctx) => {
      const body = await jsonBody(ctx, bodies.view);
      done(ctx, await submitView(sandbox, body.user, body.view_id, body.values));
    }))
    .on('POST', '/sandbox/view/close', guard(async (ctx) => {
      const body = await jsonBody(ctx, bodies.closeView);
      closeView(sandbox, body.user, body.view_id);
      await sandbox.changed();
      done(ctx);
    }))
    .on('POST', '/sandbox/reaction', guard(async (ctx) => {
      const body = await jsonBody(ctx, bodies.reaction);
      const reply = await addReaction(sandbox, body.user, body.channel, body.ts, body.name);
      done(ctx, { ok: reply.status === 200, status: reply.status });
    }))
    .on('POST', '/sandbox/alert', guard(async (ctx) => {
      const body = await jsonBody(ctx, bodies.alert);
      const runbook = body.runbook ? deps.runbooks.find((r) => r.id === body.runbook) : undefined;
      if (body.runbook && !runbook) throw new NotFoundError(`no runbook ${body.runbook}`, 'runbook_not_found');
      const labels = { ...(runbook ? sampleLabels(runbook) : {}), ...body.labels };
      if (!labels.alertname) throw new ValidationError('pick a runbook or give an alertname label', 'missing_alertname');
      const notification = sampleNotification(labels, runbook?.title ?? labels.alertname, deps.clock.now());
      const token = deps.env.ALERTMANAGER_TOKEN;
      const response = await fetch(`${sandbox.botUrl}/webhooks/alertmanager`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(notification) });
      done(ctx, { ok: response.ok, status: response.status, labels });
    }))
    .on('GET', '/sandbox/files/:id', guard(({ res, params }) => {
      const file = sandbox.state.files.get(params.id ?? '');
      if (!file?.data) throw new NotFoundError(`no file ${params.id}`, 'file_not_found');
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'content-disposition': `inline; filename="${file.name.replace(/[^\w.-]/g, '_')}"`, 'content-length': file.data.length });
      res.end(file.data);
    }))
    .on('POST', '/sandbox/api/:method', guard(async ({ req, res, params, url }) => {
      const body = await readBody(req, 1024 * 1024);
      const reply = await sandbox.fetch(`http://sandbox.localhost/api/${params.method}${url.search}`, { method: 'POST', headers: { 'content-type': req.headers['content-type'] ?? '', authorization: req.headers.authorization ?? '' }, body });
      const scopes = reply.headers.get('x-oauth-scopes');
      res.writeHead(reply.status, { 'content-type': reply.headers.get('content-type') ?? 'application/json', ...(scopes !== null ? { 'x-oauth-scopes': scopes } : {}) });
      // Over HTTP, upload URLs point at this mount rather than at the in-process address.
      res.end((await reply.text()).replaceAll('http://sandbox.localhost/upload/', `${sandbox.botUrl}/sandbox/upload/`));
    }))
    .on('POST', '/sandbox/upload/v1/:token', guard(async ({ req, res, params }) => {
      const body = await readBody(req, 10 * 1024 * 1024);
      const reply = await sandbox.fetch(`http://sandbox.localhost/upload/v1/${encodeURIComponent(params.token ?? '')}`, { method: 'POST', headers: { 'content-type': req.headers['content-type'] ?? '' }, body });
      res.writeHead(reply.status, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(await reply.text());
    }));
}
