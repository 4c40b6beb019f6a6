import type { Prisma } from '../db/client.js';
import type { Deps } from '../deps.js';
import { recordEvents } from '../record/timeline.js';
import { labelsOf } from '../record/incident-links.js';
import type { RunbookAction } from '../runbooks/runbook-schema.js';
import { ActionInputError, ActionTimeoutError, type ActionResult } from './action-result.js';
import { executeAction } from './execute-action.js';
import { childLog } from '../log.js';
import { recordPost } from '../record/channel-post.js';

type RunDeps = Pick<Deps, 'db' | 'runbooks' | 'config' | 'log' | 'clock'>;
type FinalStatus = 'succeeded' | 'failed' | 'timed_out' | 'outcome_unknown';

export interface AttemptInfo {
  /** More attempts remain after this one (BullMQ will retry when this call throws). */
  canRetry: boolean;
  /** Called once the run is claimed and "running …" is owed to the thread, before the action runs. */
  onStarted?: () => Promise<void>;
}

/** Thrown to ask the queue for another attempt; the run is back to `queued` meanwhile. */
export class RetryActionError extends Error {
  override name = 'RetryActionError';
}

const OUTPUT_LIMIT = 256 * 1024;

/**
 * Runs one action run. A run found `running` means an earlier attempt died mid-run (the worker
 * was killed): a diagnostic is run again, a mitigation is marked "outcome unknown" for a human
 * and never re-run. A transient failure (target down, timeout) puts the run back to `queued` and
 * throws for a retry when attempts remain. Results go to the timeline and, through the channel
 * outbox, to the incident's thread.
 */
export async function runAction(deps: RunDeps, runId: string, attempt: AttemptInfo): Promise<void> {
  const run = await deps.db.actionRun.findUnique({ where: { id: runId }, include: { incident: true } });
  if (!run || !['queued', 'running'].includes(run.status)) return;
  const log = childLog(deps.log, { incidentId: run.incidentId, runId, actionId: run.actionId });
  const action = deps.runbooks.find((runbook) => runbook.id === run.runbookId)?.actions.find((candidate) => candidate.id === run.actionId);
  if (!action) {
    await finish(deps, run.id, 'failed', { error: `the runbook ${run.runbookId} no longer has an action "${run.actionId}"` });
    return;
  }
  if (run.status === 'running' && run.kind === 'mitigation') {
    log.warn('a worker stopped while this mitigation ran: outcome unknown, not re-running it');
    await finish(deps, run.id, 'outcome_unknown', { error: 'the worker running this mitigation stopped before it reported back; check its effect by hand before pressing again' });
    return;
  }
  const claimed = await deps.db.$transaction(async (tx) => {
    const updated = await tx.actionRun.updateMany({
      where: { id: run.id, status: { in: ['queued', 'running'] } },
      data: { status: 'running', attempts: { increment: 1 }, startedAt: run.startedAt ?? deps.clock.now() },
    });
    if (updated.count === 0) return false;
    if (run.attempts === 0) {
      await recordEvents(tx, [{ incidentId: run.incidentId, type: 'action.started', actor: 'worker', source: 'worker', data: { runId: run.id, actionId: run.actionId, label: run.label, requestedBy: run.requestedBy } }]);
      await recordPost(tx, run.incidentId, { kind: 'action_started', data: { runId: run.id } });
    }
    return true;
  });
  if (!claimed) return;
  await attempt.onStarted?.();

  const target = deps.config.targets[action.target];
  // Durations on the monotonic timer: a duration is not a time of day, and must not jump with it.
  const started = performance.now();
  // A result's duration covers every attempt and the waits between them: earlier attempts ran in
  // other jobs (maybe other processes), so they are measured from the recorded first start.
  const firstStarted = run.startedAt ?? deps.clock.now();
  const sinceFirstAttempt = () => Math.max(Math.round(performance.now() - started), deps.clock.now().getTime() - firstStarted.getTime());
  try {
    if (!target) throw new ActionInputError(`target "${action.target}" is not defined in the config file's targets section`);
    const result = await execute(action, target, labelsOf(run.incident), log);
    await finish(deps, run.id, result.ok ? 'succeeded' : 'failed', { result, durationMs: sinceFirstAttempt() });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const transient = !(error instanceof ActionInputError);
    if (transient && attempt.canRetry) {
      log.info({ err: error }, 'action attempt failed; retrying');
      await deps.db.actionRun.update({ where: { id: run.id }, data: { status: 'queued', error: message } });
      throw new RetryActionError(message);
    }
    await finish(deps, run.id, error instanceof ActionTimeoutError ? 'timed_out' : 'failed', { error: message, durationMs: sinceFirstAttempt() });
  }
}

async function execute(action: RunbookAction, target: NonNullable<Deps['config']['targets'][string]>, labels: Record<string, string>, log: Deps['log']): Promise<ActionResult> {
  const controller = new AbortController();
  return executeAction(action, { target, labels, signal: controller.signal, timeoutMs: action.timeout, log });
}

const EVENT: { [S in FinalStatus]: `action.${S}` } = {
  succeeded: 'action.succeeded',
  failed: 'action.failed',
  timed_out: 'action.timed_out',
  outcome_unknown: 'action.outcome_unknown',
};

/**
 * Settles a run whose job is gone or failed for good while the run still says queued or running
 * (the job stalled more often than BullMQ allows, or Redis lost it mid-run): outcome unknown.
 */
export async function settleLostRun(deps: RunDeps, runId: string): Promise<void> {
  await finish(deps, runId, 'outcome_unknown', { error: 'the bot lost track of this run (its worker stopped more than once); check its effect by hand' });
}

async function finish(deps: RunDeps, runId: string, status: FinalStatus, outcome: { result?: ActionResult; error?: string; durationMs?: number }): Promise<void> {
  await deps.db.$transaction(async (tx) => {
    const run = await tx.actionRun.update({
      where: { id: runId },
      data: {
        status,
        activeKey: null,
        ok: outcome.result?.ok ?? false,
        summary: outcome.result?.summary ?? outcome.error ?? null,
        figures: (outcome.result?.figures ?? undefined) as Prisma.InputJsonObject | undefined,
        output: outcome.result?.output.slice(0, OUTPUT_LIMIT) ?? null,
        error: outcome.error ?? null,
        durationMs: outcome.durationMs ?? null,
        finishedAt: deps.clock.now(),
      },
    });
    await recordEvents(tx, [
      {
        incidentId: run.incidentId,
        type: EVENT[status],
        actor: 'worker',
        source: 'worker',
        data: { runId, actionId: run.actionId, label: run.label, requestedBy: run.requestedBy, summary: run.summary, attempts: run.attempts, durationMs: run.durationMs },
      },
    ]);
    await recordPost(tx, run.incidentId, { kind: 'action_result', data: { runId } });
    // A run that ends after the resolution changes what the review says about it.
    await tx.review.updateMany({ where: { incidentId: run.incidentId }, data: { revision: { increment: 1 } } });
  });
}
