import type { Deps } from '../deps.js';
import { Prisma } from '../db/client.js';
import { recordEvents } from '../record/timeline.js';
import { policyOf } from '../record/policy.js';
import { mayRunMitigation } from './may-run-mitigation.js';

export interface ActionPress {
  incidentId: string;
  actionId: string;
  userId: string;
  /** Slack's trigger_id: the same for Slack's retries of one press. */
  pressKey: string;
}

export type RequestOutcome =
  | { kind: 'queued'; runId: string; label: string }
  | { kind: 'duplicate' }
  | { kind: 'busy'; label: string }
  | { kind: 'refused'; label: string }
  | { kind: 'unknown'; reason: string };

/**
 * Records a press of an action button and queues the run. A Slack retry of the same press
 * (same trigger_id) and a second press while the action is still queued or running (a double
 * click) change nothing, by unique constraints. Mitigations are for responders only; a refusal
 * is recorded on the timeline.
 */
export async function requestAction(deps: Pick<Deps, 'db' | 'runbooks' | 'config' | 'queues' | 'log'>, press: ActionPress): Promise<RequestOutcome> {
  const incident = await deps.db.incident.findUnique({ where: { id: press.incidentId } });
  if (!incident) return { kind: 'unknown', reason: 'this incident no longer exists' };
  const runbook = deps.runbooks.find((candidate) => candidate.id === incident.runbookId);
  const action = runbook?.actions.find((candidate) => candidate.id === press.actionId);
  if (!runbook || !action) return { kind: 'unknown', reason: `the runbook no longer has an action "${press.actionId}"` };

  if (action.kind === 'mitigation' && !mayRunMitigation(deps.config.responders, policyOf(incident), press.userId, deps.config.schedules)) {
    await recordEvents(deps.db, [{ incidentId: incident.id, type: 'action.refused', actor: press.userId, source: 'slack', data: { actionId: action.id, label: action.label, reason: 'not a responder' } }]);
    return { kind: 'refused', label: action.label };
  }

  let runId: string;
  try {
    runId = await deps.db.$transaction(async (tx) => {
      const run = await tx.actionRun.create({
        data: {
          incidentId: incident.id,
          runbookId: runbook.id,
          actionId: action.id,
          kind: action.kind,
          type: action.type,
          label: action.label,
          requestedBy: press.userId,
          pressKey: press.pressKey,
          activeKey: `${incident.id}:${action.id}`,
        },
      });
      await recordEvents(tx, [{ incidentId: incident.id, type: 'action.requested', actor: press.userId, source: 'slack', data: { runId: run.id, actionId: action.id, label: action.label, kind: action.kind } }]);
      return run.id;
    });
  } catch (error) {
    if (!(error instanceof Prisma.PrismaClientKnownRequestError) || error.code !== 'P2002') throw error;
    const samePress = await deps.db.actionRun.findUnique({ where: { pressKey: press.pressKey }, select: { id: true } });
    return samePress ? { kind: 'duplicate' } : { kind: 'busy', label: action.label };
  }
  const retries = action.retries ?? (action.kind === 'diagnostic' || action.idempotent ? 2 : 0);
  try {
    await deps.queues.runAction(runId, retries + 1);
  } catch (error) {
    deps.log.warn({ err: error, runId }, 'queue unavailable: the action run is stored and will be queued when Redis is back');
  }
  return { kind: 'queued', runId, label: action.label };
}
