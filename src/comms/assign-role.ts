import type { Deps } from '../deps.js';
import type { Prisma } from '../db/client.js';
import { lockIncident } from '../record/lock-incident.js';
import { recordPost } from '../record/channel-post.js';
import { recordEvents, type EventSource } from '../record/timeline.js';
import { requestSync } from '../queue/queue-after-commit.js';

export type AssignOutcome = { kind: 'assigned'; previous: string | null } | { kind: 'unchanged' } | { kind: 'unknown_role'; roles: string[] } | { kind: 'not_found' };

/** Gives a role of `roles:` to one person (replacing whoever held it); they get its duty by direct message. */
export async function assignRole(deps: Pick<Deps, 'db' | 'clock' | 'config' | 'queues' | 'log'>, incidentId: string, request: { role: string; userId: string; by: string; source: EventSource }): Promise<AssignOutcome> {
  const role = request.role.toLowerCase();
  if (!(role in deps.config.roles)) return { kind: 'unknown_role', roles: Object.keys(deps.config.roles) };
  const outcome = await deps.db.$transaction(async (tx): Promise<AssignOutcome> => {
    const incident = await lockIncident(tx, incidentId);
    const now = deps.clock.now();
    if (!incident) return { kind: 'not_found' };
    const held = await tx.incidentRole.findUnique({ where: { incidentId_role: { incidentId, role } } });
    if (held?.userId === request.userId) return { kind: 'unchanged' };
    const data = { userId: request.userId, assignedBy: request.by, assignedAt: now };
    await tx.incidentRole.upsert({ where: { incidentId_role: { incidentId, role } }, create: { incidentId, role, ...data }, update: data });
    await recordRoleLocked(tx, incidentId, { role, userId: request.userId, by: request.by, previous: held?.userId ?? null, source: request.source, now });
    return { kind: 'assigned', previous: held?.userId ?? null };
  });
  if (outcome.kind === 'assigned') await requestSync(deps, incidentId);
  return outcome;
}

/**
 * The first person to acknowledge becomes commander when nobody is (and `roles:` has a
 * commander): inside the acknowledgement's transaction, which holds the incident's row lock.
 */
export async function takeCommandIfFreeLocked(tx: Prisma.TransactionClient, incidentId: string, userId: string, now: Date, roles: Record<string, string>, source: EventSource): Promise<void> {
  if (!('commander' in roles)) return;
  const created = await tx.incidentRole.createMany({ data: [{ incidentId, role: 'commander', userId, assignedBy: 'bot', assignedAt: now }], skipDuplicates: true });
  if (created.count === 1) await recordRoleLocked(tx, incidentId, { role: 'commander', userId, by: 'bot', previous: null, source, now, firstAck: true });
}

async function recordRoleLocked(tx: Prisma.TransactionClient, incidentId: string, change: { role: string; userId: string; by: string; previous: string | null; source: EventSource; now: Date; firstAck?: boolean }): Promise<void> {
  const data = { role: change.role, userId: change.userId, by: change.by, previous: change.previous, firstAck: change.firstAck ?? false };
  await recordEvents(tx, [{ incidentId, type: 'role.assigned', actor: change.by, source: change.source, at: change.now, data }]);
  await recordPost(tx, incidentId, { kind: 'role_assigned', data });
  await tx.incident.update({ where: { id: incidentId }, data: { messageVersion: { increment: 1 } } });
}
