import type { WebhookDelivery } from '../db/client.js';
import type { AlertBatch } from '../incidents/alert-signal.js';
import { alertmanagerBatch, alertmanagerPayloadSchema } from './alertmanager/alertmanager-payload.js';
import { sentryBatchFromPayload } from './sentry/sentry-batch.js';

/** Rebuilds the alert batch from a stored delivery (its payload was validated when it arrived). */
export function batchFromDelivery(delivery: Pick<WebhookDelivery, 'source' | 'payload'>): AlertBatch {
  switch (delivery.source) {
    case 'alertmanager':
      return alertmanagerBatch(alertmanagerPayloadSchema.parse(delivery.payload));
    case 'sentry':
      return sentryBatchFromPayload(delivery.payload);
    default:
      throw new Error(`no translator for webhook source "${delivery.source}"`);
  }
}
