import type { Deps } from '../deps.js';
import { lockIncident } from '../record/lock-incident.js';
import { recordEvents } from '../record/timeline.js';
import { requestSync } from '../queue/queue-after-commit.js';

export type SeverityOutcome = { kind: 'changed'; from: string; to: string } | { kind: 'unchanged' } | { kind: 'bad_severity'; allowed: string[] } | { kind: 'not_found' };

/** `/incident severity <s>`: the message, the topic and the timeline follow. */
export async function changeSeverity(deps: Pick<Deps, 'db' | 'config' | 'clock' | 'queues' | 'log'>, incidentId: string, severity: string, userId: string): Promise<SeverityOutcome> {
  const allowed = deps.config.incidents.severities;
  const to = severity.toLowerCase();
  if (!allowed.includes(to)) return { kind: 'bad_severity', allowed };
  const outcome = await deps.db.$transaction(async (tx): Promise<SeverityOutcome> => {
    const incident = await lockIncident(tx, incidentId);
    if (!incident) return { kind: 'not_found' };
    if (incident.severity === to) return { kind: 'unchanged' };
    await tx.incident.update({ where: { id: incidentId }, data: { severity: to, messageVersion: { increment: 1 } } });
    await recordEvents(tx, [{ incidentId, type: 'incident.severity_changed', actor: userId, source: 'slack', at: deps.clock.now(), data: { from: incident.severity, to } }]);
    return { kind: 'changed', from: incident.severity, to };
  });
  if (outcome.kind === 'changed') await requestSync(deps, incidentId);
  return outcome;
}
