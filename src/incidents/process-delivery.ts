import type { Incident, Prisma } from '../db/client.js';
import type { Deps } from '../deps.js';
import { batchFromDelivery } from '../ingest/batch-from-delivery.js';
import { alertBrief, type AlertsChangedPost } from './alert-change.js';
import { openIncidentData } from './open-incident-data.js';
import { recordEvents, type NewTimelineEvent } from './timeline.js';
import { policyFor } from '../escalation/policy.js';
import { lockIncident, nextStep, recordEscalationStep, type ScheduledEscalation } from '../escalation/record-escalation-step.js';
import { resolveLocked } from './resolve-incident.js';

export interface DeliveryOutcome {
  incidentId: string | null;
  opened: boolean;
  /** The first escalation deadline of a new incident, to queue after commit. */
  escalation?: ScheduledEscalation | null;
}

/**
 * Correlates a stored delivery into its incident: opens one for a new alert group, or records
 * what changed on the existing one, with timeline events and the channel posts that announce it.
 * Deliveries of one group are serialised by an advisory lock (several workers and processes may
 * run), and `incidents.active_group_key` is unique, so a group never gets two open incidents.
 * Safe to run twice: a processed delivery is skipped.
 */
export async function processDelivery(deps: Pick<Deps, 'db' | 'runbooks' | 'config' | 'metrics' | 'log' | 'clock'>, deliveryId: string): Promise<DeliveryOutcome> {
  const outcome = await deps.db.$transaction(
    async (tx) => {
      const delivery = await tx.webhookDelivery.findUnique({ where: { id: deliveryId } });
      if (!delivery) throw new Error(`delivery ${deliveryId} does not exist`);
      if (delivery.processedAt) return null;
      const batch = batchFromDelivery(delivery);
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${batch.groupKey}, 0))`;
      // Re-read under the lock: another worker may have processed this delivery meanwhile.
      const locked = await tx.webhookDelivery.findUnique({ where: { id: deliveryId }, select: { processedAt: true } });
      if (locked?.processedAt) return null;

      const actor = batch.source;
      const events: NewTimelineEvent[] = [];
      let incident = await tx.incident.findUnique({ where: { activeGroupKey: batch.groupKey } });
      let opened = false;
      let escalation: ScheduledEscalation | null = null;
      // The stored rows decide, not the notification: a late retry of an old "firing" must not
      // reopen or open anything for an alert that has resolved since.
      const firing = incident ? 0 : await tx.alert.count({ where: { source: batch.source, status: 'firing', OR: batch.alerts.map((alert) => ({ fingerprint: alert.fingerprint, startsAt: alert.startsAt })) } });
      if (!incident && firing > 0) {
        const reopened = await reopenRecent(tx, batch.groupKey, deps, delivery.receivedAt);
        if (reopened) {
          incident = reopened.incident;
          escalation = reopened.escalation;
        }
      }
      if (!incident && firing > 0) {
        const data = openIncidentData(batch, deps.runbooks, deps.config);
        const policyName = deps.runbooks.find((runbook) => runbook.id === data.runbookId)?.escalation ?? 'default';
        const policy = policyFor(deps.config, policyName);
        incident = await tx.incident.create({ data: { ...data, openedAt: delivery.receivedAt, policyName: policy ? policyName : null, policy: policy ? (policy as unknown as Prisma.InputJsonObject) : undefined } });
        opened = true;
        await recordEvents(tx, [{ incidentId: incident.id, type: 'incident.opened', actor, source: 'alert', at: delivery.receivedAt, data: { title: incident.title, severity: incident.severity, runbookId: incident.runbookId, policy: incident.policyName, deliveryId } }]);
        if (policy) escalation = await recordEscalationStep(tx, incident, { step: 1, level: 1, reason: 'opened', actor: 'bot', source: 'escalation', now: deps.clock.now() });
        const announce = deps.config.channels.announce;
        if (announce) await tx.channelPost.create({ data: { incidentId: incident.id, kind: 'announce_opened', data: { channel: announce } } });
      }
      // Resolutions for a group without an open incident belong to its most recent one.
      incident ??= await tx.incident.findFirst({ where: { groupKey: batch.groupKey }, orderBy: { openedAt: 'desc' } });

      if (incident) {
        const change = await recordAlertChanges(tx, incident.id, batch, delivery.receivedAt, actor, events);
        const changed = change.firing.length + change.resolved.length > 0;
        if (changed && !opened) await tx.channelPost.create({ data: { incidentId: incident.id, kind: 'alerts_changed', data: change as unknown as Prisma.InputJsonObject } });
        if (changed) await tx.incident.update({ where: { id: incident.id }, data: { messageVersion: { increment: 1 } } });
        await recordEvents(tx, events);
        if (change.resolved.length > 0) await autoResolve(tx, incident.id, actor, deps);
      }
      await tx.webhookDelivery.update({ where: { id: deliveryId }, data: { processedAt: new Date() } });
      return { incidentId: incident?.id ?? null, opened, severity: incident?.severity ?? '', source: batch.source, escalation };
    },
    { timeout: 20_000, maxWait: 10_000 },
  );
  if (!outcome) return { incidentId: null, opened: false };
  if (outcome.opened) deps.metrics.incidentsOpened.inc({ source: outcome.source, severity: outcome.severity });
  return { incidentId: outcome.incidentId, opened: outcome.opened, escalation: outcome.escalation };
}

/**
 * An alert group whose incident was resolved within `reopen_window` reopens that incident (and
 * pages L1 again) rather than opening a new one.
 */
async function reopenRecent(tx: Prisma.TransactionClient, groupKey: string, deps: Pick<Deps, 'config' | 'clock'>, at: Date): Promise<{ incident: Incident; escalation: ScheduledEscalation | null } | null> {
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
  await tx.channelPost.create({ data: { incidentId: incident.id, kind: 'reopened', data: {} } });
  const escalation = incident.policy ? await recordEscalationStep(tx, incident, { step: await nextStep(tx, incident.id), level: 1, reason: 'reopened', actor: 'bot', source: 'escalation', now }) : null;
  return { incident, escalation };
}

/** Every alert of the incident has resolved: the incident resolves too (unless turned off, or declared by hand). */
async function autoResolve(tx: Prisma.TransactionClient, incidentId: string, actor: string, deps: Pick<Deps, 'config' | 'clock'>): Promise<void> {
  if (!deps.config.incidents.auto_resolve) return;
  const incident = await lockIncident(tx, incidentId);
  if (!incident || incident.status === 'resolved' || incident.source === 'manual') return;
  if ((await tx.alert.count({ where: { incidentId, status: 'firing' } })) > 0) return;
  await resolveLocked(tx, incident, { actor, source: 'alert', summary: 'every alert has resolved' }, deps.clock.now(), deps.config.channels.announce);
}

/** Links the batch's alerts to the incident and records what is new since the timeline last looked. */
async function recordAlertChanges(
  tx: Prisma.TransactionClient,
  incidentId: string,
  batch: ReturnType<typeof batchFromDelivery>,
  at: Date,
  actor: string,
  events: NewTimelineEvent[],
): Promise<AlertsChangedPost> {
  const rows = await tx.alert.findMany({
    where: { source: batch.source, OR: batch.alerts.map((alert) => ({ fingerprint: alert.fingerprint, startsAt: alert.startsAt })) },
    orderBy: [{ startsAt: 'asc' }, { fingerprint: 'asc' }],
  });
  const change: AlertsChangedPost = { firing: [], resolved: [] };
  for (const row of rows) {
    if (row.recordedStatus === row.status && row.incidentId !== null) continue;
    const brief = alertBrief(row);
    if (row.recordedStatus === null) {
      events.push({ incidentId, type: 'alert.received', actor, source: 'alert', at, data: { ...brief, status: row.status, startsAt: row.startsAt.toISOString() } });
      if (row.status === 'firing') change.firing.push(brief);
    }
    if (row.status === 'resolved' && row.recordedStatus !== 'resolved') {
      events.push({ incidentId, type: 'alert.resolved', actor, source: 'alert', at, data: { fingerprint: row.fingerprint, name: row.name, endsAt: row.endsAt?.toISOString() ?? null } });
      change.resolved.push(brief);
    }
    await tx.alert.update({ where: { id: row.id }, data: { incidentId: row.incidentId ?? incidentId, recordedStatus: row.status } });
  }
  return change;
}
