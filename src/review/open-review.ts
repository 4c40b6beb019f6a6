import { parseTimelineEvent } from '../record/timeline.js';
import { randomUUID } from 'node:crypto';
import type { BotConfig } from '../config/config-file.js';
import type { Incident, Prisma } from '../db/client.js';
import { lockReviewOf } from './lock-review.js';
import { nextReminder, type ScheduledReminder } from './reminder-schedule.js';
import { isSlackUser } from './review-format.js';


/**
 * Who owns the review: the incident's commander; else whoever acknowledged; else the last escalation level paged (its first
 * person, or its first user group); else whoever declared the incident; else whoever resolved it.
 */
async function chooseOwner(tx: Prisma.TransactionClient, incident: Incident, resolvedBy: string): Promise<string | null> {
  const commander = await tx.incidentRole.findUnique({ where: { incidentId_role: { incidentId: incident.id, role: 'commander' } }, select: { userId: true } });
  if (commander) return commander.userId;
  if (incident.acknowledgedBy) return incident.acknowledgedBy;
  const last = await tx.escalation.findFirst({ where: { incidentId: incident.id }, orderBy: { step: 'desc' }, select: { notify: true } });
  const notified = Array.isArray(last?.notify) ? last.notify.filter((entry): entry is string => typeof entry === 'string') : [];
  const fromLevel = notified.find((id) => isSlackUser(id)) ?? notified.find((id) => id.startsWith('S'));
  if (fromLevel) return fromLevel;
  const row = await tx.timelineEvent.findFirst({ where: { incidentId: incident.id, type: 'incident.opened' }, select: { id: true, type: true, source: true, data: true } });
  const opened = row ? parseTimelineEvent(row) : null;
  const declaredBy = opened?.type === 'incident.opened' ? opened.data.declaredBy : undefined;
  if (declaredBy) return declaredBy;
  return isSlackUser(resolvedBy) ? resolvedBy : null;
}

/**
 * Opens the incident's review as it resolves (inside the resolution's transaction, which holds
 * the incident's row lock): due `reviews.due_after` from now, with its first reminder planned. A
 * re-resolution (after a reopen) asks for a new draft, keeps what people wrote and the owner they
 * had, and makes the review due again from this resolution, unless it was already done.
 */
export async function openReviewLocked(tx: Prisma.TransactionClient, incident: Incident, resolvedBy: string, now: Date, reviews: BotConfig['reviews']): Promise<ScheduledReminder | null> {
  const dueAt = new Date(now.getTime() + reviews.due_after);
  const first = nextReminder(0, dueAt, now, reviews);
  const token = randomUUID();
  const plan = { state: 'draft' as const, resolvedAt: now, dueAt, completedAt: null, completedBy: null, reminderStep: first?.step ?? 0, nextReminderAt: first?.at ?? null, reminderToken: first ? token : null };
  const existing = await lockReviewOf(tx, incident.id);
  if (existing?.state === 'done') {
    // Done stays done: the draft is redone with the new figures, without a new due time or reminders.
    await tx.review.update({ where: { incidentId: incident.id }, data: { resolvedAt: now, revision: { increment: 1 } } });
    return null;
  }
  const review = existing
    ? await tx.review.update({ where: { incidentId: incident.id }, data: { ...plan, owner: existing.owner ?? (await chooseOwner(tx, incident, resolvedBy)), revision: { increment: 1 } } })
    : await tx.review.create({ data: { ...plan, incidentId: incident.id, owner: await chooseOwner(tx, incident, resolvedBy) } });
  return first ? { reviewId: review.id, step: first.step, token, at: first.at } : null;
}

/** A reopened incident's review is not due while the incident is open again: its reminders stop until the next resolution. */
export async function pauseReviewLocked(tx: Prisma.TransactionClient, incidentId: string): Promise<void> {
  await tx.review.updateMany({ where: { incidentId }, data: { nextReminderAt: null, reminderToken: null } });
}
