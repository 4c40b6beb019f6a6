import { IANAZone } from 'luxon';
import { z } from 'zod';
import { parseDuration } from './duration.js';

const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
const SHORT_DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const CLOCK = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** A wall-clock time of day, minutes after midnight. */
function clockMinutes(text: string): number | undefined {
  const match = CLOCK.exec(text);
  return match ? Number(match[1]) * 60 + Number(match[2]) : undefined;
}

/** How a layer rotates: whole calendar days (daily, weekly, `3d`) keep wall-clock time across DST; `12h` is elapsed time. */
export type Rotation = { kind: 'days'; days: number } | { kind: 'elapsed'; ms: number };

const rotationSchema = z.string().transform((text, ctx): Rotation => {
  if (text === 'daily') return { kind: 'days', days: 1 };
  if (text === 'weekly') return { kind: 'days', days: 7 };
  const whole = /^(\d+)d$/.exec(text);
  if (whole) return { kind: 'days', days: Number(whole[1]) };
  const ms = parseDuration(text);
  if (ms === undefined || ms < 60_000) {
    ctx.addIssue({ code: 'custom', message: `"${text}" is not a rotation: use daily, weekly or a duration such as 12h or 3d` });
    return z.NEVER;
  }
  return { kind: 'elapsed', ms };
});

/** One restriction window: from `startMinute` on each of `days` (1 = Monday … 7 = Sunday) for `lengthMinutes`. */
export interface Restriction {
  /** As written in the config file. */
  text: string;
  days: number[];
  startMinute: number;
  lengthMinutes: number;
}

const dayIndex = (text: string) => SHORT_DAYS.indexOf(text.slice(0, 3) as (typeof SHORT_DAYS)[number]) + 1;

const restrictionSchema = z.string().transform((text, ctx): Restriction => {
  const match = /^(?:([a-z]{3})(?:-([a-z]{3}))?|daily) (\d\d:\d\d)-(\d\d:\d\d)$/.exec(text.trim().toLowerCase());
  const from = match?.[1] ? dayIndex(match[1]) : 1;
  const to = match?.[2] ? dayIndex(match[2]) : match?.[1] ? from : 7;
  const start = match ? clockMinutes(match[3] as string) : undefined;
  const endText = match?.[4] as string;
  const end = endText === '24:00' ? 1440 : clockMinutes(endText);
  if (!match || from < 1 || to < 1 || start === undefined || end === undefined || end === start) {
    ctx.addIssue({ code: 'custom', message: `"${text}" is not a restriction such as "mon-fri 09:00-17:00", "sat 10:00-14:00" or "daily 22:00-06:00"` });
    return z.NEVER;
  }
  const days: number[] = [];
  for (let day = from; ; day = (day % 7) + 1) {
    days.push(day);
    if (day === to) break;
  }
  // An end before the start runs overnight into the next day.
  return { text, days, startMinute: start, lengthMinutes: end > start ? end - start : 1440 - start + end };
});

const layerSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'layer names use lowercase letters, digits, - and _'),
    users: z.array(z.string().regex(/^[UW][A-Z0-9]{2,}$/, 'must be a Slack user ID (U… or W…)')).min(1, 'a layer needs at least one user'),
    rotation: rotationSchema,
    handoff: z.string(),
    /** Absent: the rotation counts from Monday 2024-01-01, so the order is fixed but the first person arbitrary. */
    start: z.iso.date('must be a date such as 2026-11-02').default('2024-01-01'),
    restrict: z.array(restrictionSchema).default([]),
  })
  .strict()
  .transform((layer, ctx) => {
    const weekly = layer.rotation.kind === 'days' && layer.rotation.days === 7;
    const match = weekly ? /^([a-z]+) (\d\d:\d\d)$/.exec(layer.handoff.trim().toLowerCase()) : /^()(\d\d:\d\d)$/.exec(layer.handoff.trim());
    const weekday = weekly ? WEEKDAYS.indexOf(match?.[1] as (typeof WEEKDAYS)[number]) + 1 : 0;
    const minute = match ? clockMinutes(match[2] as string) : undefined;
    if (!match || minute === undefined || (weekly && weekday < 1)) {
      ctx.addIssue({ code: 'custom', path: ['handoff'], message: `"${layer.handoff}" does not parse: ${weekly ? 'a weekly rotation hands off at "<weekday> HH:MM", e.g. "monday 10:00"' : 'use "HH:MM", e.g. "09:00"'}` });
      return z.NEVER;
    }
    return { ...layer, handoffWeekday: weekday, handoffMinute: minute };
  });

export const scheduleSchema = z
  .object({
    time_zone: z.string().refine((zone) => IANAZone.isValidZone(zone), { message: 'is not a known IANA time zone (such as Europe/Berlin)' }),
    layers: z.array(layerSchema).min(1, 'a schedule needs at least one layer'),
    handoff_notify: z.string().regex(/^[CG][A-Z0-9]+$/, 'must be a channel ID (C…)').optional(),
    slack_usergroup: z.string().regex(/^S[A-Z0-9]+$/, 'must be a user group ID (S…)').optional(),
  })
  .strict();

export const schedulesSchema = z.record(z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'schedule names use lowercase letters, digits, - and _'), scheduleSchema).default({});

export type Schedule = z.infer<typeof scheduleSchema>;
export type Layer = Schedule['layers'][number];
export type Schedules = z.infer<typeof schedulesSchema>;

/** `schedule:<name>` in a notify list. */
export const SCHEDULE_PREFIX = 'schedule:';
