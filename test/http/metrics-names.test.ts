import { describe, expect, it } from 'vitest';
import { Metrics } from '../../src/metrics.js';

function value(text: string, name: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.split(' ').pop());
}

describe('process metrics', () => {
  it('carry the standard Node.js names, unprefixed, so common dashboards and alerts find them', async () => {
    const text = await new Metrics({ defaultMetrics: true }).registry.metrics();
    expect(value(text, 'process_cpu_seconds_total')).toBeGreaterThanOrEqual(0);
    expect(value(text, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
    expect(text).not.toContain('incident_bot_process_');
    expect(text).not.toContain('incident_bot_nodejs_');
  });

  it('report a sane minimum event loop lag right after start, not the empty histogram sentinel', async () => {
    const text = await new Metrics({ defaultMetrics: true }).registry.metrics();
    const lagMin = value(text, 'nodejs_eventloop_lag_min_seconds');
    expect(lagMin).toBeGreaterThanOrEqual(0);
    expect(lagMin).toBeLessThan(1);
    expect(text.match(/^nodejs_eventloop_lag_min_seconds /gm)).toHaveLength(1);
  });
});
