import { alertmanagerPayload, dbAlert } from '../../test/support/alertmanager.js';

/**
 * A distinct Alertmanager v4 notification: its own group key (via a `bench_group` group label)
 * and `alertsPerDelivery` alerts with their own fingerprints (distinct `instance`), so the bot
 * stores a new delivery, new alerts and, with workers running, opens a new incident for it.
 * `summary` is the common annotation that becomes the incident title; by default it names the group.
 */
export function benchPayload(group: string, alertsPerDelivery: number, summary?: string) {
  const alerts = Array.from({ length: alertsPerDelivery }, (_unused, index) =>
    dbAlert({
      instance: `api-${index + 1}.${group}:8080`,
      labels: { bench_group: group },
      // A title of its own: same-day incidents with one title share a channel name and cost
      // up to ten conversations.create calls (name_taken retries) each.
      annotations: { summary: summary ?? `API cannot reach its database (${group})` },
    }),
  );
  return alertmanagerPayload({ groupLabels: { alertname: 'ApiDatabaseUnavailable', bench_group: group }, alerts });
}

/**
 * The `newest`-th notification of a growing alert group: its newest `alerts` instances (instance
 * `newest` is new), so each notification is a real change of the same group.
 */
export function growingGroupPayload(group: string, newest: number, alerts: number) {
  const instances = Array.from({ length: Math.min(alerts, newest) }, (_unused, index) => newest - index);
  return alertmanagerPayload({
    groupLabels: { alertname: 'ApiDatabaseUnavailable', bench_group: group },
    alerts: instances.map((instance) => dbAlert({ instance: `api-${instance}.${group}:8080`, labels: { bench_group: group, severity: 'warning' }, annotations: { summary: `API cannot reach its database (${group})` } })),
  });
}

export const WEBHOOK_PATH = '/webhooks/alertmanager';
