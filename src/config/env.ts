import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { ConfigError } from './config-error.js';

/** Outside production, the bot runs against this database (created when missing) unless told otherwise. */
export const DEFAULT_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/incident_bot';
/** Where the bot's Slack client sends its calls in sandbox mode; the sandbox answers them in-process. */
export const SANDBOX_SLACK_API_URL = 'http://sandbox.localhost/api/';
const SANDBOX_BOT_TOKEN = 'xoxb-sandbox';

const optionalSecret = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

const envSchema = z
  .object({
    NODE_ENV: z.string().optional(),
    DATABASE_URL: z
      .string({ error: 'is required with NODE_ENV=production: a Postgres connection string such as postgresql://user:password@host:5432/incident_bot' })
      .regex(/^postgres(ql)?:\/\//, 'must be a Postgres connection string starting with postgresql://'),
    SLACK_MODE: z.preprocess((value) => (value === '' ? undefined : value), z.enum(['slack', 'sandbox'], { error: 'must be slack (the real Slack) or sandbox (the built-in local Slack at /sandbox)' }).optional()),
    /** The sandbox answers loopback requests only, unless this is set (docker compose sets it). */
    SANDBOX_ALLOW_REMOTE: z.enum(['true', 'false', '1', '0', '']).default('false').transform((value) => value === 'true' || value === '1'),
    REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a Redis URL starting with redis:// or rediss://').default('redis://127.0.0.1:6379'),
    PORT: z.coerce.number({ error: 'must be a port number from 0 to 65535' }).int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).default('0.0.0.0'),
    SLACK_BOT_TOKEN: z
      .string({ error: 'is required: the bot token (xoxb-…) from your Slack app\'s "OAuth & Permissions" page' })
      .regex(/^xoxb-/, 'must be a bot token starting with xoxb- (see "OAuth & Permissions" in your Slack app)'),
    SLACK_SIGNING_SECRET: optionalSecret,
    SLACK_APP_TOKEN: optionalSecret.refine((value) => value === undefined || value.startsWith('xapp-'), 'must be an app-level token starting with xapp- (Basic Information → App-Level Tokens)'),
    SLACK_API_URL: z.url({ error: 'must be a URL such as https://slack.com/api/' }).default('https://slack.com/api/'),
    ALERTMANAGER_TOKEN: optionalSecret,
    SENTRY_CLIENT_SECRET: optionalSecret,
    API_TOKEN: optionalSecret,
    RUNBOOKS_DIR: z.string().min(1).default('./runbooks'),
    CONFIG_FILE: z.string().min(1).default('./incident-bot.yml'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    ROLE: z.enum(['all', 'api', 'worker'], { error: 'must be all, api or worker' }).default('all'),
    WEBHOOK_BODY_LIMIT: z.coerce.number({ error: 'must be a number of bytes, such as 1048576' }).int().positive().default(1_048_576),
    /** BullMQ key prefix: bots sharing one Redis keep apart by it. */
    QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'use letters, digits, hyphens and underscores').default('incident-bot'),
    /** How long a worker's job lock lasts; a job of a worker that died is taken over after about this long. */
    WORKER_LOCK_MS: z.coerce.number({ error: 'must be a whole number of milliseconds, such as 6000 (not a duration such as 6s)' }).int().min(1_000, 'must be at least 1000 (milliseconds)').default(6_000),
    /** Runbook actions one worker process runs at once (each waits on the system it checks). */
    ACTION_CONCURRENCY: z.coerce.number({ error: 'must be a whole number from 1 to 256' }).int().min(1).max(256).default(16),
    /** Incidents one worker process brings up to date in Slack at once (Slack's rate limits pace them anyway). */
    SLACK_CONCURRENCY: z.coerce.number({ error: 'must be a whole number from 1 to 64' }).int().min(1).max(64).default(8),
  });

export type Env = Omit<z.infer<typeof envSchema>, 'SLACK_MODE'> & { SLACK_MODE: 'slack' | 'sandbox' };

const blankIn = (source: NodeJS.ProcessEnv) => (name: string) => (source[name] ?? '').trim() === '';

/** `slack` when a token is set; otherwise the sandbox, except in production where that must be asked for. */
function slackMode(source: NodeJS.ProcessEnv): 'slack' | 'sandbox' | undefined {
  const blank = blankIn(source);
  if (source.SLACK_MODE === 'slack' || source.SLACK_MODE === 'sandbox') return source.SLACK_MODE;
  if (!blank('SLACK_BOT_TOKEN') || !blank('SLACK_APP_TOKEN')) return 'slack';
  return source.NODE_ENV === 'production' ? undefined : 'sandbox';
}

/** What sandbox mode and the local defaults fill in before validation. */
function withDefaults(source: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const filled = { ...source };
  if (blankIn(source)('DATABASE_URL') && source.NODE_ENV !== 'production') filled.DATABASE_URL = DEFAULT_DATABASE_URL;
  if (slackMode(source) === 'sandbox') {
    // The sandbox signs the page's requests with its own secret and checks the bot's own token.
    Object.assign(filled, { SLACK_BOT_TOKEN: SANDBOX_BOT_TOKEN, SLACK_SIGNING_SECRET: randomBytes(24).toString('hex'), SLACK_APP_TOKEN: '', SLACK_API_URL: SANDBOX_SLACK_API_URL });
  }
  return filled;
}

// Checked apart from the schema so that it is reported together with every other problem.
function crossFieldProblems(source: NodeJS.ProcessEnv): string[] {
  const blank = blankIn(source);
  if (slackMode(source) === undefined) {
    return ['  SLACK_MODE: with NODE_ENV=production and no Slack token the local sandbox only runs when asked for: set SLACK_MODE=sandbox, or set SLACK_BOT_TOKEN'];
  }
  if (slackMode(source) === 'sandbox') return source.ROLE === undefined || source.ROLE === 'all' ? [] : ['  ROLE must be all with SLACK_MODE=sandbox: the sandbox keeps its Slack workspace in the one process'];
  if (blank('SLACK_APP_TOKEN') && blank('SLACK_SIGNING_SECRET') && source.ROLE !== 'worker') {
    return ['  SLACK_SIGNING_SECRET is required unless Socket Mode is used (SLACK_APP_TOKEN): copy it from your Slack app\'s "Basic Information" page'];
  }
  return [];
}

/** Reads and validates the environment; a bad value throws a ConfigError naming each variable. */
export function loadEnv(given: NodeJS.ProcessEnv = process.env): Env {
  const source = withDefaults(given);
  const parsed = envSchema.safeParse(source);
  const problems = [...(parsed.success ? [] : parsed.error.issues.map((issue) => `  ${issue.path.join('.') || '(environment)'} ${issue.message}`)), ...crossFieldProblems(source)];
  if (problems.length > 0 || !parsed.success) throw new ConfigError(`invalid environment:\n${problems.join('\n')}`);
  return { ...parsed.data, SLACK_MODE: slackMode(given) ?? 'slack' };
}
