import type { WebClient } from '@slack/web-api';
import type { Clock } from './clock.js';
import type { BotConfig } from './config/config-file.js';
import type { Env } from './config/env.js';
import type { Db } from './db/client.js';
import type { Logger } from './log.js';
import type { Metrics } from './metrics.js';
import type { Queues } from './queue/queues.js';
import type { Runbook } from './runbooks/runbook.js';
import type { SlackHealth } from './slack/slack-health.js';

/** Everything a use case may need, built once in main.ts and passed down. */
export interface Deps {
  env: Env;
  config: BotConfig;
  runbooks: Runbook[];
  db: Db;
  queues: Queues;
  slack: WebClient;
  /** Whether Slack answers and accepts the token; Slack work waits while it refuses it. */
  slackHealth: SlackHealth;
  log: Logger;
  clock: Clock;
  metrics: Metrics;
}
