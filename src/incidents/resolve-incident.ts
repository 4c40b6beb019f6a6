import type { Deps } from '../deps.js';
import type { Incident, Prisma } from '../db/client.js';
import { mayAcknowledge, pagedPeople, policyOf } from '../record/policy.js';
import { lockIncident } from '../record/lock-incident.js';
import { recordEvents, type EventSource } from '../record/timeline.js';
import { requestReminder, requestSync } from '../queue/queue-after-commit.js';
import type { BotConfig } from '../config/config-file.js';
import { openReviewLocked } from '../review/open-review.js';
import type { ScheduledReminder } from '../review/reminder-schedule.js';
import { recordPost } from '../record/channel-post.js';
import { resolvePublicIncidentLocked } from '../status-page/resolve-public-incident.js';

export type ResolveOutcome = { kind: 'resolved'; incidentNumber: number } | { kind: 'already' } | { kind: 'not_found' } | { kind: 'refused' };

export interface ResolveRequest {
  actor: string;
  source: EventSource;
  summary?: string;
}

/** Resolves an incident: stops all escalation, frees its alert group for a new incident, and says so in the channel. */
export async function resolveIncident(deps: Pick<Deps, 'db' | 'clock' | 'queues' | 'log' | 'config'>, incidentId: string, request: ResolveRequest): Promise<ResolveOutcome> {
  let reminder: ScheduledReminder | null = null;
  const outcome = await deps.db.$transaction(async (tx): Promise<ResolveOutcome> => {
    const incident = await lockIncident(tx, incidentId);
    // Timed once the lock is held, so the timeline's order is the order of the commits.
    const now = deps.clock.now();
    if (!incident) return { kind: 'not_found' };
    if (incident.status === 'resolved') return { kind: 'already' };
    // The people who may acknowledge may resolve: resolving stops escalation just as surely.
    const paged = pagedPeople(await tx.escalation.findMany({ where: { incidentId }, select: { notify: true } }));
    if (!mayAcknowledge(policyOf(incident), request.actor, deps.config.responders, { schedules: deps.config.schedules, paged })) return { kind: 'refused' };
    reminder = await resolveLocked(tx, incident, request, now, deps.config);
    return { kind: 'resolved', incidentNumber: incident.number };
  });
  if (outcome.kind === 'resolved') {
    await requestSync(deps, incidentId);
    if (reminder) await requestReminder(deps, reminder);
  }
  return outcome;
}

/**
 * The resolution itself, inside a transaction that holds the incident's row lock; it opens (or
 * re-opens) the review and returns its first reminder, to queue after commit.
 */
export async function resolveLocked(tx: Prisma.TransactionClient, incident: Incident, request: ResolveRequest, now: Date, config: Pick<BotConfig, 'channels' | 'reviews'>): Promise<ScheduledReminder | null> {
  await tx.incident.update({
    where: { id: incident.id },
    data: { status: 'resolved', resolvedAt: now, activeGroupKey: null, nextEscalationAt: null, escalationToken: null, messageVersion: { increment: 1 } },
  });
  await tx.incidentKey.updateMany({ where: { incidentId: incident.id }, data: { activeKey: null } });
  await recordEvents(tx, [{ incidentId: incident.id, type: 'incident.resolved', actor: request.actor, source: request.source, at: now, data: { summary: request.summary ?? null } }]);
  await recordPost(tx, incident.id, { kind: 'resolved', data: { by: request.actor, summary: request.summary ?? null } });
  if (config.channels.announce) await recordPost(tx, incident.id, { kind: 'announce_resolved', data: { channel: config.channels.announce } });
  await resolvePublicIncidentLocked(tx, incident.id, now);
  return openReviewLocked(tx, incident, request.actor, now, config.reviews);
}
