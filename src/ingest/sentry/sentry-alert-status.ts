import type { AlertSignal } from '../../incidents/alert-signal.js';
import type { SentryResource } from './sentry-payload.js';

type Status = AlertSignal['status'];

// Actions per resource, from Sentry's webhook docs. `ignored` is the older name of `archived`;
// `open` is the fourth metric incident status (INCIDENT_STATUS in sentry/incidents/models).
// `issue.assigned` changes nothing an incident cares about.
const ACTIONS: Record<SentryResource, ReadonlyMap<string, Status>> = {
  issue: new Map([
    ['created', 'firing'],
    ['unresolved', 'firing'],
    ['resolved', 'resolved'],
    ['ignored', 'resolved'],
    ['archived', 'resolved'],
  ]),
  event_alert: new Map([['triggered', 'firing']]),
  metric_alert: new Map([
    ['critical', 'firing'],
    ['warning', 'firing'],
    ['open', 'firing'],
    ['resolved', 'resolved'],
  ]),
};

/** What a resource's action means for its alert; undefined for actions the bot accepts and ignores. */
export function sentryAlertStatus(resource: SentryResource, action: string): Status | undefined {
  return ACTIONS[resource].get(action);
}
