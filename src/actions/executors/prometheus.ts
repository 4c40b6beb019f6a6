import { STATUS_CODES } from 'node:http';
import { request } from 'undici';
import { z } from 'zod';
import type { Target } from '../../config/config-file.js';
import type { RunbookAction } from '../../runbooks/runbook-schema.js';
import { ActionInputError, ActionTargetError, type ActionContext, type ActionResult } from '../action-result.js';
import { fillPromQL } from '../templates/fill-promql.js';
import { targetUrl } from '../templates/target-url.js';
import { readCapped } from './read-capped.js';
import { targetHeaders } from './target-headers.js';
import { unreachable } from './unreachable.js';

type PrometheusAction = Extract<RunbookAction, { type: 'prometheus' }>;
type PrometheusTarget = Extract<Target, { type: 'prometheus' }>;
type Threshold = NonNullable<PrometheusAction['threshold']>;

const READ_LIMIT = 8 * 1024 * 1024;
const SHOWN_SERIES = 100;

const sampleValue = z.tuple([z.number(), z.string()]);
const metric = z.record(z.string(), z.string());
const apiResponse = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('success'),
    data: z.discriminatedUnion('resultType', [
      // A native histogram sample carries `histogram` instead of `value`.
      z.object({ resultType: z.literal('vector'), result: z.array(z.object({ metric, value: sampleValue.optional() })) }),
      z.object({ resultType: z.literal('matrix'), result: z.array(z.object({ metric, values: z.array(sampleValue).optional() })) }),
      z.object({ resultType: z.literal('scalar'), result: sampleValue }),
      z.object({ resultType: z.literal('string'), result: sampleValue }),
    ]),
    warnings: z.array(z.string()).optional(),
  }),
  z.object({ status: z.literal('error'), errorType: z.string(), error: z.string() }),
]);

interface Sample {
  series: string;
  text: string;
  value: number;
}

const COMPARE: Record<Threshold['op'], (a: number, b: number) => boolean> = {
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
  '==': (a, b) => a === b,
  '!=': (a, b) => a !== b,
};

/**
 * A PromQL instant query. A `threshold` states the HEALTHY condition (`{op: '<', value: 0.05}`:
 * healthy while below 0.05) and is checked against every series of the result: ok is false
 * when any series crosses it (NaN counts as crossing), or when there is no data to check.
 */
export async function runPrometheus(action: PrometheusAction, target: PrometheusTarget, ctx: ActionContext): Promise<ActionResult> {
  const query = fillPromQL(action.query, ctx.labels);
  const url = targetUrl(target.url, '/api/v1/query', { query, timeout: `${Math.max(1, Math.floor(ctx.timeoutMs))}ms` });
  const started = performance.now();
  const response = await request(url, { method: 'GET', headers: { accept: 'application/json', ...targetHeaders(target) }, signal: ctx.signal }).catch((error: unknown) => {
    throw unreachable(error, `Prometheus at ${url.origin}`, ctx.signal);
  });
  const read = await readCapped(response.body, READ_LIMIT).catch((error: unknown) => {
    throw unreachable(error, `Prometheus at ${url.origin} (reading the answer)`, ctx.signal);
  });
  const latencyMs = Math.round(performance.now() - started);
  const status = response.statusCode;
  const text = read.bytes.toString('utf8');
  const parsed = apiResponse.safeParse(parseJson(text));
  const answer = parsed.success ? parsed.data : undefined;
  const problem = answer?.status === 'error' ? `${answer.errorType}: ${answer.error}` : `${status} ${STATUS_CODES[status] ?? ''} ${text.slice(0, 200)}`.trim();

  if (status >= 500 || status === 429) throw new ActionTargetError(`Prometheus answered ${status}: ${problem}`);
  if (!read.complete) return failed(`the answer is larger than ${READ_LIMIT} bytes: narrow the query`, query, latencyMs);
  if (!answer) {
    if (status >= 400) throw new ActionInputError(`Prometheus answered ${problem}`);
    throw new ActionTargetError(`${url.origin} did not answer like the Prometheus query API (status ${status})`);
  }
  if (answer.status === 'error') {
    if (answer.errorType === 'bad_data') throw new ActionInputError(`Prometheus refused the query: ${answer.error}`);
    return failed(`query failed (${problem})`, query, latencyMs);
  }

  const samples = samplesOf(answer.data);
  const first = samples[0];
  const lines = [
    `query: ${query}`,
    `${answer.data.resultType}, ${samples.length} series, ${latencyMs} ms`,
    ...samples.slice(0, SHOWN_SERIES).map((sample) => `${sample.series || '{}'} ${sample.text}`),
    ...(samples.length > SHOWN_SERIES ? [`[${samples.length - SHOWN_SERIES} more series not shown]`] : []),
    ...(answer.warnings ?? []).map((warning) => `warning: ${warning}`),
  ];
  const figures: ActionResult['figures'] = { value: first ? figureValue(first) : null, series: samples.length, latencyMs };
  const verdict = judge(samples, action.threshold);
  if (action.threshold) figures.crossed = verdict.crossed;
  return { ok: verdict.ok, summary: verdict.summary, figures, output: lines.join('\n') };
}

function judge(samples: Sample[], threshold: Threshold | undefined): { ok: boolean; summary: string; crossed: number } {
  const first = samples[0];
  const firstText = first ? `${first.series ? `${first.series} ` : ''}${short(first)}` : '';
  const many = samples.length > 1 ? `${samples.length} series, first ${firstText}` : firstText;
  if (!threshold) return { ok: true, summary: first ? many : 'no data (0 series)', crossed: 0 };
  const healthy = `healthy when ${threshold.op} ${threshold.value}`;
  if (!first) return { ok: false, summary: `no data: the threshold cannot be checked (${healthy})`, crossed: 0 };
  const crossing = samples.filter((sample) => !COMPARE[threshold.op](sample.value, threshold.value));
  if (crossing.length === 0) {
    const which = samples.length > 1 ? `all ${samples.length} series within the threshold` : `${short(first)}, within the threshold`;
    return { ok: true, summary: `${which} (${healthy})`, crossed: 0 };
  }
  if (crossing.every((sample) => Number.isNaN(sample.value))) {
    const which = samples.length > 1 ? `${crossing.length} of ${samples.length} series have` : 'the query has';
    return { ok: false, summary: `${which} no value (NaN, e.g. 0/0 without traffic): the threshold cannot be checked (${healthy})`, crossed: crossing.length };
  }
  const listed = crossing.slice(0, 3).map((sample) => `${sample.series ? `${sample.series} ` : ''}${short(sample)}`);
  const more = crossing.length > 3 ? ` and ${crossing.length - 3} more` : '';
  const by = samples.length > 1 ? ` by ${crossing.length} of ${samples.length} series` : '';
  return { ok: false, summary: `threshold crossed${by}: ${listed.join(', ')}${more} (${healthy})`, crossed: crossing.length };
}

function samplesOf(data: Extract<z.infer<typeof apiResponse>, { status: 'success' }>['data']): Sample[] {
  const sample = (series: Record<string, string>, value: [number, string] | undefined): Sample => ({
    series: seriesName(series),
    text: value ? value[1] : '(native histogram)',
    value: value ? Number(value[1]) : Number.NaN,
  });
  switch (data.resultType) {
    case 'vector':
      return data.result.map((item) => sample(item.metric, item.value));
    case 'matrix':
      // An instant query returns a matrix for a range selector: each series is judged by its latest value.
      return data.result.map((item) => sample(item.metric, item.values?.at(-1)));
    case 'scalar':
    case 'string':
      return [sample({}, data.result)];
  }
}

function seriesName(metric: Record<string, string>): string {
  const { __name__: name = '', ...labels } = metric;
  const pairs = Object.entries(labels).map(([label, value]) => `${label}=${JSON.stringify(value)}`);
  return pairs.length > 0 ? `${name}{${pairs.join(', ')}}` : name;
}

/** A value for the summary: four significant digits are enough to read. */
function short(sample: Sample): string {
  return Number.isFinite(sample.value) && !Number.isInteger(sample.value) ? String(Number(sample.value.toPrecision(4))) : sample.text;
}

function figureValue(sample: Sample): number | string {
  return Number.isFinite(sample.value) ? sample.value : sample.text;
}

function failed(summary: string, query: string, latencyMs: number): ActionResult {
  return { ok: false, summary, figures: { value: null, series: 0, latencyMs }, output: `query: ${query}\n${summary}` };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
