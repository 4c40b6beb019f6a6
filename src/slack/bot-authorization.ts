import type { Authorize } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';

/**
 * Bolt's authorization for our one bot token, without Bolt's auth.test at start-up: Bolt runs
 * that call in its constructor and nothing awaits it, so when Slack cannot be reached (its own
 * outage, at 3 a.m.) the failure ends the process. Here the first request asks auth.test for the
 * bot's ids; a failure fails that request only, and the next one asks again.
 */
export function botAuthorization(client: WebClient, botToken: string): Authorize<boolean> {
  let ids: Promise<{ botId?: string; botUserId?: string }> | undefined;
  return async () => {
    ids ??= client.auth.test().then((result) => ({ botId: result.bot_id, botUserId: result.user_id }));
    try {
      return { botToken, ...(await ids) };
    } catch (error) {
      ids = undefined;
      throw error;
    }
  };
}
