import { z } from 'zod';
import type { Env } from '../config/env.js';

const authTestAnswer = z.looseObject({ ok: z.boolean(), error: z.string().optional() });

const CHECK_TIMEOUT_MS = 5_000;

/**
 * One `auth.test` call with the bot token, straight to Slack (not through the client, which holds
 * calls back while the token is refused). Answers Slack's error code, if any, and the scopes the
 * token carries (Slack's X-OAuth-Scopes header); throws when Slack cannot be reached.
 */
export async function checkSlackToken(env: Pick<Env, 'SLACK_API_URL' | 'SLACK_BOT_TOKEN'>): Promise<{ error?: string; scopes?: string[] }> {
  const response = await fetch(new URL('auth.test', env.SLACK_API_URL.replace(/\/?$/, '/')), {
    method: 'POST',
    headers: { authorization: `Bearer ${env.SLACK_BOT_TOKEN}`, 'content-type': 'application/x-www-form-urlencoded' },
    signal: AbortSignal.timeout(CHECK_TIMEOUT_MS),
  });
  if (response.status >= 500 || response.status === 429) throw new TypeError(`Slack answered HTTP ${response.status}`);
  const body = authTestAnswer.parse(await response.json());
  const error = body.ok ? undefined : (body.error ?? 'unknown_error');
  const scopes = response.headers.get('x-oauth-scopes')?.split(',').map((scope) => scope.trim());
  return { ...(error ? { error } : {}), ...(scopes ? { scopes } : {}) };
}
