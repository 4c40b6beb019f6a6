import type { Incident, Prisma } from '../db/client.js';
import type { Deps } from '../deps.js';
import { policyFor, policySnapshot } from '../record/policy.js';
import { recordEscalationStep, type ScheduledEscalation } from '../escalation/record-escalation-step.js';
import type { AlertBatch } from './alert-signal.js';
import { STORM_KEY, findSibling, inStorm, joinIncident } from './correlate-group.js';
import { openIncidentData } from './open-incident-data.js';
import { reopenRecent } from './reopen-recent.js';
import { recordEvents } from '../record/timeline.js';
import { recordPost } from '../record/channel-post.js';

type PlaceDeps = Pick<Deps, 'runbooks' | 'config' | 'clock'>;

export interface Placement {
  incident: Incident;
  opened: boolean;
  /** The first escalation deadline, to queue after commit. */
  escalation: ScheduledEscalation | null;
}

/**
 * Where a firing alert group with no active incident goes: its recently resolved incident
 * (reopened), an incident of the same service opened within the grouping window, the storm
 * incident when new incidents come faster than the storm threshold, or a new incident.
 */
export async function placeNewGroup(tx: Prisma.TransactionClient, batch: AlertBatch, receivedAt: Date, deliveryId: string, deps: PlaceDeps): Promise<Placement> {
  const reopened = await reopenRecent(tx, batch.groupKey, deps, receivedAt);
  if (reopened) return { ...reopened, opened: false };
  const now = deps.clock.now();
  const data = openIncidentData(batch, deps.runbooks, deps.config);
  const sibling = data.correlationKey ? await findSibling(tx, data.correlationKey, deps.config, now) : null;
  if (sibling) {
    await joinIncident(tx, sibling, batch.groupKey, 'service', batch.source, receivedAt);
    return { incident: sibling, opened: false, escalation: null };
  }
  if (await inStorm(tx, deps.config, now)) {
    const storm = await tx.incident.findUnique({ where: { activeGroupKey: STORM_KEY } });
    const placement = storm ? { incident: storm, opened: false, escalation: null } : await openIncident(tx, stormData(data, deps), receivedAt, deliveryId, deps);
    await joinIncident(tx, placement.incident, batch.groupKey, 'storm', batch.source, receivedAt);
    return placement;
  }
  return openIncident(tx, data, receivedAt, deliveryId, deps);
}

type IncidentData = ReturnType<typeof openIncidentData>;

/** One incident for every alert group of a storm, so a storm cannot open hundreds of channels. */
function stormData(data: IncidentData, deps: PlaceDeps): IncidentData {
  return {
    ...data,
    title: 'Alert storm: many alert groups fired at once',
    severity: deps.config.incidents.severities[0] ?? data.severity,
    groupKey: STORM_KEY,
    activeGroupKey: STORM_KEY,
    correlationKey: STORM_KEY,
    runbookId: deps.runbooks.find((runbook) => runbook.isDefault)?.id ?? null,
    summary: `More than ${deps.config.incidents.storm_threshold} incidents opened within ${Math.round(deps.config.incidents.storm_window / 1000)} s: further alert groups join this incident.`,
    description: null,
  };
}

async function openIncident(tx: Prisma.TransactionClient, data: IncidentData, receivedAt: Date, deliveryId: string, deps: PlaceDeps): Promise<Placement> {
  const policyName = deps.runbooks.find((runbook) => runbook.id === data.runbookId)?.escalation ?? 'default';
  const policy = policyFor(deps.config, policyName);
  const incident = await tx.incident.create({
    data: { ...data, openedAt: receivedAt, policyName: policy ? policyName : null, policy: policy ? policySnapshot(policy) : undefined },
  });
  await recordEvents(tx, [
    { incidentId: incident.id, type: 'incident.opened', actor: data.source, source: 'alert', at: receivedAt, data: { title: incident.title, severity: incident.severity, runbookId: incident.runbookId, policy: incident.policyName, deliveryId } },
  ]);
  const escalation = policy ? await recordEscalationStep(tx, incident, { step: 1, level: 1, reason: 'opened', actor: 'bot', source: 'escalation', now: deps.clock.now(), schedules: deps.config.schedules }) : null;
  const announce = deps.config.channels.announce;
  if (announce) await recordPost(tx, incident.id, { kind: 'announce_opened', data: { channel: announce } });
  return { incident, opened: true, escalation };
}
