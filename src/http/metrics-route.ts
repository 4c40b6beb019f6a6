import type { Deps } from '../deps.js';
import type { Handler } from './router.js';
import { incidentStats } from '../review/incident-stats.js';
import { commsStats } from '../comms/comms-stats.js';

const STATES = ['waiting', 'active', 'delayed', 'failed', 'completed'] as const;

/** GET /metrics in Prometheus text format; queue depths are read at scrape time. */
export function metricsRoute(deps: Pick<Deps, 'metrics' | 'queues' | 'log' | 'db' | 'clock'>): Handler {
  return async ({ res }) => {
    await setIncidentStats(deps);
    for (const queue of deps.queues.all()) {
      try {
        const counts = await queue.getJobCounts(...STATES);
        for (const state of STATES) deps.metrics.queueDepth.set({ queue: queue.name, state }, counts[state] ?? 0);
      } catch (error) {
        deps.log.debug({ err: error, queue: queue.name }, 'queue depth unavailable');
      }
    }
    const body = await deps.metrics.registry.metrics();
    res.writeHead(200, { 'content-type': deps.metrics.registry.contentType });
    res.end(body);
  };
}

/** MTTA, MTTR and reviews from Postgres; left as last read when Postgres does not answer. */
async function setIncidentStats(deps: Pick<Deps, 'metrics' | 'db' | 'log' | 'clock'>): Promise<void> {
  try {
    const stats = await incidentStats(deps.db, deps.clock.now());
    const { metrics } = deps;
    // Severities without a resolved (or acknowledged) incident have no mean: no series, rather than a 0 that reads as "instant".
    for (const gauge of [metrics.mtta, metrics.mttr, metrics.resolvedIncidents]) gauge.reset();
    for (const row of stats.bySeverity) {
      if (row.mtta !== null) metrics.mtta.set({ severity: row.severity }, row.mtta);
      if (row.mttr !== null) metrics.mttr.set({ severity: row.severity }, row.mttr);
      metrics.resolvedIncidents.set({ severity: row.severity, acknowledged: 'true' }, row.acknowledged);
      metrics.resolvedIncidents.set({ severity: row.severity, acknowledged: 'false' }, row.resolved - row.acknowledged);
    }
    for (const [state, count] of Object.entries(stats.reviews)) metrics.reviews.set({ state }, count);
    const comms = await commsStats(deps.db, deps.clock.now());
    metrics.updatesPosted.reset();
    for (const row of comms.posted) metrics.updatesPosted.set({ severity: row.severity }, row.count);
    metrics.updatesOverdue.set(comms.overdue);
  } catch (error) {
    deps.log.debug({ err: error }, 'incident figures unavailable');
  }
}
