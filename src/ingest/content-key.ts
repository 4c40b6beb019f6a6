import { createHash } from 'node:crypto';
import type { AlertBatch } from '../incidents/alert-signal.js';

/**
 * Identifies what a delivery says, not how it was sent: a redelivery or a repeat notification
 * with the same alerts in the same states has the same key and changes nothing.
 */
export function contentKey(batch: AlertBatch): string {
  const alerts = batch.alerts
    // A firing alert's endsAt may move forward with every notification; only a resolution's is fixed.
    .map((alert) => [alert.fingerprint, alert.status, alert.startsAt.toISOString(), alert.status === 'resolved' ? (alert.endsAt?.toISOString() ?? '') : ''].join('|'))
    .sort();
  return createHash('sha256').update(JSON.stringify([batch.source, batch.groupKey, batch.status, alerts])).digest('hex');
}
