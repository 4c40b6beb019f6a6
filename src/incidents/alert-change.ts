import { z } from 'zod';
import type { Prisma } from '../db/client.js';
import type { AlertBrief } from '../record/channel-post.js';

const stringsSchema = z.record(z.string(), z.string());

/** A stored alert as summarised in timeline data and channel posts; its labels and annotations are parsed, not cast. */
export function alertBrief(alert: { fingerprint: string; name: string; labels: Prisma.JsonValue; annotations: Prisma.JsonValue; generatorUrl: string | null }): AlertBrief {
  const annotations = stringsSchema.parse(alert.annotations ?? {});
  return {
    fingerprint: alert.fingerprint,
    name: alert.name,
    summary: annotations.summary ?? null,
    labels: stringsSchema.parse(alert.labels ?? {}),
    generatorUrl: alert.generatorUrl,
  };
}
