import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { BotError, InternalError, MethodNotAllowedError, NotFoundError, UnavailableError } from '../errors.js';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics.js';
import { isDatabaseUnavailable } from '../db/is-database-unavailable.js';
import { sendError } from './respond.js';
import type { Router } from './router.js';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** The HTTP server: request ids, logging, timing, and one place where errors become JSON. */
export function createHttpServer(router: Router, log: Logger, metrics: Metrics): Server {
  const server = createServer((req, res) => void handle(router, log, metrics, req, res));
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 30_000;
  return server;
}

async function handle(router: Router, log: Logger, metrics: Metrics, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const started = process.hrtime.bigint();
  const given = req.headers['x-request-id'];
  const requestId = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
  res.setHeader('x-request-id', requestId);
  const url = parseTarget(req.url);
  const requestLog = log.child({ requestId, method: req.method, path: url.pathname });
  let routeName = 'unmatched';
  // Everything that can throw stays inside this try: an error escaping it would be an unhandled
  // rejection, which ends the process.
  try {
    const found = router.find(req.method ?? 'GET', url.pathname);
    if (found === 'not_found') throw new NotFoundError(`no route for ${req.method} ${url.pathname}`, 'no_route');
    if (found === 'method_not_allowed') throw new MethodNotAllowedError(`${req.method} is not allowed on ${url.pathname}`, 'method_not_allowed');
    routeName = found.route.name;
    await found.route.handler({ req, res, url, params: found.params, requestId, log: requestLog });
  } catch (error) {
    const botError = toBotError(error);
    if (botError.status >= 500) requestLog.error({ err: error }, 'request failed');
    else requestLog.info({ code: botError.code, reason: botError.reason }, 'request refused');
    if (!res.headersSent) sendError(res, botError);
    else res.end();
    if (botError.status === 413) drainThenClose(req);
  } finally {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    metrics.httpDuration.observe({ route: routeName, status: String(res.statusCode) }, seconds);
  }
}

/** How long the rest of an oversized body is read and dropped before the connection is closed. */
const DRAIN_MS = 10_000;

/**
 * After a 413 the rest of the body is read and dropped (Node does so once the response is sent),
 * so the client reads the 413 instead of a reset; a client that keeps sending is cut off.
 */
function drainThenClose(req: IncomingMessage): void {
  if (req.complete) return;
  req.resume();
  const timer = setTimeout(() => req.socket.destroy(), DRAIN_MS);
  timer.unref();
  req.once('end', () => clearTimeout(timer));
  req.once('close', () => clearTimeout(timer));
}

/** The request target as a URL; one that cannot be parsed is treated as an unknown path. */
function parseTarget(target: string | undefined): URL {
  try {
    return new URL(target ?? '/', 'http://localhost');
  } catch {
    return new URL('http://localhost/invalid-request-target');
  }
}

function toBotError(error: unknown): BotError {
  if (error instanceof BotError) return error;
  if (isDatabaseUnavailable(error)) return new UnavailableError('the database is unavailable; retry later', 'database_unavailable');
  return new InternalError('internal error', 'unexpected');
}
