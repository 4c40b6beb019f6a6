import { STATUS_CODES } from 'node:http';
import { Agent, request } from 'undici';
import type { Target } from '../../config/config-file.js';
import type { RunbookAction } from '../../runbooks/runbook-schema.js';
import { ActionInputError, type ActionContext, type ActionResult } from '../action-result.js';
import { fillTemplate } from '../templates/fill-template.js';
import { targetUrl } from '../templates/target-url.js';
import { jsonEquals, parseJsonPath, readJsonPath } from './json-path.js';
import { readCapped } from './read-capped.js';
import { targetHeaders } from './target-headers.js';
import { unreachable } from './unreachable.js';

type HttpAction = Extract<RunbookAction, { type: 'http' }>;
type HttpTarget = Extract<Target, { type: 'http' }>;

/** Bodies are read up to this size for the checks … */
const READ_LIMIT = 1024 * 1024;
/** … and kept up to this size in the output. */
const STORED_BODY = 64 * 1024;
const SHOWN_HEADERS = ['content-type', 'content-length', 'location', 'retry-after', 'cache-control', 'x-request-id', 'server', 'date'];
/** Headers a runbook may not set: they belong to the connection, not the request. */
const CONNECTION_HEADERS = new Set(['host', 'content-length', 'transfer-encoding', 'connection', 'upgrade', 'keep-alive', 'te', 'trailer']);

/**
 * One HTTP request to the target. Headers: the runbook's, then the target's over them (same
 * name, any case), so a runbook can add headers but never replace the operator's credentials.
 * Without `expect.status`, a 2xx status is required unless the action checks the body
 * (`body_contains` / `json`): then the body decides, so "/health reports the database up"
 * holds even when /health answers 503 because something else is down.
 */
export async function runHttp(action: HttpAction, target: HttpTarget, ctx: ActionContext): Promise<ActionResult> {
  const jsonPath = action.expect?.json?.path;
  if (jsonPath !== undefined && !parseJsonPath(jsonPath)) throw new ActionInputError(`expect.json.path ${JSON.stringify(jsonPath)}: use $.a.b, $.a[0] or $['a-b']`);
  const path = fillTemplate(action.request.path, ctx.labels, encodeURIComponent);
  const query = Object.fromEntries(Object.entries(action.request.query ?? {}).map(([name, value]) => [name, fillTemplate(value, ctx.labels)]));
  const url = targetUrl(target.url, path, query);
  const headers = requestHeaders(action, target);
  const body = action.request.body === undefined ? undefined : JSON.stringify(action.request.body);
  if (body !== undefined) headers['content-type'] ??= 'application/json';
  const method = action.request.method;

  const dispatcher = new Agent({
    connect: { rejectUnauthorized: !target.tls_insecure, timeout: ctx.timeoutMs },
    headersTimeout: ctx.timeoutMs,
    bodyTimeout: ctx.timeoutMs,
  });
  const started = performance.now();
  try {
    const response = await request(url, { method, headers, body, signal: ctx.signal, dispatcher }).catch((error: unknown) => {
      throw unreachable(error, `${url.origin}`, ctx.signal);
    });
    const read = await readCapped(response.body, READ_LIMIT).catch((error: unknown) => {
      throw unreachable(error, `${url.origin} (reading the body)`, ctx.signal);
    });
    const latencyMs = Math.round(performance.now() - started);
    const status = response.statusCode;
    const text = read.bytes.toString('utf8');
    const checks = checkResponse(action.expect, status, text, read.complete);
    const statusLine = `${status} ${STATUS_CODES[status] ?? ''}`.trim();

    const shownHeaders = SHOWN_HEADERS.flatMap((name) => {
      const value = response.headers[name];
      return value === undefined ? [] : [`${name}: ${[value].flat().join(', ')}`];
    });
    const size = read.complete ? `${read.received} bytes` : `more than ${READ_LIMIT} bytes`;
    const storedBody = text.length > STORED_BODY ? `${text.slice(0, STORED_BODY)}\n[body truncated: ${STORED_BODY} characters shown of ${size}]` : text;
    return {
      ok: checks.failures.length === 0,
      summary: [`${statusLine} in ${latencyMs} ms`, ...checks.notes, ...checks.failures].join(', '),
      figures: { status, latencyMs, bytes: read.received, ...(read.complete ? {} : { truncated: true }) },
      output: [`${method} ${url.toString()}`, `HTTP ${statusLine}, ${latencyMs} ms, ${size}`, ...shownHeaders, '', storedBody].join('\n'),
    };
  } finally {
    await dispatcher.destroy().catch(() => undefined);
  }
}

function requestHeaders(action: HttpAction, target: HttpTarget): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(action.request.headers ?? {})) {
    const lower = name.toLowerCase();
    if (CONNECTION_HEADERS.has(lower)) throw new ActionInputError(`request.headers: ${name} cannot be set by a runbook`);
    headers[lower] = value;
  }
  return { ...headers, ...targetHeaders(target) };
}

function checkResponse(expect: HttpAction['expect'], status: number, text: string, complete: boolean): { failures: string[]; notes: string[] } {
  const failures: string[] = [];
  const notes: string[] = [];
  const statuses = expect?.status === undefined ? undefined : [expect.status].flat();
  const checksBody = expect?.body_contains !== undefined || expect?.json !== undefined;
  if (statuses ? !statuses.includes(status) : !checksBody && (status < 200 || status > 299)) {
    failures.push(`expected status ${statuses ? statuses.join(' or ') : '2xx'}`);
  }
  const within = complete ? '' : ` (in the first ${READ_LIMIT} bytes)`;
  if (expect?.body_contains !== undefined && !text.includes(expect.body_contains)) {
    failures.push(`body does not contain ${JSON.stringify(expect.body_contains)}${within}`);
  }
  if (expect?.json) {
    const { path, equals } = expect.json;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      failures.push(`body is not JSON${within}, expected ${path} = ${JSON.stringify(equals)}`);
      return { failures, notes };
    }
    const found = readJsonPath(parsed, path);
    if (!found.found) failures.push(`${path} is missing, expected ${JSON.stringify(equals)}`);
    else if (!jsonEquals(found.value, equals)) failures.push(`${path} is ${JSON.stringify(found.value)}, expected ${JSON.stringify(equals)}`);
    else notes.push(`${path} is ${JSON.stringify(found.value)}`);
  }
  return { failures, notes };
}
