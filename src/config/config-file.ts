import { readFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { ConfigError } from './config-error.js';
import { durationSchema } from './duration.js';
import { interpolateEnv } from './interpolate-env.js';
import { rolesSchema, updatesSchema } from './comms-config.js';
import { SCHEDULE_PREFIX, schedulesSchema } from './schedule-config.js';
import { statusPageSchema } from './status-page-config.js';

const slackUserOrGroup = z.string().regex(/^[UWS][A-Z0-9]{2,}$/, 'must be a Slack user ID (U…, W…) or user group ID (S…)');
const levelName = z.enum(['L1', 'L2', 'L3'], { error: 'must be L1, L2 or L3' });

const levelSchema = z
  .object({
    level: levelName,
    notify: z.array(z.union([slackUserOrGroup, z.string().regex(/^schedule:[a-z0-9][a-z0-9_-]*$/)], { error: 'must be a Slack user ID (U…, W…) or user group ID (S…), or schedule:<name>' })).min(1, 'a level needs at least one person or group to notify'),
    ack_timeout: durationSchema.optional(),
    critical_ack_timeout: durationSchema.optional(),
    direct_message: z.boolean().default(false),
  })
  .strict();

const policySchema = z
  .object({
    ack_by: z.enum(['policy', 'anyone']).default('policy'),
    levels: z.array(levelSchema).min(1, 'a policy needs at least level L1'),
    repeat_every: durationSchema.optional(),
  })
  .strict()
  .superRefine((policy, ctx) => {
    policy.levels.forEach((level, index) => {
      const expected = `L${index + 1}`;
      if (level.level !== expected) ctx.addIssue({ code: 'custom', path: ['levels', index, 'level'], message: `levels must be L1, L2, L3 in order: expected ${expected}, found ${level.level}` });
      const last = index === policy.levels.length - 1;
      if (!last && level.ack_timeout === undefined) ctx.addIssue({ code: 'custom', path: ['levels', index, 'ack_timeout'], message: 'is required on every level but the last' });
    });
  });

const headers = z.record(z.string(), z.string()).default({});
const targetSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('http'), url: z.url(), headers, tls_insecure: z.boolean().default(false) }).strict(),
  z.object({ type: z.literal('prometheus'), url: z.url(), headers }).strict(),
  z.object({ type: z.literal('postgres'), url: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL') }).strict(),
  z.object({ type: z.literal('redis'), url: z.string().regex(/^rediss?:\/\//, 'must be a redis:// URL') }).strict(),
  z
    .object({
      type: z.literal('command'),
      /** Commands run only where the operator turns them on. */
      enabled: z.boolean().default(false),
      cwd: z.string().optional(),
      env: z.record(z.string(), z.string()).default({}),
    })
    .strict(),
]);

export const configSchema = z
  .object({
    escalation: z.record(z.string().regex(/^[a-z0-9][a-z0-9_-]*$/), policySchema).default({}),
    targets: z.record(z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'target names use lowercase letters, digits and hyphens'), targetSchema).default({}),
    responders: z.array(slackUserOrGroup).default([]),
    schedules: schedulesSchema,
    channels: z.object({ announce: z.string().regex(/^[CG][A-Z0-9]+$/, 'must be a channel ID (C…)').optional() }).strict().prefault({}),
    incidents: z
      .object({
        channel_prefix: z.string().regex(/^[a-z0-9_-]{1,20}$/).default('inc'),
        private_channels: z.boolean().default(false),
        grouping_window: durationSchema.default(300_000),
        /** Alert groups whose alerts share these labels' values within grouping_window join one incident; [] turns it off. */
        group_by: z.array(z.string().min(1)).default(['service']),
        /** More new incidents than this within storm_window: further alert groups join one storm incident; 0 turns it off. */
        storm_threshold: z.number().int().min(0).default(10),
        storm_window: durationSchema.default(60_000),
        reopen_window: durationSchema.default(3_600_000),
        auto_resolve: z.boolean().default(true),
        /** The alert label that carries severity (Prometheus convention: `severity`). */
        severity_label: z.string().default('severity'),
        /** Labels shown first in the incident message; the rest follow up to a limit. */
        key_labels: z.array(z.string()).default(['alertname', 'severity', 'service', 'job', 'instance', 'namespace', 'cluster', 'env']),
        /** Invited to every new incident channel (until escalation policies invite their L1). */
        invite: z.array(slackUserOrGroup).default([]),
        /** The severities `/incident severity` accepts, most severe first. */
        severities: z.array(z.string().regex(/^[a-z0-9_-]{1,20}$/)).min(1).default(['critical', 'major', 'minor']),
        /** Archive a resolved incident's channel this long after resolution; unset: never. */
        archive_after: durationSchema.optional(),
        /** Messages in an incident channel marked with this reaction go to the timeline as notes. */
        pin_reaction: z.string().regex(/^[a-z0-9_+-]{1,50}$/).default('pushpin'),
      })
      .strict()
      .prefault({}),
    /** Overrides of Slack's rate tiers, per Web API method (e.g. for an Enterprise Grid plan). */
    slack: z
      .object({ rate_limits: z.record(z.string().regex(/^[a-z]+\.[A-Za-z.]+$/, 'a Web API method such as conversations.create'), z.object({ max: z.number().int().positive(), window: durationSchema, per_channel: z.boolean().default(false) }).strict()).default({}) })
      .strict()
      .prefault({}),
    updates: updatesSchema,
    roles: rolesSchema,
    status_page: statusPageSchema,
    reviews: z
      .object({
        /** The review is due this long after the incident resolves. */
        due_after: durationSchema.default(172_800_000),
        /** The owner and the channel are reminded this long before it is due. */
        remind_before: durationSchema.default(86_400_000),
        /** Once overdue, reminded again this often … */
        overdue_every: durationSchema.default(86_400_000),
        /** … this many times in all (the first at the due time); 0 sends no overdue reminder. */
        overdue_reminders: z.number().int().min(0).max(30).default(3),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .superRefine((config, ctx) => {
    for (const [name, policy] of Object.entries(config.escalation)) {
      policy.levels.forEach((level, index) => {
        level.notify.forEach((entry, at) => {
          const schedule = entry.startsWith(SCHEDULE_PREFIX) ? entry.slice(SCHEDULE_PREFIX.length) : undefined;
          if (schedule !== undefined && !config.schedules[schedule]) {
            ctx.addIssue({ code: 'custom', path: ['escalation', name, 'levels', index, 'notify', at], message: `names schedule "${schedule}", which the schedules section does not define (defined: ${Object.keys(config.schedules).join(', ') || 'none'})` });
          }
        });
      });
    }
  });

export type BotConfig = z.infer<typeof configSchema>;
export type Target = z.infer<typeof targetSchema>;

/** The configuration used when no file exists. */
export function defaultConfig(): BotConfig {
  return configSchema.parse({});
}

/**
 * Loads the YAML config file, expanding `${VAR}` from the environment. A missing file means
 * defaults; anything invalid throws a ConfigError naming the file, the path and the reason.
 */
export async function loadConfigFile(file: string, env: NodeJS.ProcessEnv = process.env): Promise<BotConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return defaultConfig();
    throw new ConfigError(`${file}: cannot be read: ${(error as Error).message}`);
  }
  const document = parseDocument(text);
  if (document.errors.length > 0) throw new ConfigError(`${file}: invalid YAML: ${document.errors[0]?.message}`);
  const raw = interpolateEnv(document.toJS() ?? {}, env, (problems) =>
    new ConfigError(problems.length === 1 ? `${file}: ${problems[0]}` : `${file}: ${problems.length} environment variables are not set:\n  ${problems.join('\n  ')}`),
  );
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
    throw new ConfigError(`${file}: invalid configuration:\n${problems.join('\n')}`);
  }
  return parsed.data;
}
