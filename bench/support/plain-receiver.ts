import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { ADMIN_PG_URL } from './bot-harness.js';

export interface PlainReceiver {
  url: string;
  stored(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * The floor to compare intake with: node:http, one `pg` INSERT of the body per request, no
 * validation, no queue. Same Postgres server as the bot, a database of its own.
 */
export async function startPlainReceiver(poolSize = 16): Promise<PlainReceiver> {
  const database = `plain_receiver_bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_PG_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${database}"`);
  await admin.end();
  const url = new URL(ADMIN_PG_URL);
  url.pathname = `/${database}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: poolSize });
  // A client still finishing an insert when the database is dropped is told so; nothing to do.
  pool.on('error', () => undefined);
  await pool.query('CREATE TABLE deliveries (id bigserial PRIMARY KEY, body jsonb NOT NULL, received_at timestamptz NOT NULL DEFAULT now())');
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      pool.query('INSERT INTO deliveries (body) VALUES ($1)', [Buffer.concat(chunks).toString('utf8')]).then(
        () => response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"accepted"}'),
        (error: unknown) => response.writeHead(500).end(String(error)),
      );
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async stored() {
      return Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM deliveries')).rows[0]?.n ?? 0);
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pool.end();
      const drop = new pg.Client({ connectionString: ADMIN_PG_URL });
      await drop.connect();
      await drop.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      await drop.end();
    },
  };
}
