import { ConfigError } from '../config/config-error.js';
import { MigrationError } from '../db/migrate.js';

/** The parts of a Postgres or socket error that say what went wrong (pg and Node set these). */
interface SystemFailure {
  code?: unknown;
}

function failureOf(error: unknown): SystemFailure {
  if (!error || typeof error !== 'object') return {};
  // Node reports a refused connection to a name with several addresses as an AggregateError.
  if (error instanceof AggregateError && error.errors.length > 0) return failureOf(error.errors[0]);
  return error;
}

function databaseTarget(databaseUrl: string): { host: string; port: string; user: string; name: string } {
  try {
    const url = new URL(databaseUrl);
    return { host: url.hostname || 'localhost', port: url.port || '5432', user: decodeURIComponent(url.username) || 'postgres', name: decodeURIComponent(url.pathname.slice(1)) || 'postgres' };
  } catch {
    return { host: 'localhost', port: '5432', user: 'postgres', name: 'incident_bot' };
  }
}

/**
 * The one "cannot start: …" sentence for a start-up failure, saying what to do. Never includes
 * secrets (the database password is not part of it).
 */
export function describeStartFailure(error: unknown, env: { DATABASE_URL: string; PORT: number }): string {
  if (error instanceof ConfigError || error instanceof MigrationError) return error.message;
  const failure = failureOf(error);
  const code = typeof failure.code === 'string' ? failure.code : undefined;
  const db = databaseTarget(env.DATABASE_URL);
  switch (code) {
    case '3D000':
      return `database "${db.name}" does not exist on ${db.host}:${db.port}: create it (createdb -h ${db.host} -p ${db.port} -U ${db.user} ${db.name}) or point DATABASE_URL at an existing database`;
    case '28P01':
    case '28000':
      return `Postgres on ${db.host}:${db.port} refused the user "${db.user}" in DATABASE_URL (${code === '28P01' ? 'wrong password' : 'no access'}): fix the credentials in DATABASE_URL`;
    case 'EADDRINUSE':
      return `port ${env.PORT} is already in use: stop what listens there or set PORT to a free port`;
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH': {
      const reason = code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? 'the host name does not resolve' : code === 'ECONNREFUSED' ? 'connection refused' : 'no answer';
      // Postgres is the first connection start makes (migrations); Redis is not needed to start.
      return `cannot reach Postgres at ${db.host}:${db.port} (${reason}): is it running, and is DATABASE_URL right?`;
    }
    default:
      return `${error instanceof Error ? error.message : String(error)} (the log has the details)`;
  }
}
