import { createHash } from 'node:crypto';

export interface TestAlert {
  status?: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  startsAt?: string;
  endsAt?: string;
}

/** Alertmanager's fingerprint is a hash of the label set; this one is stable in the same way. */
export function fingerprint(labels: Record<string, string>): string {
  const text = Object.keys(labels)
    .sort()
    .map((key) => `${key}\u00ff${labels[key]}`)
    .join('\u00ff');
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/** A webhook payload exactly as Alertmanager 0.2x sends it (version 4). */
export function alertmanagerPayload(options: { groupLabels?: Record<string, string>; alerts: TestAlert[]; status?: 'firing' | 'resolved'; receiver?: string; extra?: Record<string, unknown> }) {
  const alerts = options.alerts.map((alert) => {
    const status = alert.status ?? 'firing';
    return {
      status,
      labels: alert.labels,
      annotations: alert.annotations ?? {},
      startsAt: alert.startsAt ?? '2026-11-24T03:00:00.000Z',
      endsAt: alert.endsAt ?? (status === 'resolved' ? '2026-11-24T03:30:00.000Z' : '0001-01-01T00:00:00Z'),
      generatorURL: `http://prometheus.example:9090/graph?g0.expr=${encodeURIComponent(alert.labels.alertname ?? 'up')}&g0.tab=1`,
      fingerprint: fingerprint(alert.labels),
    };
  });
  const groupLabels = options.groupLabels ?? { alertname: options.alerts[0]?.labels.alertname ?? 'Alert' };
  const common = (key: 'labels' | 'annotations') => {
    const first = alerts[0]?.[key] ?? {};
    return Object.fromEntries(Object.entries(first).filter(([name, value]) => alerts.every((alert) => alert[key][name] === value)));
  };
  const status = options.status ?? (alerts.some((alert) => alert.status === 'firing') ? 'firing' : 'resolved');
  return {
    receiver: options.receiver ?? 'incident-bot',
    status,
    alerts,
    groupLabels,
    commonLabels: common('labels'),
    commonAnnotations: common('annotations'),
    externalURL: 'http://alertmanager.example:9093',
    version: '4',
    groupKey: `{}/{severity=~"critical|warning"}:{${Object.entries(groupLabels)
      .map(([key, value]) => `${key}="${value}"`)
      .join(', ')}}`,
    truncatedAlerts: 0,
    ...options.extra,
  };
}

/** A typical alert: database connection failures on the API. */
export function dbAlert(overrides: Partial<TestAlert> & { instance?: string } = {}): TestAlert {
  return {
    labels: { alertname: 'ApiDatabaseUnavailable', service: 'api', severity: 'critical', instance: overrides.instance ?? 'api-1:8080', job: 'api', ...overrides.labels },
    annotations: { summary: 'API cannot reach its database', description: 'More than 50% of requests fail with database connection errors.', ...overrides.annotations },
    ...(overrides.status ? { status: overrides.status } : {}),
    ...(overrides.startsAt ? { startsAt: overrides.startsAt } : {}),
  };
}
