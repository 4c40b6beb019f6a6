import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActionInputError, ActionTargetError } from '../../src/actions/action-result.js';
import { executeAction } from '../../src/actions/execute-action.js';
import { action, context, rejection, target } from './support/action-context.js';
import { freePort } from '../support/free-port.js';
import { startPrometheus, type PrometheusServer } from '../support/prometheus-process.js';

let prometheus: PrometheusServer;
beforeAll(async () => {
  prometheus = await startPrometheus();
}, 90_000);
afterAll(async () => {
  await prometheus?.stop();
});

const metrics = () => target({ type: 'prometheus', url: prometheus.url });
const query = (text: string, threshold?: { op: string; value: number }) => action({ type: 'prometheus', query: text, ...(threshold ? { threshold } : {}) });
const TWO_SERIES = 'up{job="prometheus"} or label_replace(up{job="prometheus"} * 0, "job", "fake", "", "")';

describe('prometheus actions against a real Prometheus', () => {
  it('runs an instant query: value of the first sample and the series count', async () => {
    const result = await executeAction(query('up{job="prometheus"}'), context(metrics()));
    expect(result.ok).toBe(true);
    expect(result.figures).toMatchObject({ value: 1, series: 1 });
    expect(result.summary).toContain('up{');
    expect(result.output).toContain('vector, 1 series');
  });

  it('fills a label into a string literal', async () => {
    const result = await executeAction(query('up{job="{{labels.job}}"}'), context(metrics(), { labels: { job: 'prometheus' } }));
    expect(result.figures).toMatchObject({ value: 1, series: 1 });
    const regex = await executeAction(query('up{job=~"{{labels.job}}"}'), context(metrics(), { labels: { job: 'prometheus' } }));
    expect(regex.figures.series).toBe(1);
  });

  it('passes when the healthy condition holds', async () => {
    const result = await executeAction(query('up{job="prometheus"}', { op: '==', value: 1 }), context(metrics()));
    expect(result.ok).toBe(true);
    expect(result.summary).toBe('1, within the threshold (healthy when == 1)');
    expect(result.figures.crossed).toBe(0);
  });

  it('fails, saying so, when the threshold is crossed', async () => {
    const result = await executeAction(query('up{job="prometheus"}', { op: '<', value: 0.5 }), context(metrics()));
    expect(result.ok).toBe(false);
    expect(result.summary).toMatch(/^threshold crossed: up\{.*\} 1 \(healthy when < 0.5\)$/);
  });

  it('checks every series against the threshold', async () => {
    const result = await executeAction(query(TWO_SERIES, { op: '==', value: 1 }), context(metrics()));
    expect(result.ok).toBe(false);
    expect(result.figures).toMatchObject({ series: 2, crossed: 1 });
    expect(result.summary).toContain('threshold crossed by 1 of 2 series');
    expect(result.summary).toContain('job="fake"');
  });

  it('reports no data: fine without a threshold, a failure with one', async () => {
    const plain = await executeAction(query('up{job="no-such-job"}'), context(metrics()));
    expect(plain).toMatchObject({ ok: true, summary: 'no data (0 series)', figures: { series: 0, value: null } });
    const checked = await executeAction(query('up{job="no-such-job"}', { op: '==', value: 1 }), context(metrics()));
    expect(checked.ok).toBe(false);
    expect(checked.summary).toContain('no data');
  });

  it('reads scalars, and counts NaN as crossing a threshold', async () => {
    expect((await executeAction(query('1 + 1'), context(metrics()))).figures.value).toBe(2);
    const nan = await executeAction(query('0 / 0', { op: '<', value: 0.05 }), context(metrics()));
    expect(nan.ok).toBe(false);
    expect(nan.figures.value).toBe('NaN');
    expect(nan.summary).toBe('the query has no value (NaN, e.g. 0/0 without traffic): the threshold cannot be checked (healthy when < 0.05)');
  });

  it('refuses bad PromQL as the runbook’s fault', async () => {
    const error = await rejection(executeAction(query('sum(rate(up[5m]'), context(metrics())));
    expect(error).toBeInstanceOf(ActionInputError);
    expect(error.message).toContain('Prometheus refused the query');
  });

  it('throws ActionTargetError when Prometheus is unreachable', async () => {
    const down = target({ type: 'prometheus', url: `http://127.0.0.1:${await freePort()}` });
    const error = await rejection(executeAction(query('up'), context(down)));
    expect(error).toBeInstanceOf(ActionTargetError);
  });
});
