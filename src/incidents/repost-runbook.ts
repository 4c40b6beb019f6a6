import type { Deps } from '../deps.js';
import { recordEvents } from '../record/timeline.js';
import { requestSync } from '../queue/queue-after-commit.js';
import { recordPost } from '../record/channel-post.js';

export type RepostOutcome = { kind: 'posted'; incidentId: string; runbookId: string } | { kind: 'not_incident_channel' } | { kind: 'unknown_runbook'; available: string[] } | { kind: 'no_runbook' };

/**
 * `/incident runbook [id]`: posts the incident's runbook again, with working buttons; with an id,
 * the incident switches to that runbook first (the alert matched the wrong one).
 */
export async function repostRunbook(deps: Pick<Deps, 'db' | 'runbooks' | 'queues' | 'log'>, channelId: string, userId: string, runbookId?: string): Promise<RepostOutcome> {
  const incident = await deps.db.incident.findUnique({ where: { channelId } });
  if (!incident) return { kind: 'not_incident_channel' };
  const chosen = runbookId ?? incident.runbookId;
  if (!chosen) return { kind: 'no_runbook' };
  if (!deps.runbooks.some((runbook) => runbook.id === chosen)) return { kind: 'unknown_runbook', available: deps.runbooks.map((runbook) => runbook.id).sort() };
  await deps.db.$transaction(async (tx) => {
    if (chosen !== incident.runbookId) {
      await tx.incident.update({ where: { id: incident.id }, data: { runbookId: chosen, messageVersion: { increment: 1 } } });
      await recordEvents(tx, [{ incidentId: incident.id, type: 'runbook.changed', actor: userId, source: 'slack', data: { from: incident.runbookId, to: chosen } }]);
    }
    await recordPost(tx, incident.id, { kind: 'runbook', data: { runbookId: chosen, requestedBy: userId } });
  });
  await requestSync(deps, incident.id);
  return { kind: 'posted', incidentId: incident.id, runbookId: chosen };
}
