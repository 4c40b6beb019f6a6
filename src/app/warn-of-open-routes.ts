import type { Env } from '../config/env.js';
import type { Logger } from '../log.js';

/** In production, an Alertmanager route without a token is open to anyone who can reach it: say so once. */
export function warnOfOpenRoutes(env: Pick<Env, 'ALERTMANAGER_TOKEN' | 'ROLE'>, log: Logger, nodeEnv = process.env.NODE_ENV): void {
  if (nodeEnv !== 'production' || env.ROLE === 'worker' || env.ALERTMANAGER_TOKEN !== undefined) return;
  log.warn('ALERTMANAGER_TOKEN is not set: POST /webhooks/alertmanager accepts alerts from anyone who can reach the bot. Set ALERTMANAGER_TOKEN and give it to Alertmanager (http_config.authorization.credentials).');
}
