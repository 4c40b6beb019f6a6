import type { Prisma } from '../db/client.js';
import type { Deps } from '../deps.js';
import type { ScheduledEscalation } from '../escalation/record-escalation-step.js';
import type { ScheduledReminder } from '../review/reminder-schedule.js';
import { alertBrief } from './alert-change.js';
import { recordPost, type AlertsChangedPost } from '../record/channel-post.js';
import { autoResolve } from './auto-resolve.js';
import { lockIncident } from '../record/lock-incident.js';
import { findActiveIncident, latestIncidentOf } from './correlate-group.js';
import { placeNewGroup } from './place-new-group.js';
import { storeSegmentAlerts } from './store-segment-alerts.js';
import { recordEvents, type NewTimelineEvent } from '../record/timeline.js';
import { alertKey, type DeliverySegment } from './delivery-segments.js';
import type { AlertSignal } from './alert-signal.js';

export interface SegmentOutcome {
  incidentId: string | null;
  opened: boolean;
  severity: string;
  /** The first escalation deadline of a new or reopened incident, to queue after commit. */
  escalation: ScheduledEscalation | null;
  /** The first reminder of the review of an incident this segment resolved, to queue after commit. */
  reminder: ScheduledReminder | null;
}

/**
 * Correlates one segment of a group's deliveries into its incident: writes its alert rows (see
 * storeSegmentAlerts), then places a new alert group (see placeNewGroup), or records what changed
 * on the group's incident, with timeline events and the channel post that announces it. Runs under
 * the group's advisory lock, in the pass's transaction.
 */
export async function applySegment(tx: Prisma.TransactionClient, segment: DeliverySegment, deps: Pick<Deps, 'runbooks' | 'config' | 'clock'>): Promise<SegmentOutcome> {
  await storeSegmentAlerts(tx, segment);
  const { batch } = segment;
  const actor = batch.source;
  const events: NewTimelineEvent[] = [];
  let incident = await findActiveIncident(tx, batch.groupKey);
  let opened = false;
  let escalation: ScheduledEscalation | null = null;
  let reminder: ScheduledReminder | null = null;
  // The stored rows decide, not the notification: a late retry of an old "firing" must not
  // reopen or open anything for an alert that has resolved since.
  const firing = incident ? 0 : (await tx.alert.findMany({ where: { source: batch.source, status: 'firing', ...segmentAlerts(segment) }, select: { fingerprint: true, startsAt: true } })).filter(inSegment(segment)).length;
  if (!incident && firing > 0) {
    const placed = await placeNewGroup(tx, batch, segment.firstAt, segment.firstId, deps);
    ({ incident, opened, escalation } = placed);
  }
  // Resolutions for a group without an open incident belong to its most recent one.
  incident ??= await latestIncidentOf(tx, batch.groupKey);
  if (!incident) return { incidentId: null, opened, severity: '', escalation, reminder };

  // The incident's row lock before anything that writes under it (its timeline rows take a
  // key-share lock on it): a pass of another alert group of this incident, holding another
  // advisory lock, waits here instead of deadlocking with this one's auto-resolve.
  await lockIncident(tx, incident.id);
  const change = await recordAlertChanges(tx, incident.id, segment, actor, events);
  const changed = change.firing.length + change.resolved.length > 0;
  // An incident this segment opened shows its first delivery's alerts in the opening message;
  // the alerts of the deliveries merged after it are announced as they would have been one by one.
  const announced = opened ? laterThanOpening(change, segment) : change;
  if (announced.firing.length + announced.resolved.length > 0) await recordPost(tx, incident.id, { kind: 'alerts_changed', data: announced });
  if (changed) await tx.incident.update({ where: { id: incident.id }, data: { messageVersion: { increment: 1 } } });
  await recordEvents(tx, events);
  // Alerts that end after the incident was resolved by hand change what its review says.
  if (changed && incident.status === 'resolved') await tx.review.updateMany({ where: { incidentId: incident.id }, data: { revision: { increment: 1 } } });
  if (change.resolved.length > 0) reminder = await autoResolve(tx, incident.id, actor, deps);
  return { incidentId: incident.id, opened, severity: incident.severity, escalation, reminder };
}

/**
 * A filter that takes every alert of the segment, and may take a few others (the pairs of its
 * fingerprints and start times crossed): callers keep the segment's own with `inSegment`. Its
 * shape does not depend on how many alerts the segment has, so Prisma plans it once, where a list
 * of (fingerprint, startsAt) pairs made a new query plan for every size of segment.
 */
function segmentAlerts(segment: DeliverySegment): { fingerprint: { in: string[] }; startsAt: { in: Date[] } } {
  const alerts = segment.batch.alerts;
  return { fingerprint: { in: [...new Set(alerts.map((alert) => alert.fingerprint))] }, startsAt: { in: [...new Map(alerts.map((alert) => [alert.startsAt.getTime(), alert.startsAt])).values()] } };
}

function inSegment(segment: DeliverySegment): (row: Pick<AlertSignal, 'fingerprint' | 'startsAt'>) => boolean {
  const keys = new Set(segment.batch.alerts.map(alertKey));
  return (row) => keys.has(alertKey(row));
}

function laterThanOpening(change: AlertsChangedPost, segment: DeliverySegment): AlertsChangedPost {
  const later = (brief: AlertsChangedPost['firing'][number]) => !segment.firstFingerprints.has(brief.fingerprint);
  return { firing: change.firing.filter(later), resolved: change.resolved.filter(later) };
}

/** Links the segment's alerts to the incident and records what is new since the timeline last looked. */
async function recordAlertChanges(tx: Prisma.TransactionClient, incidentId: string, segment: DeliverySegment, actor: string, events: NewTimelineEvent[]): Promise<AlertsChangedPost> {
  const { batch } = segment;
  const resolved = new Set(batch.alerts.filter((alert) => alert.status === 'resolved').map((alert) => alert.fingerprint));
  // Other instances of a resolved alert, closed by the same delivery.
  const closedInstance = { fingerprint: { in: [...resolved] }, status: 'resolved' as const, recordedStatus: 'firing' as const };
  const candidates = await tx.alert.findMany({
    where: { source: batch.source, OR: [segmentAlerts(segment), ...(resolved.size > 0 ? [closedInstance] : [])] },
    orderBy: [{ startsAt: 'asc' }, { fingerprint: 'asc' }],
  });
  const ofSegment = inSegment(segment);
  const rows = candidates.filter((row) => ofSegment(row) || (resolved.has(row.fingerprint) && row.status === 'resolved' && row.recordedStatus === 'firing'));
  const change: AlertsChangedPost = { firing: [], resolved: [] };
  // Rows to update, grouped by what they become: a few statements per segment, not one per alert.
  const updates = new Map<string, { incidentId: string; status: (typeof rows)[number]['status']; ids: string[] }>();
  for (const row of rows) {
    if (row.recordedStatus === row.status && row.incidentId !== null) continue;
    const brief = alertBrief(row);
    const key = alertKey(row);
    if (row.recordedStatus === null) {
      events.push({ incidentId, type: 'alert.received', actor, source: 'alert', at: segment.seenAt.get(key) ?? segment.lastAt, data: { ...brief, status: row.status, startsAt: row.startsAt.toISOString() } });
      if (row.status === 'firing') change.firing.push(brief);
    }
    if (row.status === 'resolved' && row.recordedStatus !== 'resolved') {
      events.push({ incidentId, type: 'alert.resolved', actor, source: 'alert', at: segment.resolvedAt.get(key) ?? segment.lastAt, data: { fingerprint: row.fingerprint, name: row.name, endsAt: row.endsAt?.toISOString() ?? null } });
      change.resolved.push(brief);
    }
    const target = row.incidentId ?? incidentId;
    const group = updates.get(`${target}:${row.status}`) ?? { incidentId: target, status: row.status, ids: [] };
    group.ids.push(row.id);
    updates.set(`${target}:${row.status}`, group);
  }
  for (const group of updates.values()) await tx.alert.updateMany({ where: { id: { in: group.ids } }, data: { incidentId: group.incidentId, recordedStatus: group.status } });
  return change;
}
