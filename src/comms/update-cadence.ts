import { randomUUID } from 'node:crypto';
import type { BotConfig } from '../config/config-file.js';
import type { Prisma } from '../db/client.js';

import type { ScheduledUpdateReminder } from '../queue/jobs.js';

export type { ScheduledUpdateReminder };

/** How often updates are due for a severity (`updates.remind_every`); undefined: no reminders. */
export function remindEvery(config: Pick<BotConfig, 'updates'>, severity: string): number | undefined {
  return config.updates.remind_every[severity.toLowerCase()];
}

/**
 * Sets when the next update is due (inside a transaction holding the incident's row lock), with a
 * fresh token so that any reminder job planned before is stale; null removes the cadence.
 */
export async function planCadenceLocked(tx: Prisma.TransactionClient, incidentId: string, nextDueAt: Date | null): Promise<ScheduledUpdateReminder | null> {
  if (!nextDueAt) {
    await tx.updateCadence.deleteMany({ where: { incidentId } });
    return null;
  }
  const token = randomUUID();
  const plan = { nextDueAt, reminderToken: token, remindedAt: null };
  await tx.updateCadence.upsert({ where: { incidentId }, create: { incidentId, ...plan }, update: plan });
  return { incidentId, token, at: nextDueAt };
}
