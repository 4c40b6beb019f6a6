import pg from 'pg';
import type { Logger } from '../log.js';

/** Postgres: "database does not exist". */
const INVALID_CATALOG_NAME = '3D000';
const DUPLICATE_DATABASE = '42P04';

function errorCode(error: unknown): unknown {
  return error && typeof error === 'object' && 'code' in error ? error.code : undefined;
}

/**
 * Creates the database DATABASE_URL names when it does not exist yet (outside production, so that
 * `npm start` works on a fresh Postgres), connecting to the server's `postgres` database to do it.
 */
export async function ensureDatabase(databaseUrl: string, log: Logger): Promise<void> {
  const probe = new pg.Client({ connectionString: databaseUrl });
  try {
    await probe.connect();
    return;
  } catch (error) {
    if (errorCode(error) !== INVALID_CATALOG_NAME) return; // migrate() reports anything else clearly
  } finally {
    await probe.end().catch(() => undefined);
  }
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  url.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: url.toString() });
  try {
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
    log.info({ database: name }, 'created the database');
  } catch (error) {
    if (errorCode(error) !== DUPLICATE_DATABASE) throw error;
  } finally {
    await admin.end().catch(() => undefined);
  }
}
