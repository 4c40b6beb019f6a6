import type { Deps } from '../deps.js';
import { NotFoundError } from '../errors.js';
import { getIncidentRoute, getReviewRoute, listIncidentsRoute } from '../http/api/incidents-routes.js';
import { icsFeedRoute, listSchedulesRoute, onCallRoute } from '../http/api/schedules-routes.js';
import { healthRoute } from '../http/health-route.js';
import { metricsRoute } from '../http/metrics-route.js';
import { Router } from '../http/router.js';
import { alertmanagerRoute } from '../ingest/alertmanager/alertmanager-route.js';
import { sentryRoute } from '../ingest/sentry/sentry-route.js';
import { mountSandbox } from '../sandbox/sandbox-routes.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import type { SlackApp } from '../slack/bolt-app.js';
import { slackUserNames } from '../slack/user-names.js';
import { VERSION } from './version.js';

/** Every HTTP route of the external contract. */
export function buildRouter(deps: Deps, slack: SlackApp, sandbox?: Sandbox): Router {
  const router = new Router()
    .on('POST', '/webhooks/alertmanager', alertmanagerRoute(deps))
    .on('POST', '/webhooks/sentry', sentryRoute(deps))
    .on('GET', '/api/incidents', listIncidentsRoute(deps))
    .on('GET', '/api/incidents/:id', getIncidentRoute(deps))
    .on('GET', '/api/incidents/:id/review', getReviewRoute(deps, slackUserNames(deps.slack, deps.log)))
    .on('GET', '/api/schedules', listSchedulesRoute(deps))
    .on('GET', '/api/schedules/:name.ics', icsFeedRoute(deps, slackUserNames(deps.slack, deps.log)))
    .on('GET', '/api/schedules/:name/oncall', onCallRoute(deps))
    .on('GET', '/health', healthRoute(deps, VERSION))
    .on('GET', '/metrics', metricsRoute(deps));
  const listener = slack.requestListener;
  router.on('POST', '/slack/events', ({ req, res }) => {
    if (!listener) throw new NotFoundError('Slack requests arrive over Socket Mode (SLACK_APP_TOKEN is set), not over HTTP', 'socket_mode');
    listener(req, res);
  });
  if (sandbox) mountSandbox(router, deps, sandbox);
  return router;
}
