import type { AlertBatch, AlertSignal } from './alert-signal.js';

/** A stored delivery with the alert batch it carries. */
export interface PendingDelivery {
  id: string;
  receivedAt: Date;
  batch: AlertBatch;
}

/**
 * Consecutive deliveries of one alert group correlated as one: their alerts merged (the latest
 * state of each), with the time each alert was first seen firing or resolved, so the timeline
 * still dates every change by the delivery that brought it.
 */
export interface DeliverySegment {
  /** The first delivery's batch (title, links, labels of an incident it opens) with every alert of the segment. */
  batch: AlertBatch;
  firstId: string;
  firstAt: Date;
  /** The alerts of the first delivery: those an incident the segment opens shows in its opening message. */
  firstFingerprints: Set<string>;
  lastAt: Date;
  /** The delivery that last carried each alert (see alertKey): the alert row's last delivery. */
  deliveryOf: Map<string, string>;
  seenAt: Map<string, Date>;
  resolvedAt: Map<string, Date>;
}

export const alertKey = (alert: Pick<AlertSignal, 'fingerprint' | 'startsAt'>) => `${alert.fingerprint}|${alert.startsAt.toISOString()}`;

/**
 * Splits a group's pending deliveries (in receipt order) into segments, each ending at a
 * delivery that resolves something: a resolution may resolve the incident, and what fires after
 * it must then reopen it, as it would have one delivery at a time. Firing-only runs (a storm's
 * growing groups) merge into one segment, so one pass costs a few statements however many wait.
 */
export function segmentsOf(deliveries: readonly PendingDelivery[]): DeliverySegment[] {
  const segments: DeliverySegment[] = [];
  let current: DeliverySegment | undefined;
  let alerts = new Map<string, AlertSignal>();
  for (const delivery of deliveries) {
    if (!current) {
      alerts = new Map();
      current = { batch: { ...delivery.batch, alerts: [] }, firstId: delivery.id, firstAt: delivery.receivedAt, firstFingerprints: new Set(delivery.batch.alerts.map((alert) => alert.fingerprint)), lastAt: delivery.receivedAt, deliveryOf: new Map(), seenAt: new Map(), resolvedAt: new Map() };
    }
    current.lastAt = delivery.receivedAt;
    for (const alert of delivery.batch.alerts) {
      const key = alertKey(alert);
      alerts.set(key, alert);
      current.deliveryOf.set(key, delivery.id);
      if (!current.seenAt.has(key)) current.seenAt.set(key, delivery.receivedAt);
      if (alert.status === 'resolved' && !current.resolvedAt.has(key)) current.resolvedAt.set(key, delivery.receivedAt);
    }
    if (delivery.batch.alerts.some((alert) => alert.status === 'resolved')) {
      segments.push({ ...current, batch: { ...current.batch, alerts: [...alerts.values()] } });
      current = undefined;
    }
  }
  if (current) segments.push({ ...current, batch: { ...current.batch, alerts: [...alerts.values()] } });
  return segments;
}
