import { z } from 'zod';
import type { AlertBatch, AlertSignal } from '../../incidents/alert-signal.js';
import { boundedKey } from '../../incidents/bounded-key.js';

const labelSet = z.record(z.string(), z.string());
// Go's zero time: Alertmanager sends it as endsAt of alerts that are still firing.
const GO_ZERO_TIME = /^0001-01-01T00:00:00/;

const alertSchema = z.looseObject({
  status: z.enum(['firing', 'resolved']),
  labels: labelSet,
  annotations: labelSet.default({}),
  startsAt: z.iso.datetime({ offset: true }),
  endsAt: z.string().default('0001-01-01T00:00:00Z'),
  generatorURL: z.string().default(''),
  fingerprint: z.string().min(1).max(128),
});

/** Alertmanager's webhook payload, version 4; unknown fields are allowed (newer versions add some). */
export const alertmanagerPayloadSchema = z.looseObject({
  version: z.literal('4', { error: 'only Alertmanager webhook payload version "4" is supported' }),
  groupKey: z.string().min(1).max(8_192),
  truncatedAlerts: z.number().int().min(0).default(0),
  status: z.enum(['firing', 'resolved']),
  receiver: z.string(),
  groupLabels: labelSet.default({}),
  commonLabels: labelSet.default({}),
  commonAnnotations: labelSet.default({}),
  externalURL: z.string().default(''),
  alerts: z.array(alertSchema).min(1, 'a notification carries at least one alert').max(10_000),
});

export type AlertmanagerPayload = z.infer<typeof alertmanagerPayloadSchema>;

function toSignal(alert: AlertmanagerPayload['alerts'][number]): AlertSignal {
  const endsAt = GO_ZERO_TIME.test(alert.endsAt) ? null : new Date(alert.endsAt);
  return {
    source: 'alertmanager',
    fingerprint: alert.fingerprint,
    status: alert.status,
    name: alert.labels.alertname ?? alert.annotations.summary ?? 'alert',
    labels: alert.labels,
    annotations: alert.annotations,
    startsAt: new Date(alert.startsAt),
    endsAt: endsAt && !Number.isNaN(endsAt.getTime()) ? endsAt : null,
    generatorUrl: alert.generatorURL || null,
  };
}

/** Translates an Alertmanager notification into the bot's alert batch. */
export function alertmanagerBatch(payload: AlertmanagerPayload): AlertBatch {
  // One row per alert instance: a duplicate in the same payload keeps its last occurrence.
  const alerts = [...new Map(payload.alerts.map(toSignal).map((alert) => [`${alert.fingerprint}|${alert.startsAt.toISOString()}`, alert])).values()];
  const first = alerts[0];
  const title = payload.commonAnnotations.summary ?? payload.commonLabels.alertname ?? payload.groupLabels.alertname ?? first?.annotations.summary ?? first?.name ?? 'Alert';
  return {
    source: 'alertmanager',
    groupKey: boundedKey(`alertmanager:${payload.groupKey}`),
    status: payload.status,
    title,
    externalUrl: payload.externalURL || null,
    commonLabels: payload.commonLabels,
    alerts,
  };
}
