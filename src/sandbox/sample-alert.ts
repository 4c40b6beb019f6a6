import { createHash } from 'node:crypto';
import type { Runbook } from '../runbooks/runbook.js';

/** Labels an alert for this runbook would carry: its first match rule's plain values, its severity and service. */
export function sampleLabels(runbook: Runbook): Record<string, string> {
  const labels: Record<string, string> = {};
  const rule = runbook.match.find((r) => !('source' in r)) ?? {};
  for (const [name, value] of Object.entries(rule)) {
    const first = Array.isArray(value) ? value[0] : value;
    // A /regex/ matcher names no value to copy.
    if (first !== undefined && !/^\/.*\/[a-z]*$/.test(first)) labels[name] = first;
  }
  labels.alertname ??= `Sample${runbook.id.replace(/(^|-)(\w)/g, (_m, _d, c: string) => c.toUpperCase())}`;
  labels.severity ??= runbook.severity;
  if (runbook.services[0]) labels.service ??= runbook.services[0];
  labels.instance ??= `${labels.service ?? 'app'}-1:8080`;
  return labels;
}

/** Alertmanager's fingerprint: a hash of the label set. */
function fingerprint(labels: Record<string, string>): string {
  const text = Object.keys(labels).sort().map((key) => `${key}\u00ff${labels[key]}`).join('\u00ff');
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/** A firing notification exactly as Alertmanager sends it (webhook payload version 4). */
export function sampleNotification(labels: Record<string, string>, summary: string, startsAt: Date): Record<string, unknown> {
  const annotations = { summary, description: 'A sample alert fired from the Slack sandbox.' };
  const alertname = labels.alertname ?? 'SampleAlert';
  // Grouped as a typical route does (by alertname and service): firing again for the same service is the same group.
  const groupLabels: Record<string, string> = { alertname, ...(labels.service ? { service: labels.service } : {}) };
  return {
    receiver: 'incident-bot',
    status: 'firing',
    alerts: [
      {
        status: 'firing',
        labels,
        annotations,
        startsAt: startsAt.toISOString(),
        endsAt: '0001-01-01T00:00:00Z',
        generatorURL: `http://prometheus.localhost:9090/graph?g0.expr=${encodeURIComponent(alertname)}&g0.tab=1`,
        fingerprint: fingerprint(labels),
      },
    ],
    groupLabels,
    commonLabels: labels,
    commonAnnotations: annotations,
    externalURL: 'http://alertmanager.localhost:9093',
    version: '4',
    groupKey: `{}:{${Object.entries(groupLabels).map(([name, value]) => `${name}="${value}"`).join(', ')}}`,
    truncatedAlerts: 0,
  };
}
