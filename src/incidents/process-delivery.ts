import type { Prisma, WebhookDelivery } from '../db/client.js';
import type { AlertBatch } from './alert-signal.js';
import type { Deps } from '../deps.js';
import type { ScheduledEscalation } from '../escalation/record-escalation-step.js';
import type { ScheduledReminder } from '../review/reminder-schedule.js';
import { alertBrief } from './alert-change.js';
import { recordPost, type AlertsChangedPost } from '../record/channel-post.js';
import { autoResolve } from './auto-resolve.js';
import { lockIncident } from '../record/lock-incident.js';
import { findActiveIncident, latestIncidentOf } from './correlate-group.js';
import { placeNewGroup } from './place-new-group.js';
import { recordEvents, type NewTimelineEvent } from '../record/timeline.js';

export interface DeliveryOutcome {
  incidentId: string | null;
  opened: boolean;
  /** The first escalation deadline of a new incident, to queue after commit. */
  escalation?: ScheduledEscalation | null;
  /** The first reminder of the review of an incident this delivery resolved, to queue after commit. */
  reminder?: ScheduledReminder | null;
}

/**
 * Correlates a stored delivery into its incident: places a new alert group (see placeNewGroup),
 * or records what changed on the group's incident, with timeline events and the channel posts
 * that announce it. Deliveries of one group are serialised by an advisory lock (several workers
 * and processes may run), and a group's active key is unique, so it never has two open incidents.
 * Safe to run twice: a processed delivery is skipped.
 */
/** Rebuilds the alert batch of a stored delivery; the ingest edge owns the wire formats. */
export type BatchOf = (delivery: Pick<WebhookDelivery, 'source' | 'payload'>) => AlertBatch;

export async function processDelivery(deps: Pick<Deps, 'db' | 'runbooks' | 'config' | 'metrics' | 'log' | 'clock'>, deliveryId: string, batchOf: BatchOf): Promise<DeliveryOutcome> {
  const outcome = await deps.db.$transaction(
    async (tx) => {
      const delivery = await tx.webhookDelivery.findUnique({ where: { id: deliveryId } });
      if (!delivery) throw new Error(`delivery ${deliveryId} does not exist`);
      if (delivery.processedAt) return null;
      const batch = batchOf(delivery);
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${batch.groupKey}, 0))`;
      // Re-read under the lock: another worker may have processed this delivery meanwhile.
      const locked = await tx.webhookDelivery.findUnique({ where: { id: deliveryId }, select: { processedAt: true } });
      if (locked?.processedAt) return null;

      const actor = batch.source;
      const events: NewTimelineEvent[] = [];
      let incident = await findActiveIncident(tx, batch.groupKey);
      let opened = false;
      let escalation: ScheduledEscalation | null = null;
      let reminder: ScheduledReminder | null = null;
      // The stored rows decide, not the notification: a late retry of an old "firing" must not
      // reopen or open anything for an alert that has resolved since.
      const firing = incident ? 0 : await tx.alert.count({ where: { source: batch.source, status: 'firing', OR: batch.alerts.map((alert) => ({ fingerprint: alert.fingerprint, startsAt: alert.startsAt })) } });
      if (!incident && firing > 0) {
        const placed = await placeNewGroup(tx, batch, delivery.receivedAt, deliveryId, deps);
        ({ incident, opened, escalation } = placed);
      }
      // Resolutions for a group without an open incident belong to its most recent one.
      incident ??= await latestIncidentOf(tx, batch.groupKey);

      if (incident) {
        // The incident's row lock before anything that writes under it (its timeline rows take a
        // key-share lock on it): a delivery of another alert group of this incident, holding
        // another advisory lock, waits here instead of deadlocking with this one's auto-resolve.
        await lockIncident(tx, incident.id);
        const change = await recordAlertChanges(tx, incident.id, batch, delivery.receivedAt, actor, events);
        const changed = change.firing.length + change.resolved.length > 0;
        if (changed && !opened) await recordPost(tx, incident.id, { kind: 'alerts_changed', data: change });
        if (changed) await tx.incident.update({ where: { id: incident.id }, data: { messageVersion: { increment: 1 } } });
        await recordEvents(tx, events);
        // Alerts that end after the incident was resolved by hand change what its review says.
        if (changed && incident.status === 'resolved') await tx.review.updateMany({ where: { incidentId: incident.id }, data: { revision: { increment: 1 } } });
        if (change.resolved.length > 0) reminder = await autoResolve(tx, incident.id, actor, deps);
      }
      await tx.webhookDelivery.update({ where: { id: deliveryId }, data: { processedAt: deps.clock.now() } });
      return { incidentId: incident?.id ?? null, opened, severity: incident?.severity ?? '', source: batch.source, escalation, reminder };
    },
    { timeout: 20_000, maxWait: 10_000 },
  );
  if (!outcome) return { incidentId: null, opened: false };
  if (outcome.opened) deps.metrics.incidentsOpened.inc({ source: outcome.source, severity: outcome.severity });
  return { incidentId: outcome.incidentId, opened: outcome.opened, escalation: outcome.escalation, reminder: outcome.reminder };
}

/** Links the batch's alerts to the incident and records what is new since the timeline last looked. */
async function recordAlertChanges(
  tx: Prisma.TransactionClient,
  incidentId: string,
  batch: AlertBatch,
  at: Date,
  actor: string,
  events: NewTimelineEvent[],
): Promise<AlertsChangedPost> {
  const resolvedFingerprints = batch.alerts.filter((alert) => alert.status === 'resolved').map((alert) => alert.fingerprint);
  const rows = await tx.alert.findMany({
    where: {
      source: batch.source,
      OR: [
        ...batch.alerts.map((alert) => ({ fingerprint: alert.fingerprint, startsAt: alert.startsAt })),
        // Other instances of a resolved alert, closed by the same delivery.
        ...(resolvedFingerprints.length > 0 ? [{ fingerprint: { in: resolvedFingerprints }, status: 'resolved' as const, recordedStatus: 'firing' as const }] : []),
      ],
    },
    orderBy: [{ startsAt: 'asc' }, { fingerprint: 'asc' }],
  });
  const change: AlertsChangedPost = { firing: [], resolved: [] };
  // Rows to update, grouped by what they become: a few statements per delivery, not one per alert.
  const updates = new Map<string, { incidentId: string; status: (typeof rows)[number]['status']; ids: string[] }>();
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
    const target = row.incidentId ?? incidentId;
    const key = `${target}:${row.status}`;
    const group = updates.get(key) ?? { incidentId: target, status: row.status, ids: [] };
    group.ids.push(row.id);
    updates.set(key, group);
  }
  for (const group of updates.values()) await tx.alert.updateMany({ where: { id: { in: group.ids } }, data: { incidentId: group.incidentId, recordedStatus: group.status } });
  return change;
}
