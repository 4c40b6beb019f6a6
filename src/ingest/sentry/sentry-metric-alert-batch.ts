import type { AlertBatch, AlertSignal } from '../../incidents/alert-signal.js';
import { labelSet } from './sentry-labels.js';
import type { SentryMetricAlertPayload } from './sentry-payload.js';

const ACTION_SEVERITY: ReadonlyMap<string, string> = new Map([
  ['critical', 'critical'],
  ['warning', 'major'],
  ['open', 'major'],
]);

/**
 * `metric_alert` webhooks. `data.metric_alert` is one Sentry "incident" of an alert rule (one
 * unhealthy period; it moves between critical and warning and ends resolved), so it is the alert
 * instance: fingerprint `sentry:metric_alert:<incident id>`, starting at `date_started`. The group
 * is the rule (`sentry:metric_alert:<rule id>`): a rule that fires again while its incident is
 * still open joins it instead of opening another channel.
 */
export function sentryMetricAlertBatch(payload: SentryMetricAlertPayload, status: AlertSignal['status']): AlertBatch {
  const { metric_alert: incident, description_title: descriptionTitle, description_text: descriptionText, web_url: webUrl } = payload.data;
  const rule = incident.alert_rule;
  const labels = labelSet({
    project: (rule.projects ?? incident.projects ?? [])[0],
    environment: rule.environment,
    severity: ACTION_SEVERITY.get(payload.action),
    title: rule.name,
    aggregate: rule.aggregate,
    query: rule.query,
  });
  const alert: AlertSignal = {
    source: 'sentry',
    fingerprint: `sentry:metric_alert:${incident.id}`,
    status,
    name: rule.name,
    labels,
    annotations: labelSet({ summary: descriptionTitle || rule.name, description: descriptionText }),
    startsAt: new Date(incident.date_started),
    endsAt: status === 'resolved' && incident.date_closed ? new Date(incident.date_closed) : null,
    // Sentry's docs call data.web_url "the api url for the incident"; it is the alert's web page.
    generatorUrl: webUrl || null,
  };
  return { source: 'sentry', groupKey: `sentry:metric_alert:${rule.id}`, status, title: rule.name, externalUrl: null, commonLabels: labels, alerts: [alert] };
}
