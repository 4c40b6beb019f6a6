import type { Deps } from '../deps.js';
import type { Handler } from './router.js';

const STATES = ['waiting', 'active', 'delayed', 'failed', 'completed'] as const;

/** GET /metrics in Prometheus text format; queue depths are read at scrape time. */
export function metricsRoute(deps: Pick<Deps, 'metrics' | 'queues' | 'log'>): Handler {
  return async ({ res }) => {
    for (const queue of [deps.queues.incidents, deps.queues.slack]) {
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
