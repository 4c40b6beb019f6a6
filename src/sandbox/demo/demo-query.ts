import { cacheHitRatio, queueWaiting, type DemoState } from './demo-state.js';

/** One sample of a Prometheus instant vector, as `/api/v1/query` returns it. */
export interface VectorSample {
  metric: Record<string, string>;
  value: [number, string];
}

type Rule = [pattern: RegExp, value: (state: DemoState, now: Date, query: string) => number | undefined];

/**
 * Plausible figures for the shipped runbooks' queries. This is not PromQL: the demo application
 * answers by the metric a query names, healthy by default, and from its state where a mitigation
 * changes it (a paused queue grows, an invalidated cache misses). `undefined` is an empty vector.
 */
const RULES: Rule[] = [
  [/cache_hits_total/, (state, now) => cacheHitRatio(state, now)],
  [/jobs_queue_length/, (state, now) => queueWaiting(state, now)],
  [/jobs_queue_running/, (state) => (state.queue.paused ? 0 : state.queue.running)],
  [/changes\(process_start_time_seconds/, () => 0],
  [/process_start_time_seconds/, (state, now) => (now.getTime() - state.startedAt.getTime()) / 60_000],
  [/retention_last_success_timestamp_seconds/, (state) => (state.retentionRuns > 0 ? 0.01 : 3.2)],
  [/\b(pg_up|redis_up)\b|\bup\{/, () => 1],
  [/\bup == 0/, () => 0],
  [/\bALERTS\b/, () => undefined],
  [/prometheus_tsdb_head_series/, (_state, _now, query) => (query.includes(' - ') ? 1_250 : 48_210)],
  [/process_resident_memory_bytes/, () => 212_000_000],
  [/histogram_quantile/, (_state, _now, query) => (/_ms_bucket/.test(query) ? 84 : 0.21)],
  [/offset 1d/, () => 0.97],
  [/sse_connections_open/, () => 128],
  [/retention_sweep_duration_ms/, () => 1_840],
  [/or vector\(0\)/, () => 0],
  [/\)\s*\/\s*\(?\s*sum\(/, () => 0.004],
];

const LABEL_VALUES: Record<string, string[]> = {
  route: ['/api/orders', '/api/login', '/api/search'],
  status: ['500', '503', '502'],
  code: ['VALIDATION_ERROR', 'PAYMENT_REQUIRED', 'INVALID_PAYMENT'],
  reason: ['invalid_password', 'unknown_user', 'expired_token'],
  job_type: ['send-email', 'sync-invoices', 'resize-image'],
  instance: ['worker-1:9100', 'worker-2:9100'],
  upstream: ['payment-provider', 'geo-api', 'email-provider'],
  layer: ['redis', 'memory'],
  table: ['events', 'sessions', 'audit_log'],
  endpoint: ['https://hooks.example.com/orders', 'https://crm.example.com/in'],
  job: ['api', 'worker'],
  version: ['1.42.0'],
  __name__: ['http_requests_total', 'http_request_duration_seconds_bucket', 'db_query_duration_ms_bucket'],
};

/** Answers an instant query the way Prometheus's HTTP API does (`resultType: vector`). */
export function answerQuery(query: string, state: DemoState, now: Date): VectorSample[] {
  const rule = RULES.find(([pattern]) => pattern.test(query));
  const base = rule ? rule[1](state, now, query) : 12.5;
  if (base === undefined) return [];
  const at = now.getTime() / 1_000;
  const series = seriesOf(query);
  // A top-k list falls from its first entry; other groupings share one value.
  const ranked = /\btopk\(/.test(query);
  return series.map((metric, index) => ({ metric, value: [at, format(ranked ? base / (index + 1) : base)] }));
}

/** The label sets of a `sum by (a, b)` / `topk(k, …)` result; one empty label set otherwise. */
function seriesOf(query: string): Record<string, string>[] {
  const grouped = /\bby \(([^)]*)\)/.exec(query);
  const names = grouped?.[1]?.split(',').map((name) => name.trim()).filter((name) => name !== '' && name !== 'le') ?? [];
  const topk = /\btopk\((\d+)/.exec(query);
  if (names.length === 0 && !topk) return [{}];
  const labels = names.length > 0 ? names : ['job', 'instance'];
  const count = Math.min(Number(topk?.[1] ?? 3), Math.max(...labels.map((name) => LABEL_VALUES[name]?.length ?? 1)));
  const status = /status=~?"(\d{3})/.exec(query)?.[1];
  return Array.from({ length: count }, (_unused, index) =>
    Object.fromEntries(labels.map((name) => {
      const values = name === 'status' && status ? [status] : (LABEL_VALUES[name] ?? [`${name}-${index + 1}`]);
      return [name, values[index % values.length] ?? ''];
    })),
  );
}

function format(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4)));
}
