import type { AlertBatch } from '../../incidents/alert-signal.js';
import { sentryAlertStatus } from './sentry-alert-status.js';
import { sentryEventAlertBatch, sentryIssueBatch } from './sentry-issue-batch.js';
import { sentryMetricAlertBatch } from './sentry-metric-alert-batch.js';
import { parseSentryWebhook, sentryResourceOf, type SentryWebhook } from './sentry-payload.js';

/** Translates a Sentry webhook into the bot's alert batch; undefined for an action the bot ignores. */
export function sentryBatch(webhook: SentryWebhook): AlertBatch | undefined {
  const status = sentryAlertStatus(webhook.resource, webhook.payload.action);
  if (!status) return undefined;
  switch (webhook.resource) {
    case 'issue':
      return sentryIssueBatch(webhook.payload, status);
    case 'event_alert':
      return sentryEventAlertBatch(webhook.payload);
    case 'metric_alert':
      return sentryMetricAlertBatch(webhook.payload, status);
  }
}

/** Rebuilds the batch of a stored Sentry delivery (the route stored it only after this worked). */
export function sentryBatchFromPayload(raw: unknown): AlertBatch {
  const resource = sentryResourceOf(raw);
  if (!resource) throw new Error('stored Sentry payload has none of data.issue, data.event, data.metric_alert');
  const parsed = parseSentryWebhook(resource, raw);
  if (!parsed.success) throw parsed.error;
  const batch = sentryBatch(parsed.webhook);
  if (!batch) throw new Error(`stored Sentry payload has action "${parsed.webhook.payload.action}", which the bot ignores`);
  return batch;
}
