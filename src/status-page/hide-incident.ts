import type { Deps } from '../deps.js';
import { lockIncident } from '../record/lock-incident.js';
import { recordEvents, type EventSource } from '../record/timeline.js';
import { notifyStatusChange } from './notify-status-change.js';

export type HideOutcome = { kind: 'hidden' } | { kind: 'not_published' } | { kind: 'not_found' };

/** Takes an incident off the status page (its public record stays, for a later publish). */
export async function hideIncident(deps: Pick<Deps, 'db' | 'clock' | 'log'>, incidentId: string, request: { by: string; source: EventSource }): Promise<HideOutcome> {
  const outcome = await deps.db.$transaction(async (tx): Promise<HideOutcome> => {
    const incident = await lockIncident(tx, incidentId);
    const now = deps.clock.now();
    if (!incident) return { kind: 'not_found' };
    const hidden = await tx.publicIncident.updateMany({ where: { incidentId, hiddenAt: null }, data: { hiddenAt: now, updatedAt: now } });
    if (hidden.count === 0) return { kind: 'not_published' };
    await recordEvents(tx, [{ incidentId, type: 'statuspage.hidden', actor: request.by, source: request.source, at: now, data: {} }]);
    await notifyStatusChange(tx);
    return { kind: 'hidden' };
  });
  if (outcome.kind === 'hidden') deps.log.info({ incidentId }, 'taken off the status page');
  return outcome;
}
