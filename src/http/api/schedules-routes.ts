import { timingSafeEqual, createHash } from 'node:crypto';
import type { Deps } from '../../deps.js';
import { NotFoundError, UnauthorizedError, ValidationError } from '../../errors.js';
import { onCallNow, shiftsOf } from '../../schedules/manage-overrides.js';
import { renderIcsFeed } from '../../schedules/ical-feed.js';
import type { Rotation } from '../../config/schedule-config.js';
import type { NameLookup } from '../../review/current-draft.js';
import { sendJson } from '../respond.js';
import type { Handler, RequestContext } from '../router.js';
import { requireApiToken } from './require-api-token.js';

const NO_STORE = { 'cache-control': 'no-store' };
const FEED_WEEKS = 8;

type RouteDeps = Pick<Deps, 'db' | 'env' | 'config' | 'clock' | 'log'>;

function rotationText(rotation: Rotation): string {
  if (rotation.kind === 'elapsed') return rotation.ms % 3_600_000 === 0 ? `${rotation.ms / 3_600_000}h` : `${rotation.ms / 60_000}m`;
  return rotation.days === 1 ? 'daily' : rotation.days === 7 ? 'weekly' : `${rotation.days}d`;
}

function scheduleNamed(deps: RouteDeps, name: string | undefined) {
  if (!name || !deps.config.schedules[name]) throw new NotFoundError(`no schedule ${name ?? ''}: defined are ${Object.keys(deps.config.schedules).join(', ') || 'none'}`, 'schedule_not_found');
  return name;
}

/** GET /api/schedules: every schedule with its zone, layers and who is on call now. */
export function listSchedulesRoute(deps: RouteDeps): Handler {
  return async ({ req, res }) => {
    requireApiToken(deps.env, req.headers);
    const schedules = [];
    for (const [name, schedule] of Object.entries(deps.config.schedules)) {
      const now = await onCallNow(deps, name);
      schedules.push({
        name,
        timeZone: schedule.time_zone,
        layers: schedule.layers.map((layer) => ({ name: layer.name, users: layer.users, handoff: layer.handoff, start: layer.start, rotation: rotationText(layer.rotation), restrict: layer.restrict.map((window) => window.text) })),
        handoffNotify: schedule.handoff_notify ?? null,
        slackUsergroup: schedule.slack_usergroup ?? null,
        onCall: now ? { user: now.user, layer: now.layer, override: now.override, from: new Date(now.from).toISOString(), until: new Date(now.until).toISOString() } : null,
      });
    }
    sendJson(res, 200, { schedules }, NO_STORE);
  };
}

/** GET /api/schedules/:name/oncall?at=<ISO>: who is on call then (now when absent); user null when nobody. */
export function onCallRoute(deps: RouteDeps): Handler {
  return async ({ req, res, params, url }) => {
    requireApiToken(deps.env, req.headers);
    const name = scheduleNamed(deps, params.name);
    const given = url.searchParams.get('at');
    const at = given === null ? deps.clock.now() : new Date(given);
    if (Number.isNaN(at.getTime()) || (given !== null && !/^\d{4}-\d\d-\d\dT/.test(given))) throw new ValidationError(`at must be an ISO 8601 time such as 2026-11-30T09:00:00Z, not "${given?.slice(0, 40)}"`, 'invalid_time');
    const shift = await onCallNow(deps, name, at);
    sendJson(res, 200, shift ? { schedule: name, at: at.toISOString(), user: shift.user, layer: shift.layer, override: shift.override, from: new Date(shift.from).toISOString(), until: new Date(shift.until).toISOString() } : { schedule: name, at: at.toISOString(), user: null, layer: null, override: null, from: null, until: null }, NO_STORE);
  };
}

/** Calendar apps cannot send headers: the feed also takes the token as `?token=`. */
function requireFeedToken(deps: RouteDeps, ctx: RequestContext): void {
  const query = ctx.url.searchParams.get('token');
  if (query === null || !deps.env.API_TOKEN) return requireApiToken(deps.env, ctx.req.headers);
  const digest = (text: string) => createHash('sha256').update(text).digest();
  if (!timingSafeEqual(digest(query), digest(deps.env.API_TOKEN))) throw new UnauthorizedError('invalid token', 'invalid_token');
}

/** GET /api/schedules/:name.ics: the final shifts of the next eight weeks (the current one whole) as an iCalendar feed. */
export function icsFeedRoute(deps: RouteDeps, names: NameLookup): Handler {
  return async (ctx) => {
    requireFeedToken(deps, ctx);
    const name = scheduleNamed(deps, ctx.params.name);
    const now = deps.clock.now();
    // The shift in progress is shown whole, from its start.
    const shifts = (await shiftsOf(deps, name, new Date(now.getTime() - 7 * 86_400_000), new Date(now.getTime() + FEED_WEEKS * 7 * 86_400_000))).filter((shift) => shift.until > now.getTime());
    const known = await names([...new Set(shifts.map((shift) => shift.user))]).catch(() => new Map<string, string>());
    const body = Buffer.from(renderIcsFeed(name, shifts, now, known), 'utf8');
    ctx.res.writeHead(200, { 'content-type': 'text/calendar; charset=utf-8', 'content-length': body.length, 'cache-control': 'private, max-age=300' });
    ctx.res.end(ctx.req.method === 'HEAD' ? undefined : body);
  };
}
