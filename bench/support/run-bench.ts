import { readFileSync } from 'node:fs';

/** `, load average 0.76 0.95 1.62 at start` (empty where /proc is missing): a busy machine skews every figure. */
export function loadAverage(): string {
  try {
    return `, load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')} at start`;
  } catch {
    return '';
  }
}

/**
 * Runs a bench's main, then its cleanup (whatever happened), and exits shortly after: open
 * handles (pools, timers) must not keep a finished bench alive. A failure exits 1.
 */
export function runBench(main: () => Promise<void>, cleanup: () => Promise<void>): void {
  const exitSoon = () => setTimeout(() => process.exit(process.exitCode ?? 0), 2_000).unref();
  main()
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    })
    .then(cleanup)
    .finally(exitSoon);
}
