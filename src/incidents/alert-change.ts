import type { Prisma } from '../db/client.js';

/** A short summary of an alert for timeline data and channel posts. */
export interface AlertBrief {
  fingerprint: string;
  name: string;
  summary: string | null;
  labels: Record<string, string>;
  generatorUrl: string | null;
}

export function alertBrief(alert: { fingerprint: string; name: string; labels: Prisma.JsonValue; annotations: Prisma.JsonValue; generatorUrl: string | null }): AlertBrief {
  const annotations = (alert.annotations ?? {}) as Record<string, string>;
  return {
    fingerprint: alert.fingerprint,
    name: alert.name,
    summary: annotations.summary ?? null,
    labels: (alert.labels ?? {}) as Record<string, string>,
    generatorUrl: alert.generatorUrl,
  };
}

/** Data of a channel post of kind `alerts_changed`: what one delivery changed in an incident. */
export interface AlertsChangedPost {
  firing: AlertBrief[];
  resolved: AlertBrief[];
}
