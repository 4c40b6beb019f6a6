import { z } from 'zod';

/** The status a stakeholder update declares (not the incident's own open/acknowledged/resolved). */
export const UPDATE_STATUSES = ['investigating', 'identified', 'monitoring', 'resolved'] as const;
export const updateStatusSchema = z.enum(UPDATE_STATUSES);
export type UpdateStatus = z.infer<typeof updateStatusSchema>;

/** A stored status, parsed: an unknown one (an old row) reads as investigating. */
export function parseUpdateStatus(value: string | null | undefined): UpdateStatus {
  const parsed = updateStatusSchema.safeParse(value);
  return parsed.success ? parsed.data : 'investigating';
}

/** How long a snooze of the update reminder lasts. */
export const SNOOZE_MS = 30 * 60_000;
