import type { Deps } from '../deps.js';
import { sendJson } from './respond.js';
import type { Handler } from './router.js';

type State = 'up' | 'down';

async function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function probe(check: () => Promise<unknown>): Promise<State> {
  try {
    await within(1_500, check());
    return 'up';
  } catch {
    return 'down';
  }
}

/**
 * GET /health. Without Postgres no webhook can be accepted: unhealthy (503). Without Redis
 * webhooks are still accepted and queued later: degraded (200). A Slack problem (unreachable, or
 * the token refused) is degraded too: alerts are still recorded, and Slack work waits.
 */
export function healthRoute(deps: Pick<Deps, 'db' | 'queues' | 'env' | 'slackHealth'>, version: string): Handler {
  return async ({ res }) => {
    const [database, redis] = await Promise.all([probe(() => deps.db.$queryRaw`SELECT 1`), probe(() => deps.queues.ping())]);
    const slack = deps.env.SLACK_MODE === 'sandbox' ? 'sandbox' : deps.slackHealth.state;
    const status = database === 'down' ? 'unhealthy' : redis === 'down' || (slack !== 'up' && slack !== 'sandbox') ? 'degraded' : 'healthy';
    sendJson(res, status === 'unhealthy' ? 503 : 200, { status, version, dependencies: { database, redis, slack } }, { 'cache-control': 'no-store' });
  };
}
