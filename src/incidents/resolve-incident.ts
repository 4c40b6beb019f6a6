import type { Deps } from '../deps.js';
import { lockIncident } from '../escalation/record-escalation-step.js';
import { recordEvents, type EventSource } from './timeline.js';

export type ResolveOutcome = { kind: 'resolved'; incidentNumber: number } | { kind: 'already' } | { kind: 'not_found' };

/** Resolves an incident: stops all escalation, frees its alert group for a new incident, and says so in the channel. */
export async function resolveIncident(deps: Pick<Deps, 'db' | 'clock' | 'queues' | 'log'>, incidentId: string, request: { actor: string; source: EventSource; summary?: string }): Promise<ResolveOutcome> {
  const now = deps.clock.now();
  const outcome = await deps.db.$transaction(async (tx): Promise<ResolveOutcome> => {
    const incident = await lockIncident(tx, incidentId);
    if (!incident) return { kind: 'not_found' };
    if (incident.status === 'resolved') return { kind: 'already' };
    await tx.incident.update({
      where: { id: incidentId },
      data: { status: 'resolved', resolvedAt: now, activeGroupKey: null, nextEscalationAt: null, escalationToken: null, messageVersion: { increment: 1 } },
    });
    await recordEvents(tx, [{ incidentId, type: 'incident.resolved', actor: request.actor, source: request.source, at: now, data: { summary: request.summary ?? null } }]);
    await tx.channelPost.create({ data: { incidentId, kind: 'resolved', data: { by: request.actor, summary: request.summary ?? null } } });
    return { kind: 'resolved', incidentNumber: incident.number };
  });
  if (outcome.kind === 'resolved') await deps.queues.syncIncident(incidentId).catch((error: unknown) => deps.log.warn({ err: error, incidentId }, 'could not queue the Slack sync; the relay will'));
  return outcome;
}
