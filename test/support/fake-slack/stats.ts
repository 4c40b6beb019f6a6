/**
 * Call statistics computed from the call log (for benchmarks and rate-limit assertions).
 */
import type { CallRecord } from './call-record.js';

export interface MethodStats {
  calls: number;
  ok: number;
  errors: number;
  /** Calls answered HTTP 429. */
  rateLimited: number;
  /** Max calls in any sliding window of one (scaled) minute. */
  peakPerMinute: number;
}

/** Max number of timestamps inside any window `[t, t + windowMs)`; timestamps need not be sorted. */
export function peakInWindow(timestamps: readonly number[], windowMs: number): number {
  const sorted = [...timestamps].sort((a, b) => a - b);
  let peak = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    const t = sorted[end] as number;
    while ((sorted[start] as number) <= t - windowMs) start++;
    peak = Math.max(peak, end - start + 1);
  }
  return peak;
}

export function methodStats(calls: readonly CallRecord[], method: string, minuteMs: number): MethodStats {
  const mine = calls.filter((c) => c.method === method);
  return {
    calls: mine.length,
    ok: mine.filter((c) => c.ok).length,
    errors: mine.filter((c) => !c.ok).length,
    rateLimited: mine.filter((c) => c.status === 429).length,
    peakPerMinute: peakInWindow(
      mine.map((c) => c.at),
      minuteMs,
    ),
  };
}

export function countsByMethod(calls: readonly CallRecord[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const c of calls) counts[c.method] = (counts[c.method] ?? 0) + 1;
  return counts;
}
