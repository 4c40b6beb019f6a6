/**
 * Fault injection: make the next N calls to a method fail (or be slow) in a chosen way.
 */

export interface FaultSpec {
  /** Slack error code, answered as HTTP 200 `{ ok: false, error }` unless `status`/`retryAfter` say otherwise. */
  error?: string;
  /** HTTP status to answer with (e.g. 500, 503). */
  status?: number;
  /** Answer HTTP 429 with `Retry-After: <retryAfter>` and `{ ok: false, error: "ratelimited" }`. */
  retryAfter?: number;
  /** How many consecutive calls are affected (default 1). */
  times?: number;
  /** Delay before answering. Alone (no error/status/retryAfter) the call then proceeds normally. */
  delayMs?: number;
  /**
   * Slack acts first, then the answer is lost: the method runs (the channel is created, the message
   * posted), and the caller gets the fault's answer instead (a 502, a dropped connection, or, with
   * only `delayMs`, the real answer that late), as when a proxy or the network fails on the way back.
   */
  afterActing?: boolean;
  /** Close the connection without answering (a network error for the caller). */
  drop?: boolean;
  /** Only calls whose arguments this accepts are affected (e.g. one channel's posts). */
  match?: (args: Record<string, unknown>) => boolean;
  /** More fields of the error answer, as Slack adds them (`needed` and `provided` with missing_scope). */
  extra?: Record<string, string>;
}

/** What the dispatcher should do with a call a fault applies to. */
export type FaultOutcome = { afterActing: boolean } & (
  | { kind: 'delay-only'; delayMs: number }
  | { kind: 'drop'; delayMs: number }
  | { kind: 'respond'; delayMs: number; status: number; error: string; retryAfter?: number; extra?: Record<string, string> }
);

/** Method name that matches every method in `failNext`. */
export const ANY_METHOD = '*';

const DEFAULT_ERROR_BY_STATUS: Record<number, string> = {
  429: 'ratelimited',
  500: 'internal_error',
  502: 'internal_error',
  503: 'service_unavailable',
  504: 'request_timeout',
};

export function toOutcome(spec: FaultSpec): FaultOutcome {
  const delayMs = spec.delayMs ?? 0;
  const afterActing = spec.afterActing ?? false;
  if (spec.drop) return { afterActing, kind: 'drop', delayMs };
  if (spec.retryAfter !== undefined) {
    return { afterActing, kind: 'respond', delayMs, status: 429, error: spec.error ?? 'ratelimited', retryAfter: spec.retryAfter };
  }
  if (spec.status !== undefined && spec.status !== 200) {
    return {
      afterActing,
      kind: 'respond',
      delayMs,
      status: spec.status,
      error: spec.error ?? DEFAULT_ERROR_BY_STATUS[spec.status] ?? 'fatal_error',
    };
  }
  if (spec.error !== undefined) return { afterActing, kind: 'respond', delayMs, status: 200, error: spec.error, ...(spec.extra ? { extra: spec.extra } : {}) };
  return { afterActing, kind: 'delay-only', delayMs };
}

export class FaultInjector {
  private readonly queues = new Map<string, Array<{ spec: FaultSpec; remaining: number }>>();

  add(method: string, spec: FaultSpec): void {
    const times = spec.times ?? 1;
    if (!Number.isInteger(times) || times < 1) throw new Error(`failNext: times must be a positive integer`);
    const queue = this.queues.get(method) ?? [];
    queue.push({ spec, remaining: times });
    this.queues.set(method, queue);
  }

  /** Consumes the fault that applies to this call, if any (method-specific faults first, then `*`). */
  take(method: string, args: Record<string, unknown> = {}): FaultOutcome | undefined {
    for (const key of [method, ANY_METHOD]) {
      const queue = this.queues.get(key);
      const at = queue?.findIndex((fault) => fault.spec.match?.(args) ?? true) ?? -1;
      const head = queue?.[at];
      if (!queue || !head) continue;
      head.remaining -= 1;
      if (head.remaining === 0) queue.splice(at, 1);
      return toOutcome(head.spec);
    }
    return undefined;
  }

  pending(method: string): number {
    return (this.queues.get(method) ?? []).reduce((n, f) => n + f.remaining, 0);
  }

  clear(): void {
    this.queues.clear();
  }
}
