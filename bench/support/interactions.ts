import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { Pool } from 'undici';
import { blockActionsPayload, triggerId, type ButtonElement } from '../../test/support/slack-interactions.js';
import { signedHeaders } from '../../test/support/slack-signing.js';
import { ADMIN_PG_URL } from './bot-harness.js';

/**
 * A local HTTP service for the benches: answers every GET 200 at once (the diagnostic's target)
 * and records POSTs under /response/ (it stands in for Slack's response_url, where the bot sends
 * ephemeral answers such as "already running").
 */
export interface LocalTarget {
  url: string;
  /** Requests answered, by method and path. */
  hits: Map<string, number>;
  /** Bodies posted to /response/… (ephemeral answers the bot sent for a press). */
  responses: { path: string; body: string }[];
  close(): Promise<void>;
}

export async function startLocalTarget(): Promise<LocalTarget> {
  const hits = new Map<string, number>();
  const responses: { path: string; body: string }[] = [];
  const server: Server = createServer((req, res) => {
    const key = `${req.method} ${req.url}`;
    hits.set(key, (hits.get(key) ?? 0) + 1);
    if (req.method === 'POST' && req.url?.startsWith('/response/')) {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        responses.push({ path: req.url ?? '', body });
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      });
      return;
    }
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits,
    responses,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A temporary runbooks directory holding the given runbooks (file name → Markdown). */
export async function runbooksDir(files: Record<string, string>): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'bench-runbooks-'));
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

export interface PressTarget {
  channelId: string;
  messageTs: string;
  button: ButtonElement & { block_id: string };
}

export interface PressAnswer {
  status: number;
  body: string;
  /** From just before the request to the whole answer read. */
  ackMs: number;
  /** performance.now() just before the request. */
  sentAt: number;
  /** Date.now() just before the request (to compare with timestamps stored in Postgres). */
  sentAtEpoch: number;
  /** The press's trigger_id: the action run's press_key. */
  triggerId: string;
}

/**
 * Presses runbook buttons as Slack would: a signed, form-encoded `block_actions` payload with a
 * trigger_id of its own, POSTed to /slack/events over a keep-alive undici Pool (one connection per
 * press in flight, no pipelining).
 */
export function createPresser(botUrl: string, signingSecret: string, options: { connections: number; userId: string; responseUrl: string }) {
  const pool = new Pool(botUrl, { connections: options.connections, pipelining: 1, keepAliveTimeout: 60_000 });
  return {
    async press(target: PressTarget): Promise<PressAnswer> {
      const trigger = triggerId();
      const payload = blockActionsPayload({ userId: options.userId, channelId: target.channelId, messageTs: target.messageTs, button: target.button, responseUrl: options.responseUrl, triggerId: trigger });
      // Serialised and signed before the clock starts: Slack's side of the work, not the bot's.
      const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
      const headers = signedHeaders(signingSecret, body);
      const sentAtEpoch = Date.now();
      const sentAt = performance.now();
      const response = await pool.request({ path: '/slack/events', method: 'POST', headers, body });
      const text = await response.body.text();
      return { status: response.statusCode, body: text, ackMs: performance.now() - sentAt, sentAt, sentAtEpoch, triggerId: trigger };
    },
    close: () => pool.close(),
  };
}

/** URL of one of the bench databases (same server and credentials as the admin URL). */
export function benchDatabaseUrl(database: string): string {
  const url = new URL(ADMIN_PG_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

/** A plain node-postgres client on a bench database: read-only probing that does not use the bot's pool. */
export async function probeDatabase(database: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: benchDatabaseUrl(database) });
  await client.connect();
  return client;
}

/** Polls `check` every `everyMs` until it returns a value other than undefined, or throws after `timeoutMs`. */
export async function pollUntil<T>(what: string, check: () => Promise<T | undefined>, options: { timeoutMs: number; everyMs?: number }): Promise<T> {
  const deadline = performance.now() + options.timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (performance.now() > deadline) throw new Error(`timed out after ${options.timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, options.everyMs ?? 50));
  }
}

let pgStatements = 0;
let pgPatched = false;

/**
 * Counts the statements every node-postgres client of this process sends (the bot's Prisma
 * adapter pool included: it uses the same `pg` module) from now until the returned function is
 * called. Instrumentation of the bench process only: BEGIN and COMMIT count as statements.
 */
export function countPgStatements(): () => number {
  if (!pgPatched) {
    pgPatched = true;
    const original = pg.Client.prototype.query as unknown as (...args: unknown[]) => unknown;
    (pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown }).query = function (this: pg.Client, ...args: unknown[]) {
      pgStatements++;
      return original.apply(this, args);
    };
  }
  const start = pgStatements;
  return () => pgStatements - start;
}
