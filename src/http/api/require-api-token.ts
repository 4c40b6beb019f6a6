import type { IncomingHttpHeaders } from 'node:http';
import type { Env } from '../../config/env.js';
import { NotFoundError } from '../../errors.js';
import { requireBearer } from '../bearer.js';

/** The JSON API is off unless API_TOKEN is set (a 404, as if it did not exist); when on, it takes that bearer token. */
export function requireApiToken(env: Pick<Env, 'API_TOKEN'>, headers: IncomingHttpHeaders): void {
  if (!env.API_TOKEN) throw new NotFoundError('the incident API is disabled: set API_TOKEN to a secret token to enable it, then send it as "Authorization: Bearer <token>"', 'api_disabled');
  requireBearer(headers, env.API_TOKEN);
}
