import type { Incident, Prisma } from '../db/client.js';
import type { Deps } from '../deps.js';
import { nextStep, recordEscalationStep, type ScheduledEscalation } from '../escalation/record-escalation-step.js';
import { lockIncident } from '../record/lock-incident.js';
import { recordEvents } from '../record/timeline.js';
import { pauseReviewLocked } from '../review/open-review.js';
import { recordPost } from '../record/channel-post.js';

/**
 * An alert group whose incident was resolved within `reopen_window` reopens that incident (and
 * pages L1 again) rather than opening a new one.
 */
export async function reopenRecent(tx: Prisma.TransactionClient, groupKey: string, deps: Pick<Deps, 'config' | 'clock'>, at: Date): Promise<{ incident: Incident; escalation: ScheduledEscalation | null } | null> {
  const since = new Date(at.getTime() - deps.config.incidents.reopen_window);
  const recent = await tx.incident.findFirst({ where: { groupKey, status: 'resolved', resolvedAt: { gte: since } }, orderBy: { resolvedAt: 'desc' } });
  if (!recent) return null;
  const locked = await lockIncident(tx, recent.id);
  if (!locked || locked.status !== 'resolved') return null;
  const now = deps.clock.now();
  const incident = await tx.incident.update({
    where: { id: recent.id },
    data: { status: 'reopened', activeGroupKey: groupKey, resolvedAt: null, reopenedAt: now, acknowledgedAt: null, acknowledgedBy: null, archivedAt: null, messageVersion: { increment: 1 } },
  });
  await recordEvents(tx, [{ incidentId: incident.id, type: 'incident.reopened', actor: incident.source, source: 'alert', at: now, data: { resolvedAt: recent.resolvedAt?.toISOString() ?? null } }]);
  await recordPost(tx, incident.id, { kind: 'reopened', data: {} });
  await pauseReviewLocked(tx, incident.id);
  const escalation = incident.policy ? await recordEscalationStep(tx, incident, { step: await nextStep(tx, incident.id), level: 1, reason: 'reopened', actor: 'bot', source: 'escalation', now, schedules: deps.config.schedules }) : null;
  return { incident, escalation };
}
