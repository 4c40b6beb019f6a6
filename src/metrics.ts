import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The bot's Prometheus metrics, on a registry of its own (no global state). */
export class Metrics {
  readonly registry = new Registry();
  readonly webhooksReceived = new Counter({
    name: 'incident_bot_webhooks_received_total',
    help: 'Webhook deliveries received, by source and outcome (accepted, duplicate, rejected, unavailable).',
    labelNames: ['source', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly incidentsOpened = new Counter({
    name: 'incident_bot_incidents_opened_total',
    help: 'Incidents opened, by source and severity.',
    labelNames: ['source', 'severity'] as const,
    registers: [this.registry],
  });
  readonly slackApiErrors = new Counter({
    name: 'incident_bot_slack_api_errors_total',
    help: 'Slack Web API calls that failed, by method and error (rate-limited calls included).',
    labelNames: ['method', 'error'] as const,
    registers: [this.registry],
  });
  readonly slackConnection = new Gauge({
    name: 'incident_bot_slack_connection',
    help: 'The Slack connection as /health reports it: 1 for the current state (up, down, unauthorized), 0 for the others.',
    labelNames: ['state'] as const,
    registers: [this.registry],
  });
  readonly slackRefusals = new Counter({
    name: 'incident_bot_slack_refusals_total',
    help: 'Times Slack began refusing the bot for good (invalid_auth, token_revoked, missing_scope …): Slack work waits until it is fixed.',
    labelNames: ['error'] as const,
    registers: [this.registry],
  });
  readonly queueDepth = new Gauge({
    name: 'incident_bot_queue_jobs',
    help: 'Jobs in each queue, by state.',
    labelNames: ['queue', 'state'] as const,
    registers: [this.registry],
  });
  readonly escalations = new Counter({
    name: 'incident_bot_escalations_total',
    help: 'Escalation steps, by level (L1, L2, L3) and reason (opened, timeout, manual, repeat).',
    labelNames: ['level', 'reason'] as const,
    registers: [this.registry],
  });
  readonly timeToAcknowledge = new Histogram({
    name: 'incident_bot_time_to_acknowledge_seconds',
    help: 'From incident opened to acknowledged.',
    buckets: [30, 60, 120, 300, 600, 900, 1_800, 3_600, 7_200],
    registers: [this.registry],
  });
  readonly mtta = new Gauge({
    name: 'incident_bot_mtta_seconds',
    help: 'Mean time to acknowledge: opening to first acknowledgement, over resolved incidents that were acknowledged, by severity (read from Postgres at scrape time).',
    labelNames: ['severity'] as const,
    registers: [this.registry],
  });
  readonly mttr = new Gauge({
    name: 'incident_bot_mttr_seconds',
    help: 'Mean time to resolve: opening to resolution, over resolved incidents, by severity (read from Postgres at scrape time).',
    labelNames: ['severity'] as const,
    registers: [this.registry],
  });
  readonly resolvedIncidents = new Gauge({
    name: 'incident_bot_resolved_incidents',
    help: 'Resolved incidents by severity and whether they were acknowledged: the populations of incident_bot_mttr_seconds (all) and incident_bot_mtta_seconds (acknowledged="true").',
    labelNames: ['severity', 'acknowledged'] as const,
    registers: [this.registry],
  });
  readonly reviews = new Gauge({
    name: 'incident_bot_reviews',
    help: 'Post-incident reviews by state: done_on_time, done_late, overdue (draft past its due time), pending (draft not yet due).',
    labelNames: ['state'] as const,
    registers: [this.registry],
  });
  readonly updatesPosted = new Gauge({
    name: 'incident_bot_status_updates_posted',
    help: 'Stakeholder updates posted, by the severity of their incident (read from Postgres at scrape time).',
    labelNames: ['severity'] as const,
    registers: [this.registry],
  });
  readonly updatesOverdue = new Gauge({
    name: 'incident_bot_status_updates_overdue',
    help: 'Incidents not resolved whose next stakeholder update is past due (read from Postgres at scrape time).',
    registers: [this.registry],
  });
  readonly httpDuration = new Histogram({
    name: 'incident_bot_http_request_duration_seconds',
    help: 'HTTP request duration, by route and status code.',
    labelNames: ['route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  constructor(options: { defaultMetrics?: boolean } = {}) {
    // Unprefixed, as the standard Node.js dashboards and alerts expect (process_cpu_seconds_total …).
    if (options.defaultMetrics) {
      collectDefaultMetrics({ register: this.registry });
      replaceLagMin(this.registry);
    }
  }
}

const LAG_MIN = 'nodejs_eventloop_lag_min_seconds';

/**
 * prom-client reports the minimum of an empty event-loop delay histogram (before its first sample,
 * right after start) as Node's sentinel, 9223372036.85 s. This one reports 0 until there is a sample.
 */
function replaceLagMin(registry: Registry): void {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  registry.removeSingleMetric(LAG_MIN);
  new Gauge({
    name: LAG_MIN,
    help: 'The minimum recorded event loop delay.',
    registers: [registry],
    collect() {
      this.set(delay.count > 0 ? delay.min / 1e9 : 0);
      delay.reset();
    },
  });
}
