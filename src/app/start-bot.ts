import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { systemClock, type Clock } from '../clock.js';
import { loadConfigFile, type BotConfig } from '../config/config-file.js';
import type { Env } from '../config/env.js';
import { createDb } from '../db/client.js';
import { migrate } from '../db/migrate.js';
import type { Deps } from '../deps.js';
import { createHttpServer } from '../http/server.js';
import type { Logger } from '../log.js';
import { Metrics } from '../metrics.js';
import { outboxRelayLoop } from './outbox-relay-loop.js';
import { Queues } from '../queue/queues.js';
import { createRedis } from '../queue/redis-connection.js';
import { RedisOutage } from '../queue/redis-outage.js';
import { startWorkers } from './start-workers.js';
import { checkRunbookPolicies } from '../escalation/check-policies.js';
import { checkScheduleGaps } from '../schedules/check-schedule-gaps.js';
import type { ActiveOverride } from '../schedules/on-call-at.js';
import { allOverridesIn } from '../schedules/schedule-overrides.js';
import { checkRunbookTargets } from '../actions/check-runbook-targets.js';
import { describeUnwired, leaveOutUnwiredActions } from '../actions/leave-out-unwired-actions.js';
import { loadRunbooks } from '../runbooks/load-runbooks.js';
import { createSlackApp } from '../slack/bolt-app.js';
import { pacedFetch, SLACK_TIERS } from '../slack/slack-pacer.js';
import { createSlackClient } from '../slack/web-client.js';
import { checkSlackToken } from '../slack/check-slack-token.js';
import { SlackHealth } from '../slack/slack-health.js';
import { slackHealthFetch } from '../slack/slack-health-fetch.js';
import { ensureDatabase } from '../db/ensure-database.js';
import { Sandbox } from '../sandbox/sandbox.js';
import { withSandboxPolicy } from '../sandbox/sandbox-users.js';
import { startDemoService, type DemoService } from '../sandbox/demo/demo-service.js';
import { demoTargetEnv } from '../sandbox/demo/demo-target-env.js';
import { buildRouter } from './build-router.js';
import { checkStatusPagePort, startStatusPage } from '../status-page/start-status-page.js';

export interface StartOptions {
  env: Env;
  log: Logger;
  /** Overrides the config file (tests). */
  config?: BotConfig;
  clock?: Clock;
  /** Overrides QUEUE_PREFIX; tests give each bot its own. */
  queuePrefix?: string;
  relayIntervalMs?: number;
  slackRetries?: number;
  /** How often a refused token or an unreachable Slack is checked again (default 30 s). */
  slackRecheckMs?: number;
  defaultMetrics?: boolean;
}

export interface RunningBot {
  deps: Deps;
  /** Base URL of the HTTP listener (api role), e.g. http://127.0.0.1:3000. */
  url: string | undefined;
  /** Base URL of the status page listener, when `status_page:` is configured (api role). */
  statusPageUrl?: string;
  stop(): Promise<void>;
}

/** Gaps in the next 14 days of every schedule, overrides counted; a database hiccup only skips the warning. */
async function warnOfScheduleGaps(deps: Pick<Deps, 'db' | 'config' | 'clock' | 'log'>): Promise<void> {
  if (Object.keys(deps.config.schedules).length === 0) return;
  const now = deps.clock.now();
  const overrides = await allOverridesIn(deps.db, now, new Date(now.getTime() + 14 * 86_400_000)).catch(() => new Map<string, ActiveOverride[]>());
  for (const warning of checkScheduleGaps(deps.config, now, overrides)) deps.log.warn(warning);
}

/** Starts the bot in the role the environment names: api, worker, or both in one process. */
export async function startBot(options: StartOptions): Promise<RunningBot> {
  const { env, log } = options;
  const clock = options.clock ?? systemClock;
  // The sandbox brings the application its runbooks look after, unless a test supplies the config.
  const demo = env.SLACK_MODE === 'sandbox' && !options.config ? await startDemoService({ clock, log }) : undefined;
  const fromFile = options.config ?? (await loadConfigFile(env.CONFIG_FILE, demo ? demoTargetEnv(demo.url, env, process.env) : process.env).catch(stopDemo(demo)));
  const config = env.SLACK_MODE === 'sandbox' ? withSandboxPolicy(fromFile) : fromFile;
  if (env.ROLE !== 'worker') checkStatusPagePort(config.status_page, env.PORT);
  const loaded = await loadRunbooks(env.RUNBOOKS_DIR);
  checkRunbookTargets(loaded, config);
  for (const warning of checkRunbookPolicies(loaded, config)) log.warn(warning);
  const { runbooks, unwired } = leaveOutUnwiredActions(loaded, config);
  if (unwired.length > 0) log.warn({ unwired: unwired.map(({ runbookId, actionId, target }) => ({ runbookId, actionId, target })) }, describeUnwired(unwired));
  log.info({ runbooks: runbooks.length, role: env.ROLE }, 'configuration and runbooks loaded');
  if (env.NODE_ENV !== 'production') await ensureDatabase(env.DATABASE_URL, log);
  await migrate(env.DATABASE_URL, log);

  const metrics = new Metrics({ defaultMetrics: options.defaultMetrics ?? false });
  const db = createDb(env.DATABASE_URL);
  const producer = createRedis(env.REDIS_URL, 'producer');
  const redisOutage = new RedisOutage(log);
  producer.on('error', (error) => {
    if (!redisOutage.failed(error)) log.warn({ err: error }, 'redis (producer) connection error');
  });
  producer.on('ready', () => redisOutage.back());
  const prefix = options.queuePrefix ?? env.QUEUE_PREFIX;
  const queues = new Queues(producer, prefix);
  const rules = { ...SLACK_TIERS, ...Object.fromEntries(Object.entries(config.slack.rate_limits).map(([method, rule]) => [method, { max: rule.max, windowMs: rule.window, perChannel: rule.per_channel }])) };
  // In sandbox mode the Slack client's calls are answered in-process by the sandbox, unpaced.
  const sandbox = env.SLACK_MODE === 'sandbox' ? new Sandbox({ db, log, config, clock, token: env.SLACK_BOT_TOKEN, signingSecret: env.SLACK_SIGNING_SECRET ?? '', alertmanagerToken: env.ALERTMANAGER_TOKEN }) : undefined;
  await sandbox?.start();
  const slackHealth = new SlackHealth({ log, metrics, recheckMs: options.slackRecheckMs ?? 30_000, check: () => checkSlackToken(env) });
  const slackFetch = sandbox?.fetch ?? slackHealthFetch(slackHealth, metrics, pacedFetch(producer, prefix, log, rules, (method) => metrics.slackApiErrors.inc({ method, error: 'ratelimited' })));
  const slackClient = createSlackClient({ token: env.SLACK_BOT_TOKEN, apiUrl: env.SLACK_API_URL, log, metrics, retries: options.slackRetries, fetch: slackFetch });
  const deps: Deps = { env, config, runbooks, db, queues, slack: slackClient, slackHealth, log, clock, metrics };
  if (!sandbox) {
    // Checked at start so a wrong token shows at once, never a reason not to start.
    await slackHealth.checkNow();
    if (slackHealth.state === 'up') log.info('Slack accepts the bot token');
  }
  await warnOfScheduleGaps(deps);

  const stops: (() => Promise<void>)[] = [];
  let url: string | undefined;
  let statusPageUrl: string | undefined;

  if (env.ROLE !== 'worker') {
    if (config.status_page) {
      const statusPage = await startStatusPage(deps, config.status_page, (server, port) => listen(server, port, env.HOST));
      statusPageUrl = statusPage.url;
      stops.push(statusPage.stop);
    }
    const slackApp = createSlackApp(deps, sandbox?.fetch);
    const server = createHttpServer(buildRouter(deps, slackApp, sandbox), log, metrics);
    await listen(server, env.PORT, env.HOST);
    const address = server.address() as AddressInfo;
    url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address === '0.0.0.0' ? '127.0.0.1' : address.address}:${address.port}`;
    await slackApp.start();
    log.info({ listening: url, socketMode: env.SLACK_APP_TOKEN !== undefined }, 'HTTP listener ready');
    if (sandbox) {
      sandbox.botUrl = url;
      log.warn({ sandbox: `${url}/sandbox`, ...(demo ? { demoApplication: demo.url } : {}) }, 'Slack is not configured: running the local Slack sandbox (not for production)');
    }
    stops.push(async () => {
      sandbox?.stop();
      await slackApp.stop();
      await closeServer(server);
    });
  }

  if (env.ROLE !== 'api') {
    const workerConnection: Redis = createRedis(env.REDIS_URL, 'worker');
    workerConnection.on('error', (error) => {
      if (!redisOutage.failed(error)) log.warn({ err: error }, 'redis (worker) connection error');
    });
    workerConnection.on('ready', () => redisOutage.back());
    const workers: Worker[] = startWorkers(deps, {
      connection: workerConnection,
      prefix,
      lockDurationMs: env.WORKER_LOCK_MS,
      slackRecheckMs: options.slackRecheckMs,
      redisOutage,
      concurrency: { actions: env.ACTION_CONCURRENCY, slack: env.SLACK_CONCURRENCY },
    });
    const relay = outboxRelayLoop(deps, options.relayIntervalMs ?? 5_000, redisOutage);
    // When Redis comes back, queue whatever was accepted while it was away without waiting a tick.
    producer.on('ready', () => relay.kick());
    // Slack work that waited for a fixed token goes now rather than at its next slow retry.
    slackHealth.onResume(() => {
      void queues.slack.promoteJobs().catch((error: unknown) => log.warn({ err: error }, 'could not resume waiting Slack jobs; they resume at their next retry'));
      relay.kick();
    });
    log.info({ prefix }, 'workers started');
    stops.push(async () => {
      await relay.stop();
      await Promise.all(workers.map((worker) => worker.close()));
      workerConnection.disconnect();
    });
  }

  return {
    deps,
    url,
    ...(statusPageUrl ? { statusPageUrl } : {}),
    stop: async () => {
      // Stop intake first (HTTP), then finish in-flight jobs, then close connections.
      slackHealth.stop();
      for (const stop of stops) await stop();
      await queues.close();
      producer.disconnect();
      await db.$disconnect();
      await demo?.stop();
    },
  };
}

function stopDemo(demo: DemoService | undefined): (error: unknown) => Promise<never> {
  return async (error) => {
    await demo?.stop();
    throw error;
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}
