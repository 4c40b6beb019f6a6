import { randomUUID } from 'node:crypto';
import type { Prisma } from '../db/client.js';
import type { Deps } from '../deps.js';
import { policyFor, policySnapshot } from '../record/policy.js';
import { recordEscalationStep, type ScheduledEscalation } from '../escalation/record-escalation-step.js';
import { recordEvents } from '../record/timeline.js';
import { requestSync, requestDeadline } from '../queue/queue-after-commit.js';
import { recordPost } from '../record/channel-post.js';

export type DeclareOutcome = { kind: 'declared'; incidentId: string; number: number } | { kind: 'bad_severity'; allowed: string[] };

/**
 * `/incident declare <title> [--severity s]`: opens an incident by hand, with its channel, the
 * default runbook and escalation. Declared incidents never resolve by themselves.
 */
export async function declareIncident(deps: Pick<Deps, 'db' | 'runbooks' | 'config' | 'clock' | 'queues' | 'log' | 'metrics'>, request: { title: string; severity?: string; userId: string }): Promise<DeclareOutcome> {
  const allowed = deps.config.incidents.severities;
  const severity = request.severity?.toLowerCase() ?? allowed[Math.min(1, allowed.length - 1)] ?? 'major';
  if (!allowed.includes(severity)) return { kind: 'bad_severity', allowed };
  const runbook = deps.runbooks.find((candidate) => candidate.isDefault);
  const policyName = runbook?.escalation ?? 'default';
  const policy = policyFor(deps.config, policyName);
  const groupKey = `manual:${randomUUID()}`;
  const now = deps.clock.now();
  const { incident, escalation } = await deps.db.$transaction(async (tx) => {
    const created = await tx.incident.create({
      data: {
        title: request.title.slice(0, 200),
        severity,
        source: 'manual',
        groupKey,
        activeGroupKey: groupKey,
        runbookId: runbook?.id ?? null,
        openedAt: now,
        policyName: policy ? policyName : null,
        policy: policy ? policySnapshot(policy) : undefined,
      },
    });
    await recordEvents(tx, [{ incidentId: created.id, type: 'incident.opened', actor: request.userId, source: 'slack', at: now, data: { title: created.title, severity, runbookId: created.runbookId, policy: created.policyName, declaredBy: request.userId } }]);
    await recordPost(tx, created.id, { kind: 'declared', data: { by: request.userId } });
    const announce = deps.config.channels.announce;
    if (announce) await recordPost(tx, created.id, { kind: 'announce_opened', data: { channel: announce } });
    const first: ScheduledEscalation | null = policy ? await recordEscalationStep(tx, created, { step: 1, level: 1, reason: 'opened', actor: 'bot', source: 'escalation', now, schedules: deps.config.schedules }) : null;
    return { incident: created, escalation: first };
  });
  deps.metrics.incidentsOpened.inc({ source: 'manual', severity });
  if (escalation) await requestDeadline(deps, escalation);
  await requestSync(deps, incident.id);
  return { kind: 'declared', incidentId: incident.id, number: incident.number };
}
