import { z } from 'zod';
import { durationSchema } from '../config/duration.js';

const slugId = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'use lowercase letters, digits and hyphens');

/** A label value, a list of values, or `/regex/flags`. */
const matchValue = z.union([z.string(), z.number().transform(String), z.array(z.union([z.string(), z.number().transform(String)])).min(1)]);

/** One match entry: every key must match (label name → expected value). `source` selects alertmanager | sentry. */
export const matchRuleSchema = z.record(z.string().min(1), matchValue).refine((rule) => Object.keys(rule).length > 0, 'a match entry needs at least one key');

const actionBase = {
  id: slugId,
  label: z.string().min(1).max(75, 'button text is at most 75 characters (Block Kit)'),
  kind: z.enum(['diagnostic', 'mitigation']),
  target: z.string().min(1),
  description: z.string().optional(),
  /** Per-attempt time limit. */
  timeout: durationSchema.default(10_000),
  /** Attempts after the first; diagnostics default to 2, mitigations to 0 unless idempotent. */
  retries: z.number().int().min(0).max(10).optional(),
  /** A mitigation that is safe to repeat may be retried. */
  idempotent: z.boolean().default(false),
  /** Confirmation text shown before a mitigation runs (a default is used when absent). */
  confirm: z.string().max(300).optional(),
};

// Every object is strict: a misspelt key (`retires: 3`, `tiemout: 5s`) is an error, not a silent default.
const httpAction = z.strictObject({
  ...actionBase,
  type: z.literal('http'),
  request: z.strictObject({
    method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']).default('GET'),
    path: z.string().startsWith('/', 'a path starts with /'),
    query: z.record(z.string(), z.string()).optional(),
    headers: z.record(z.string(), z.string()).optional(),
    body: z.unknown().optional(),
  }),
  expect: z
    .strictObject({
      status: z.union([z.number().int(), z.array(z.number().int()).min(1)]).optional(),
      /** The response body must contain this text. */
      body_contains: z.string().optional(),
      /** A JSON path such as `$.dependencies.database` and the value it must equal. */
      json: z.strictObject({ path: z.string().startsWith('$'), equals: z.unknown() }).optional(),
    })
    .optional(),
});

const prometheusAction = z.strictObject({
  ...actionBase,
  type: z.literal('prometheus'),
  query: z.string().min(1),
  /** The result fails the check when the comparison with the first sample's value is false. */
  threshold: z.strictObject({ op: z.enum(['<', '<=', '>', '>=', '==', '!=']), value: z.number() }).optional(),
});

const postgresAction = z.strictObject({
  ...actionBase,
  type: z.literal('postgres'),
  query: z.string().min(1),
});

const redisAction = z.strictObject({
  ...actionBase,
  type: z.literal('redis'),
  command: z.enum(['ping', 'info', 'llen', 'zcard', 'xlen', 'queue-counts']),
  /** For llen / zcard / xlen. */
  key: z.string().optional(),
  /** For info: server, clients, memory, stats, replication, keyspace … */
  section: z.string().optional(),
  /** For queue-counts: a BullMQ queue name and its prefix (default `bull`). */
  queue: z.string().optional(),
  prefix: z.string().optional(),
});

const commandAction = z.strictObject({
  ...actionBase,
  type: z.literal('command'),
  argv: z.array(z.string().min(1)).min(1),
});

export const actionSchema = z.discriminatedUnion('type', [httpAction, prometheusAction, postgresAction, redisAction, commandAction]);

export const runbookFrontMatterSchema = z
  .object({
    id: slugId,
    title: z.string().min(1).max(150),
    severity: z.string().min(1).default('major'),
    escalation: z.string().min(1).default('default'),
    default: z.boolean().default(false),
    /** Services this runbook covers, shown in the incident message. */
    services: z.array(z.string()).default([]),
    match: z.array(matchRuleSchema).default([]),
    actions: z.array(actionSchema).default([]),
  })
  .strict()
  .superRefine((runbook, ctx) => {
    const seen = new Set<string>();
    runbook.actions.forEach((action, index) => {
      if (seen.has(action.id)) ctx.addIssue({ code: 'custom', path: ['actions', index, 'id'], message: `duplicate action id "${action.id}"` });
      seen.add(action.id);
    });
    if (!runbook.default && runbook.match.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['match'], message: 'a runbook needs match rules unless it is the default runbook' });
    }
  });

export type RunbookAction = z.infer<typeof actionSchema>;
export type RunbookFrontMatter = z.infer<typeof runbookFrontMatterSchema>;
export type MatchRule = z.infer<typeof matchRuleSchema>;
