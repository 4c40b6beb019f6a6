import { z } from 'zod';
import { ConfigError } from './config-error.js';

const optionalSecret = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

const envSchema = z
  .object({
    DATABASE_URL: z
      .string({ error: 'is required: a Postgres connection string such as postgresql://user:password@host:5432/incident_bot' })
      .regex(/^postgres(ql)?:\/\//, 'must be a Postgres connection string starting with postgresql://'),
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
    WEBHOOK_BODY_LIMIT: z.coerce.number().int().positive().default(1_048_576),
    /** BullMQ key prefix: bots sharing one Redis keep apart by it. */
    QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'use letters, digits, hyphens and underscores').default('incident-bot'),
    /** How long a worker's job lock lasts; a job of a worker that died is taken over after about this long. */
    WORKER_LOCK_MS: z.coerce.number().int().min(1_000).default(6_000),
    /** Runbook actions one worker process runs at once (each waits on the system it checks). */
    ACTION_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
    /** Incidents one worker process brings up to date in Slack at once (Slack's rate limits pace them anyway). */
    SLACK_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(8),
  });

export type Env = z.infer<typeof envSchema>;

// Checked apart from the schema so that it is reported together with every other problem.
function crossFieldProblems(source: NodeJS.ProcessEnv): string[] {
  const blank = (name: string) => (source[name] ?? '').trim() === '';
  if (blank('SLACK_APP_TOKEN') && blank('SLACK_SIGNING_SECRET') && source.ROLE !== 'worker') {
    return ['  SLACK_SIGNING_SECRET is required unless Socket Mode is used (SLACK_APP_TOKEN): copy it from your Slack app\'s "Basic Information" page'];
  }
  return [];
}

/** Reads and validates the environment; a bad value throws a ConfigError naming each variable. */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = envSchema.safeParse(source);
  const problems = [...(parsed.success ? [] : parsed.error.issues.map((issue) => `  ${issue.path.join('.') || '(environment)'} ${issue.message}`)), ...crossFieldProblems(source)];
  if (problems.length > 0 || !parsed.success) throw new ConfigError(`invalid environment:\n${problems.join('\n')}`);
  return parsed.data;
}
