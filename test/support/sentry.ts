import { createHmac, randomUUID } from 'node:crypto';
import type { TestBot } from './test-bot.js';

// Payloads in the shapes of docs.sentry.io/integrations/integration-platform/webhooks/
// (issues, issue-alerts, metric-alerts), with realistic ids and URLs of an organisation "acme".

export const SENTRY_SECRET = 'b3c1f0a9d2e84c7fa6a95e0d1c2b3a4f5e6d7c8b9a0f1e2d3c4b5a6978685746';
const ORG = 'acme';
const INSTALLATION = { uuid: '7a4d2c1e-9b3f-4e5a-8c6d-0f1e2d3c4b5a' };

export interface IssueOptions {
  action: 'created' | 'resolved' | 'assigned' | 'ignored' | 'archived' | 'unresolved';
  id?: string;
  shortId?: string;
  title?: string;
  culprit?: string;
  level?: string;
  project?: { id: string; slug: string; platform: string };
  firstSeen?: string;
  lastSeen?: string;
  substatus?: string | null;
}

export const BACKEND = { id: '4504851234567168', slug: 'backend', platform: 'python' };

/** An `issue` webhook (Sentry-Hook-Resource: issue). */
export function issuePayload(options: IssueOptions) {
  const id = options.id ?? '4507213398';
  const project = options.project ?? BACKEND;
  const title = options.title ?? 'OperationalError: connection refused (host “db-primary”, port 5432)';
  const status = { created: 'unresolved', unresolved: 'unresolved', assigned: 'unresolved', resolved: 'resolved', ignored: 'ignored', archived: 'ignored' }[options.action];
  const substatus = options.substatus !== undefined ? options.substatus : { created: 'new', unresolved: 'regressed', assigned: 'ongoing', resolved: null, ignored: 'archived_forever', archived: 'archived_forever' }[options.action];
  return {
    action: options.action,
    installation: INSTALLATION,
    data: {
      issue: {
        url: `https://sentry.io/api/0/organizations/${ORG}/issues/${id}/`,
        web_url: `https://${ORG}.sentry.io/issues/${id}/`,
        project_url: `https://${ORG}.sentry.io/issues/?project=${project.id}`,
        id,
        shareId: null,
        shortId: options.shortId ?? `${project.slug.toUpperCase()}-4F2`,
        title,
        culprit: options.culprit ?? 'app.db.pool in acquire',
        permalink: `https://${ORG}.sentry.io/issues/${id}/`,
        logger: null,
        level: options.level ?? 'error',
        status,
        statusDetails: options.action === 'resolved' ? { inNextRelease: true } : {},
        substatus,
        isPublic: false,
        platform: project.platform,
        project: { id: project.id, name: project.slug, slug: project.slug, platform: project.platform },
        type: 'error',
        metadata: { type: title.split(':')[0], value: title.split(': ').slice(1).join(': '), filename: 'app/db/pool.py', function: 'acquire', initial_priority: 75 },
        numComments: 0,
        assignedTo: options.action === 'assigned' ? { type: 'user', id: '2931847', name: 'Dana Ops', email: 'dana@acme.example' } : null,
        isBookmarked: false,
        isSubscribed: false,
        subscriptionDetails: null,
        hasSeen: false,
        annotations: [],
        issueType: 'error',
        issueCategory: 'error',
        priority: 'high',
        priorityLockedAt: null,
        seerFixabilityScore: null,
        seerAutofixLastTriggered: null,
        isUnhandled: true,
        count: '212',
        userCount: 37,
        firstSeen: options.firstSeen ?? '2026-11-24T03:00:12.417000+00:00',
        lastSeen: options.lastSeen ?? '2026-11-24T03:07:45.902000+00:00',
      },
    },
    actor: options.action === 'resolved' ? { type: 'user', id: '2931847', name: 'Dana Ops' } : { type: 'application', id: 'sentry', name: 'Sentry' },
  };
}

export interface EventAlertOptions {
  issueId?: string;
  eventId: string;
  title?: string;
  datetime: string;
  level?: string;
  environment?: string;
  project?: string;
  culprit?: string;
  rule?: string;
}

/** An `event_alert` webhook (Sentry-Hook-Resource: event_alert): an issue alert rule fired. */
export function eventAlertPayload(options: EventAlertOptions) {
  const issueId = options.issueId ?? '4507213398';
  const project = options.project ?? 'backend';
  const title = options.title ?? 'OperationalError: connection refused (host “db-primary”, port 5432)';
  const level = options.level ?? 'error';
  const environment = options.environment ?? 'production';
  const timestamp = Date.parse(options.datetime) / 1000;
  return {
    action: 'triggered',
    actor: { id: 'sentry', name: 'Sentry', type: 'application' },
    data: {
      event: {
        _ref: 4504851234567168,
        _ref_version: 2,
        contexts: { runtime: { name: 'CPython', type: 'runtime', version: '3.12.7' }, os: { name: 'Linux', type: 'os' } },
        culprit: options.culprit ?? 'app.db.pool in acquire',
        datetime: options.datetime,
        dist: null,
        environment,
        event_id: options.eventId,
        exception: {
          values: [
            {
              mechanism: { handled: false, type: 'excepthook' },
              stacktrace: { frames: [{ abs_path: '/srv/app/app/db/pool.py', filename: 'app/db/pool.py', function: 'acquire', in_app: true, lineno: 88, module: 'app.db.pool', context_line: '        conn = await self._connect()' }] },
              type: title.split(':')[0],
              value: title.split(': ').slice(1).join(': '),
            },
          ],
        },
        fingerprint: ['{{ default }}'],
        hashes: ['0d9f8e7c6b5a49382716f5e4d3c2b1a0'],
        issue_url: `https://sentry.io/api/0/issues/${issueId}/`,
        issue_id: issueId,
        key_id: '3318245',
        level,
        location: 'app/db/pool.py',
        logger: '',
        message: '',
        metadata: { filename: 'app/db/pool.py', type: title.split(':')[0], value: title.split(': ').slice(1).join(': ') },
        platform: 'python',
        project: 4504851234567168,
        received: timestamp,
        release: 'backend@2026.11.23-1',
        sdk: { name: 'sentry.python', version: '2.18.0' },
        tags: [
          ['environment', environment],
          ['handled', 'no'],
          ['level', level],
          ['release', 'backend@2026.11.23-1'],
          ['server_name', 'api-7f9c6d5b8-x2kqp'],
        ],
        time_spent: null,
        timestamp,
        title,
        type: 'error',
        url: `https://sentry.io/api/0/projects/${ORG}/${project}/events/${options.eventId}/`,
        user: { ip_address: '10.0.8.21' },
        version: '7',
        web_url: `https://sentry.io/organizations/${ORG}/issues/${issueId}/events/${options.eventId}/`,
      },
      triggered_rule: options.rule ?? 'Backend errors to incident bot',
      issue_alert: { title: options.rule ?? 'Backend errors to incident bot', settings: [] },
    },
    installation: INSTALLATION,
  };
}

export interface MetricAlertOptions {
  action: 'critical' | 'warning' | 'resolved' | 'open';
  incidentId?: string;
  identifier?: string;
  ruleId?: string;
  ruleName?: string;
  dateStarted?: string;
  dateClosed?: string | null;
}

/** A `metric_alert` webhook (Sentry-Hook-Resource: metric_alert). */
export function metricAlertPayload(options: MetricAlertOptions) {
  const ruleName = options.ruleName ?? 'Checkout error rate above 5%';
  const label = { critical: 'Critical', warning: 'Warning', resolved: 'Resolved', open: 'Open' }[options.action];
  const identifier = options.identifier ?? '318';
  return {
    action: options.action,
    actor: { id: 'sentry', name: 'Sentry', type: 'application' },
    data: {
      description_text: '7.4% failure_rate() in the last 5 minutes\nFilter: transaction:/api/checkout',
      description_title: `${label}: ${ruleName}`,
      metric_alert: {
        alert_rule: {
          aggregate: 'failure_rate()',
          created_by: null,
          dataset: 'transactions',
          date_created: '2026-09-02T10:14:03.000000Z',
          date_modified: '2026-10-19T08:41:27.000000Z',
          environment: 'production',
          id: options.ruleId ?? '91827',
          include_all_projects: false,
          name: ruleName,
          organization_id: '1128374',
          projects: ['checkout'],
          query: 'transaction:/api/checkout',
          resolution: 1,
          resolve_threshold: 2,
          status: 0,
          threshold_period: 1,
          threshold_type: 0,
          time_window: 5,
          triggers: [],
        },
        date_closed: options.dateClosed ?? null,
        date_created: options.dateStarted ?? '2026-11-24T04:10:00.000000Z',
        date_detected: options.dateStarted ?? '2026-11-24T04:10:00.000000Z',
        date_started: options.dateStarted ?? '2026-11-24T04:10:00.000000Z',
        id: options.incidentId ?? '771203',
        identifier,
        organization_id: '1128374',
        projects: ['checkout'],
        status: { critical: 20, warning: 10, resolved: 2, open: 1 }[options.action],
        status_method: 3,
        title: ruleName,
        type: 2,
      },
      web_url: `https://sentry.io/organizations/${ORG}/alerts/${identifier}/`,
    },
    installation: INSTALLATION,
  };
}

/** Sentry's body bytes: compact JSON with every non-ASCII character escaped (as Python's json.dumps does). */
export function sentryBody(payload: unknown): string {
  return JSON.stringify(payload).replace(/[\u0080-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** `Sentry-Hook-Signature`: hex HMAC-SHA256 of the body bytes with the Client Secret. */
export function sentrySignature(body: string, secret = SENTRY_SECRET): string {
  return createHmac('sha256', secret).update(body, 'utf8').digest('hex');
}

/** The headers Sentry sends with a webhook. */
export function sentryHeaders(resource: string, body: string, secret = SENTRY_SECRET): Record<string, string> {
  return {
    'request-id': randomUUID(),
    'sentry-hook-resource': resource,
    'sentry-hook-timestamp': String(Math.floor(Date.now() / 1000)),
    'sentry-hook-signature': sentrySignature(body, secret),
  };
}

/** Posts a payload exactly as Sentry would: the body is built once, signed, and sent unchanged. */
export function postSentry(bot: TestBot, resource: string, payload: unknown, secret = SENTRY_SECRET) {
  const body = sentryBody(payload);
  return bot.post('/webhooks/sentry', body, sentryHeaders(resource, body, secret));
}
