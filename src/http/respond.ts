import type { ServerResponse } from 'node:http';
import { BotError } from '../errors.js';

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** The contract's error body: {"error": {code, message, details: {reason, retryable}}}. */
export function sendError(res: ServerResponse, error: BotError): void {
  const headers: Record<string, string> = {};
  const retryAfter = error.extra.retryAfter;
  if (typeof retryAfter === 'number') headers['retry-after'] = String(retryAfter);
  sendJson(res, error.status, { error: { code: error.code, message: error.message, details: { reason: error.reason, retryable: error.retryable, ...error.extra } } }, headers);
}
