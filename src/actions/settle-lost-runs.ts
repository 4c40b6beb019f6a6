import type { Deps } from '../deps.js';
import { jobId } from '../queue/jobs.js';
import { settleLostRun } from './run-action.js';

/** A run still `running` this long after it started is looked at: is its job still alive? */
const LOST_AFTER_MS = 10 * 60_000;
const BATCH = 500;

/**
 * Settles runs still `running` long after they started whose job is gone or failed for good (their
 * worker died more than once): outcome unknown, so nobody waits on them.
 */
export async function settleLostRuns(deps: Pick<Deps, 'db' | 'queues' | 'log' | 'runbooks' | 'config' | 'clock'>): Promise<number> {
  // Wall-clock time on purpose: `started_at` is compared with BullMQ's job state, kept in real time.
  const startedBefore = new Date(Date.now() - LOST_AFTER_MS);
  const running = await deps.db.actionRun.findMany({ where: { status: 'running', startedAt: { lt: startedBefore } }, select: { id: true }, take: BATCH });
  let settled = 0;
  for (const { id } of running) {
    const job = await deps.queues.actions.getJob(jobId.action(id));
    if (job && !(await job.isFailed())) continue;
    deps.log.warn({ runId: id }, 'action run lost its job: settling it as outcome unknown');
    await settleLostRun(deps, id);
    settled++;
  }
  return settled;
}
