import type { Target } from '../config/config-file.js';
import type { Logger } from '../log.js';

/** What running one action produced, whether its checks passed or not. */
export interface ActionResult {
  /** The action's expectations held (status, body check, threshold, command exit code 0 …). */
  ok: boolean;
  /** One line for the thread: "200 OK in 35 ms", "0.042 (threshold > 0.05 not crossed)". */
  summary: string;
  /** The key figures: status code, latency, query value, row count, exit code … */
  figures: Record<string, string | number | boolean | null>;
  /** The full output, kept in Postgres; Slack shows it trimmed. */
  output: string;
}

export interface ActionContext {
  /** The resolved target the action names (from the config file). */
  target: Target;
  /** Labels of the incident's alert: the only outside values a template may use, and only where allowed. */
  labels: Record<string, string>;
  /** Aborted when the action's timeout elapses or the worker shuts down. */
  signal: AbortSignal;
  timeoutMs: number;
  log: Logger;
}

/** The target could not be reached or answered in a way that says nothing about the check: worth a retry. */
export class ActionTargetError extends Error {
  override name = 'ActionTargetError';
}

/** The action cannot run as declared (template value refused, target of the wrong type, command disabled): never retried. */
export class ActionInputError extends Error {
  override name = 'ActionInputError';
}

/** The action did not finish within its timeout. */
export class ActionTimeoutError extends Error {
  override name = 'ActionTimeoutError';
}
