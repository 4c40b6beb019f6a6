import type { BotConfig } from '../config/config-file.js';
import type { ScheduledReminder } from '../queue/jobs.js';

export type ReviewReminderKind = 'due_soon' | 'overdue';

export type { ScheduledReminder };

type Reviews = BotConfig['reviews'];

/**
 * Reminder steps of a review due at `dueAt`: step 0 comes `remind_before` ahead of it, steps
 * 1…`overdue_reminders` at the due time and then every `overdue_every`.
 */
export function reminderAt(step: number, dueAt: Date, reviews: Reviews): Date | null {
  if (step === 0) return new Date(dueAt.getTime() - reviews.remind_before);
  if (step > reviews.overdue_reminders) return null;
  return new Date(dueAt.getTime() + (step - 1) * reviews.overdue_every);
}

export function reminderKind(step: number): ReviewReminderKind {
  return step === 0 ? 'due_soon' : 'overdue';
}

/**
 * The first step at or after `fromStep` whose time is still ahead of `now`. Steps whose time has
 * passed are skipped, not sent late one after another: a "due soon" when the due time is already
 * close, and, after the workers were down for days, the overdue reminders the one just sent
 * stands for.
 */
export function nextReminder(fromStep: number, dueAt: Date, now: Date, reviews: Reviews): { step: number; at: Date } | null {
  for (let step = fromStep; ; step++) {
    const at = reminderAt(step, dueAt, reviews);
    if (!at) return null;
    if (at > now) return { step, at };
  }
}
