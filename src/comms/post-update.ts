import type { Deps } from '../deps.js';
import { lockIncident } from '../record/lock-incident.js';
import { recordPost } from '../record/channel-post.js';
import { recordEvents, type EventSource } from '../record/timeline.js';
import { requestSync } from '../queue/queue-after-commit.js';
import { requestUpdateReminder } from './request-update-reminder.js';
import { parseUpdateStatus, type UpdateStatus } from './update-status.js';
import { planCadenceLocked, remindEvery, type ScheduledUpdateReminder } from './update-cadence.js';

export interface UpdateRequest {
  by: string;
  source: EventSource;
  summary: string;
  /** Absent: the status of the latest update (investigating for the first). */
  status?: UpdateStatus;
  impact?: string;
  /** When the next update is due; absent: `updates.remind_every` for the incident's severity. */
  nextUpdateInMs?: number;
}

export type PostUpdateOutcome = { kind: 'posted'; status: UpdateStatus; nextUpdateAt: Date | null } | { kind: 'empty' } | { kind: 'not_found' };

/**
 * Posts a stakeholder update: recorded with the timeline event and the posts that carry it (the
 * incident channel with direct messages to subscribers, and the announcement thread) in one
 * transaction, and the next update planned.
 */
export async function postUpdate(deps: Pick<Deps, 'db' | 'clock' | 'config' | 'queues' | 'log'>, incidentId: string, request: UpdateRequest): Promise<PostUpdateOutcome> {
  const summary = request.summary.trim();
  if (!summary) return { kind: 'empty' };
  const impact = request.impact?.trim() || null;
  let reminder: ScheduledUpdateReminder | null = null;
  const outcome = await deps.db.$transaction(async (tx): Promise<PostUpdateOutcome> => {
    const incident = await lockIncident(tx, incidentId);
    const now = deps.clock.now();
    if (!incident) return { kind: 'not_found' };
    const last = await tx.statusUpdate.findFirst({ where: { incidentId }, orderBy: { postedAt: 'desc' }, select: { status: true } });
    const status = request.status ?? parseUpdateStatus(last?.status);
    const every = request.nextUpdateInMs ?? remindEvery(deps.config, incident.severity);
    const nextUpdateAt = incident.status !== 'resolved' && every ? new Date(now.getTime() + every) : null;
    const update = await tx.statusUpdate.create({ data: { incidentId, status, summary, impact, postedBy: request.by, postedAt: now, nextUpdateAt } });
    reminder = await planCadenceLocked(tx, incidentId, nextUpdateAt);
    await recordEvents(tx, [
      { incidentId, type: 'update.posted', actor: request.by, source: request.source, at: now, data: { updateId: update.id, status, summary, impact, nextUpdateAt: nextUpdateAt?.toISOString() ?? null } },
    ]);
    await recordPost(tx, incidentId, { kind: 'status_update', data: { updateId: update.id } });
    const announce = deps.config.channels.announce;
    if (announce) await recordPost(tx, incidentId, { kind: 'status_update_announce', data: { updateId: update.id, channel: announce } });
    await tx.incident.update({ where: { id: incidentId }, data: { messageVersion: { increment: 1 } } });
    return { kind: 'posted', status, nextUpdateAt };
  });
  if (outcome.kind === 'posted') {
    deps.log.info({ incidentId, status: outcome.status }, 'stakeholder update posted');
    await requestSync(deps, incidentId);
    if (reminder) await requestUpdateReminder(deps, reminder);
  }
  return outcome;
}
