import { z } from 'zod';
import type { EventWords } from '../record/describe-event.js';
import type { ReviewFacts } from './review-facts.js';
import { inline, who } from './review-format.js';

export type Event = ReviewFacts['timeline'][number];

export const str = (value: unknown): string => (value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value));
export const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;
const stringsSchema = z.record(z.string(), z.string());
/** Stored labels or annotations, parsed; anything else reads as none. */
export const labelsOf = (value: unknown): Record<string, string> => {
  const parsed = stringsSchema.safeParse(value);
  return parsed.success ? parsed.data : {};
};

export function notified(value: unknown): string {
  return Array.isArray(value) && value.length > 0 ? value.map((entry) => who(str(entry))).join(', ') : '—';
}

/** The review's words for the record: Markdown-safe text, people as Slack mentions. */
export const REVIEW_WORDS: EventWords = { text: (value, max) => inline(value, max), who };

export interface Computed {
  start: Date;
  /** The level of the last escalation step at or before a time (null before the first). */
  levelAt: (at: Date) => number | null;
  day: string;
  firstAlertStart: Date | null;
  firstAck: { at: Date; by: string | null; level: number | null } | null;
  laterAcks: { at: Date; by: string }[];
  resolution: { at: Date; by: string | null; summary: string | null } | null;
  cycles: Event[];
  declaredBy: string | null;
}

export function compute(facts: ReviewFacts): Computed {
  const { incident, alerts, timeline } = facts;
  let firstAlertStart: Date | null = null;
  for (const alert of alerts) if (!firstAlertStart || alert.startsAt < firstAlertStart) firstAlertStart = alert.startsAt;
  const start = firstAlertStart && firstAlertStart < incident.openedAt ? firstAlertStart : incident.openedAt;

  const steps = [...facts.escalations].sort((a, b) => a.at.getTime() - b.at.getTime() || a.step - b.step);
  const levelAt = (time: Date): number | null => {
    let level: number | null = null;
    for (const step of steps) {
      if (step.at > time) break;
      level = step.level;
    }
    return level;
  };

  const acks = timeline.filter((event) => event.type === 'incident.acknowledged');
  const [first, ...later] = acks;
  const firstAck = first
    ? { at: first.at, by: first.actor, level: levelAt(first.at) ?? first.data.level }
    : incident.acknowledgedAt
      ? { at: incident.acknowledgedAt, by: incident.acknowledgedBy, level: levelAt(incident.acknowledgedAt) }
      : null;

  // The incident row says whether it is resolved now (a reopen clears resolvedAt); the timeline says by whom.
  const lastResolved = [...timeline].reverse().find((event) => event.type === 'incident.resolved');
  const resolution = incident.resolvedAt
    ? { at: incident.resolvedAt, by: lastResolved?.actor ?? null, summary: lastResolved?.data.summary || null }
    : null;
  const opened = timeline.find((event) => event.type === 'incident.opened');
  const declaredBy = opened?.data.declaredBy || null;
  return {
    start,
    levelAt,
    day: start.toISOString().slice(0, 10),
    firstAlertStart,
    firstAck,
    laterAcks: later.map((event) => ({ at: event.at, by: event.actor })),
    resolution,
    cycles: timeline.filter((event) => event.type === 'incident.resolved' || event.type === 'incident.reopened'),
    declaredBy: declaredBy ?? (incident.source === 'manual' ? '' : null),
  };
}

export function servicesOf(facts: ReviewFacts): string[] {
  const services = new Set<string>();
  for (const alert of facts.alerts) {
    const labels = labelsOf(alert.labels);
    const service = labels.service ?? labels.job;
    if (service) services.add(service);
  }
  if (services.size === 0) {
    const labels = labelsOf(facts.incident.labels);
    const service = labels.service ?? labels.job;
    if (service) services.add(service);
  }
  return [...services].sort();
}
