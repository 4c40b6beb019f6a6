import { z } from 'zod';

// Shapes from docs.sentry.io/integrations/integration-platform/webhooks/ (issues, issue-alerts,
// metric-alerts). Only what the bot reads is declared; everything else is kept (looseObject), and
// the stored payload is the raw JSON anyway. Sentry sends ids as strings; numbers are accepted.
const sentryId = z.union([z.string().min(1).max(64), z.number().int().nonnegative()]).transform(String);
// Sentry writes microseconds and `+00:00` ("2025-11-10T20:56:00.679000+00:00") or `Z`.
const timestamp = z.iso.datetime({ offset: true });
const text = z.string().nullish();
const anyRecord = z.record(z.string(), z.unknown()).nullish();

const issueSchema = z.looseObject({
  id: sentryId,
  shortId: text,
  title: z.string().min(1),
  culprit: text,
  level: text,
  status: text,
  substatus: text,
  /** The issue's page in Sentry; `permalink` is the same page in older payloads. */
  web_url: text,
  permalink: text,
  project_url: text,
  project: z.looseObject({ slug: z.string().min(1) }),
  metadata: anyRecord,
  firstSeen: timestamp,
  lastSeen: timestamp.nullish(),
});

/** `Sentry-Hook-Resource: issue`: an issue was created or changed state. */
export const sentryIssuePayloadSchema = z.looseObject({
  action: z.string().min(1),
  data: z.looseObject({ issue: issueSchema }),
});

const eventSchema = z.looseObject({
  event_id: text,
  /** The issue the event belongs to: the same incident as the issue's own webhooks. */
  issue_id: sentryId,
  title: z.string().min(1),
  datetime: timestamp,
  culprit: text,
  level: text,
  environment: text,
  /** API URL of the event: `…/api/0/projects/<org>/<project slug>/events/<id>/`. */
  url: text,
  /** Web URL of the event: `…/issues/<issue id>/events/<event id>/`. */
  web_url: text,
  issue_url: text,
  metadata: anyRecord,
  // Pairs `["environment", "production"]`; kept loose, only read when they look like pairs.
  tags: z.array(z.unknown()).nullish(),
});

/** `Sentry-Hook-Resource: event_alert`: an issue alert rule that names the integration fired. */
export const sentryEventAlertPayloadSchema = z.looseObject({
  action: z.string().min(1),
  data: z.looseObject({
    event: eventSchema,
    triggered_rule: text,
    issue_alert: z.looseObject({ title: text }).nullish(),
  }),
});

const alertRuleSchema = z.looseObject({
  id: sentryId,
  name: z.string().min(1),
  environment: text,
  projects: z.array(z.string()).nullish(),
  aggregate: text,
  query: text,
});

/** `Sentry-Hook-Resource: metric_alert`: a metric alert's incident changed state. */
export const sentryMetricAlertPayloadSchema = z.looseObject({
  action: z.string().min(1),
  data: z.looseObject({
    /** Sentry's "incident": one period of the rule being unhealthy (critical ↔ warning → resolved). */
    metric_alert: z.looseObject({
      id: sentryId,
      identifier: sentryId.nullish(),
      title: text,
      date_started: timestamp,
      date_closed: timestamp.nullish(),
      projects: z.array(z.string()).nullish(),
      alert_rule: alertRuleSchema,
    }),
    description_text: text,
    description_title: text,
    web_url: text,
  }),
});

export type SentryIssuePayload = z.infer<typeof sentryIssuePayloadSchema>;
export type SentryEventAlertPayload = z.infer<typeof sentryEventAlertPayloadSchema>;
export type SentryMetricAlertPayload = z.infer<typeof sentryMetricAlertPayloadSchema>;

/** The resources that can become alerts; Sentry sends others (installation, comment, error …). */
export type SentryResource = 'issue' | 'event_alert' | 'metric_alert';

/** A validated Sentry webhook the bot translates, tagged with its resource. */
export type SentryWebhook =
  | { resource: 'issue'; payload: SentryIssuePayload }
  | { resource: 'event_alert'; payload: SentryEventAlertPayload }
  | { resource: 'metric_alert'; payload: SentryMetricAlertPayload };

const schemas = { issue: sentryIssuePayloadSchema, event_alert: sentryEventAlertPayloadSchema, metric_alert: sentryMetricAlertPayloadSchema } as const;

export function isSentryResource(resource: string): resource is SentryResource {
  return Object.hasOwn(schemas, resource);
}

/** Validates a payload as the given resource. */
export function parseSentryWebhook(resource: SentryResource, raw: unknown): { success: true; webhook: SentryWebhook } | { success: false; error: z.ZodError } {
  const parsed = schemas[resource].safeParse(raw);
  if (!parsed.success) return { success: false, error: parsed.error };
  return { success: true, webhook: { resource, payload: parsed.data } as SentryWebhook };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The resource of a stored payload, from its shape: `data.metric_alert`, `data.event` or
 * `data.issue` (each resource's documented key). The delivery table keeps the raw Sentry JSON,
 * without the `Sentry-Hook-Resource` header; the route accepts a payload only when this answer
 * agrees with the header, so the worker rebuilds exactly the batch the route stored.
 */
export function sentryResourceOf(raw: unknown): SentryResource | undefined {
  const data = isObject(raw) ? raw.data : undefined;
  if (!isObject(data)) return undefined;
  if (isObject(data.metric_alert)) return 'metric_alert';
  if (isObject(data.event)) return 'event_alert';
  if (isObject(data.issue)) return 'issue';
  return undefined;
}
