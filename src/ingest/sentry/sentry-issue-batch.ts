import type { AlertBatch, AlertSignal } from '../../incidents/alert-signal.js';
import { labelSet, metadataValue, severityOfLevel } from './sentry-labels.js';
import type { SentryEventAlertPayload, SentryIssuePayload } from './sentry-payload.js';

/** What an `issue` webhook and an `event_alert` webhook both say about one Sentry issue. */
interface IssueFacts {
  issueId: string;
  title: string;
  culprit: string | null | undefined;
  level: string | null | undefined;
  environment?: string | null;
  project?: string | null;
  description?: string;
  extraLabels?: Record<string, string | null | undefined>;
  status: AlertSignal['status'];
  startsAt: Date;
  endsAt: Date | null;
  /** The issue's page in Sentry: the incident message links back to it. */
  issueUrl: string | null;
  externalUrl: string | null;
}

/**
 * One Sentry issue is one alert group (`sentry:issue:<id>`), so its `issue` and `event_alert`
 * webhooks correlate into the same incident; the fingerprint is the same for every alert of the issue.
 */
function issueBatch(facts: IssueFacts): AlertBatch {
  const labels = labelSet({
    project: facts.project,
    environment: facts.environment,
    level: facts.level,
    severity: severityOfLevel(facts.level),
    title: facts.title,
    culprit: facts.culprit,
    ...facts.extraLabels,
  });
  const key = `sentry:issue:${facts.issueId}`;
  const alert: AlertSignal = {
    source: 'sentry',
    fingerprint: key,
    status: facts.status,
    name: facts.title,
    labels,
    annotations: labelSet({ summary: facts.title, description: facts.culprit || facts.description }),
    startsAt: facts.startsAt,
    endsAt: facts.endsAt,
    generatorUrl: facts.issueUrl,
  };
  return { source: 'sentry', groupKey: key, status: facts.status, title: facts.title, externalUrl: facts.externalUrl, commonLabels: labels, alerts: [alert] };
}

/**
 * `issue` webhooks. Alert instances are keyed by (fingerprint, startsAt) and a resolution is final
 * for an instance, so: created / resolved / archived address the instance that started at
 * `firstSeen`; `unresolved` (a regression, an escalating archived issue, or a reopen by hand) is
 * a new instance that starts at `lastSeen`. Issue payloads carry no environment (an issue spans
 * environments).
 */
export function sentryIssueBatch(payload: SentryIssuePayload, status: AlertSignal['status']): AlertBatch {
  const issue = payload.data.issue;
  const firstSeen = new Date(issue.firstSeen);
  const lastSeen = issue.lastSeen ? new Date(issue.lastSeen) : null;
  return issueBatch({
    issueId: issue.id,
    title: issue.title,
    culprit: issue.culprit,
    level: issue.level,
    project: issue.project.slug,
    description: metadataValue(issue.metadata),
    extraLabels: { issue: issue.shortId },
    status,
    startsAt: payload.action === 'unresolved' && lastSeen ? lastSeen : firstSeen,
    endsAt: status === 'resolved' ? lastSeen : null,
    issueUrl: issue.web_url || issue.permalink || null,
    externalUrl: issue.project_url || null,
  });
}

// `web_url` of an event is its issue's page plus `events/<event id>/`.
const EVENT_PAGE = /^(.*\/issues\/[^/]+\/)events\/[^/]+\/?$/;
// `url` of an event is `…/api/0/projects/<org>/<project slug>/events/<event id>/`: the only place
// an event alert names its project (`event.project` is the numeric project id).
const EVENT_API_URL = /\/projects\/[^/]+\/([^/]+)\/events\/[^/]+\/?$/;

function tagValue(tags: unknown[] | null | undefined, key: string): string | undefined {
  for (const tag of tags ?? []) {
    if (Array.isArray(tag) && tag[0] === key && typeof tag[1] === 'string') return tag[1];
  }
  return undefined;
}

/**
 * `event_alert` webhooks: an issue alert rule fired for one event of an issue. The instance starts
 * at the event's time; for a "new issue" rule that is the issue's `firstSeen` (Sentry sets it from
 * the first event), so it is the same alert as the `issue.created` webhook.
 */
export function sentryEventAlertBatch(payload: SentryEventAlertPayload): AlertBatch {
  const event = payload.data.event;
  const eventPage = event.web_url || null;
  return issueBatch({
    issueId: event.issue_id,
    title: event.title,
    culprit: event.culprit,
    level: event.level,
    environment: event.environment || tagValue(event.tags, 'environment'),
    project: event.url ? EVENT_API_URL.exec(event.url)?.[1] : undefined,
    description: metadataValue(event.metadata),
    extraLabels: { rule: payload.data.triggered_rule || payload.data.issue_alert?.title },
    status: 'firing',
    startsAt: new Date(event.datetime),
    endsAt: null,
    issueUrl: (eventPage && EVENT_PAGE.exec(eventPage)?.[1]) || eventPage,
    externalUrl: eventPage,
  });
}
