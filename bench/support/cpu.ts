import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';

interface MachineTicks {
  busy: number;
  total: number;
}

function machineTicks(): MachineTicks | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
    const fields = line.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal …
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
    const total = fields.slice(0, 8).reduce((sum, value) => sum + value, 0);
    return { busy: total - idle, total };
  } catch {
    return undefined;
  }
}

export interface CpuWindow {
  wallMs: number;
  /** CPU time of this process (bot, its workers, the fake Slack; and the client when inline), ms. */
  processCpuMs: number;
  /** Busy share of all cores of the machine (Linux /proc/stat), 0–1; undefined elsewhere. */
  machineBusy: number | undefined;
}

/** Measures CPU use between `start` and the returned `stop`. */
export function cpuWindow(): () => CpuWindow {
  const wall = performance.now();
  const usage = process.cpuUsage();
  const ticks = machineTicks();
  return () => {
    const spent = process.cpuUsage(usage);
    const after = machineTicks();
    const machineBusy = ticks && after && after.total > ticks.total ? (after.busy - ticks.busy) / (after.total - ticks.total) : undefined;
    return { wallMs: performance.now() - wall, processCpuMs: (spent.user + spent.system) / 1000, machineBusy };
  };
}

export const CORES = cpus().length;

/** CPU time over wall time as a share of one core, e.g. "87%" (can exceed 100% with threads). */
export function pct(cpuMs: number, wallMs: number): string {
  return wallMs > 0 ? `${Math.round((cpuMs / wallMs) * 100)}%` : 'n/a';
}
