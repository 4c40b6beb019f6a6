import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
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

let clockTicks: number | undefined;
function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/** CPU ms used so far by every process whose command name starts with `name` (Linux /proc). */
function processesCpuMs(name: string): number | undefined {
  try {
    let ticks = 0;
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      let stat: string;
      try {
        stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      } catch {
        continue; // exited meanwhile
      }
      const open = stat.indexOf('(');
      const close = stat.lastIndexOf(')');
      if (!stat.slice(open + 1, close).startsWith(name)) continue;
      // Fields after the command: state ppid … utime (14th field overall) stime (15th).
      const rest = stat.slice(close + 2).split(' ');
      ticks += Number(rest[11]) + Number(rest[12]);
    }
    return (ticks * 1000) / ticksPerSecond();
  } catch {
    return undefined;
  }
}

export interface CpuWindow {
  wallMs: number;
  /** CPU time of this process (bot, its workers, the fake Slack; and the client when inline), ms. */
  processCpuMs: number;
  /** CPU time of all Postgres server processes (other users of the server included), ms; Linux only. */
  postgresCpuMs: number | undefined;
  /** CPU time of redis-server, ms; Linux only. */
  redisCpuMs: number | undefined;
  /** Busy share of all cores of the machine (Linux /proc/stat), 0–1; undefined elsewhere. */
  machineBusy: number | undefined;
}

const minus = (after: number | undefined, before: number | undefined) => (after === undefined || before === undefined ? undefined : after - before);

/** Measures CPU use between this call and the call of the returned function. */
export function cpuWindow(): () => CpuWindow {
  const wall = performance.now();
  const usage = process.cpuUsage();
  const ticks = machineTicks();
  const postgres = processesCpuMs('postgres');
  const redis = processesCpuMs('redis-server');
  return () => {
    const spent = process.cpuUsage(usage);
    const after = machineTicks();
    const machineBusy = ticks && after && after.total > ticks.total ? (after.busy - ticks.busy) / (after.total - ticks.total) : undefined;
    return {
      wallMs: performance.now() - wall,
      processCpuMs: (spent.user + spent.system) / 1000,
      postgresCpuMs: minus(processesCpuMs('postgres'), postgres),
      redisCpuMs: minus(processesCpuMs('redis-server'), redis),
      machineBusy,
    };
  };
}

/** Machine busy share over `ms` (to show what else runs before the benchmark starts). */
export async function machineBusyOver(ms: number): Promise<number | undefined> {
  const stop = cpuWindow();
  await new Promise((resolve) => setTimeout(resolve, ms));
  return stop().machineBusy;
}

export const CORES = cpus().length;

/** CPU time over wall time as a share of one core, e.g. "87%" (above 100% = more than one core). */
export function pct(cpuMs: number | undefined, wallMs: number): string {
  return cpuMs !== undefined && Number.isFinite(cpuMs) && wallMs > 0 ? `${Math.round((cpuMs / wallMs) * 100)}%` : 'n/a';
}
