import type { Logger } from '../log.js';

// Node's socket error codes for a Redis that cannot be reached.
const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);

function codeOf(error: unknown): string | undefined {
  if (error instanceof AggregateError) return codeOf(error.errors[0]);
  if (error && typeof error === 'object' && 'code' in error && typeof error.code === 'string') return error.code;
  return undefined;
}

/**
 * Logs a Redis outage once when it starts and once when it ends. Every connection (producer,
 * workers, their blocking connections) reports each failed reconnect, several times a second;
 * without this an outage of a few seconds fills the log with the same line.
 */
export class RedisOutage {
  private since: number | undefined;

  constructor(private readonly log: Logger) {}

  /** True while Redis is known to be unreachable. */
  get down(): boolean {
    return this.since !== undefined;
  }

  /** Reports a connection error; true when it was Redis being unreachable (logged once per outage). */
  failed(error: unknown): boolean {
    const code = codeOf(error);
    if (code === undefined || !UNREACHABLE.has(code)) return false;
    if (this.since === undefined) {
      this.since = Date.now();
      this.log.warn({ code }, 'Redis cannot be reached: webhooks are still accepted and stored; queued work waits until it is back (check REDIS_URL and that Redis runs)');
    }
    return true;
  }

  /** A connection is ready again. */
  back(): void {
    if (this.since === undefined) return;
    this.log.info({ outageMs: Date.now() - this.since }, 'Redis is back; queued work resumes');
    this.since = undefined;
  }
}
