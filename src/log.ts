import { pino, type Logger } from 'pino';

export type { Logger };

// Secrets that may appear in logged objects: tokens, signatures, credentials in URLs.
const REDACT = [
  'authorization',
  '*.authorization',
  '*.headers.authorization',
  '*.headers["x-slack-signature"]',
  '*.headers["sentry-hook-signature"]',
  'token',
  '*.token',
  'password',
  '*.password',
  'secret',
  '*.secret',
  '*.url',
  'url',
];

/** The process logger; children carry requestId / incidentId / jobId. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'incident-bot' },
      redact: { paths: REDACT, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      hooks: {
        // pino writes a key bound on the logger and passed again to the call twice in one line,
        // which strict JSON pipelines reject: the call's copy of a bound id is dropped.
        logMethod(args, method) {
          const [first, ...rest] = args;
          if (first && typeof first === 'object' && !(first instanceof Error)) {
            const bound = this.bindings();
            const entries = Object.entries(first);
            if (entries.some(([key]) => key in bound)) {
              const own = Object.fromEntries(entries.filter(([key, value]) => !(key in bound) || bound[key] !== value).map(([key, value]) => [key in bound ? `${key}Here` : key, value]));
              return method.apply(this, [own, ...rest] as Parameters<typeof method>);
            }
          }
          return method.apply(this, args);
        },
      },
    },
    destination,
  );
}

/** A child logger with these ids, binding only those not already bound (pino would repeat them). */
export function childLog(log: Logger, ids: Record<string, unknown>): Logger {
  const bound = log.bindings();
  const fresh = Object.fromEntries(Object.entries(ids).filter(([key, value]) => !(key in bound) || bound[key] !== value));
  return Object.keys(fresh).length === 0 ? log : log.child(fresh);
}
