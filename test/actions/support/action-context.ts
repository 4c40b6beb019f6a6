import { pino } from 'pino';
import type { ActionContext } from '../../../src/actions/action-result.js';
import { configSchema, type Target } from '../../../src/config/config-file.js';
import { actionSchema, type RunbookAction } from '../../../src/runbooks/runbook-schema.js';

/** A target as the config file would give it (defaults applied). */
export function target(raw: Record<string, unknown>): Target {
  const parsed = configSchema.parse({ targets: { t: raw } }).targets.t;
  if (!parsed) throw new Error('no target');
  return parsed;
}

/** An action as a runbook would declare it (defaults applied). */
export function action(raw: Record<string, unknown>): RunbookAction {
  return actionSchema.parse({ id: 'a', label: 'A', kind: 'diagnostic', target: 't', ...raw });
}

export function context(forTarget: Target, options: { labels?: Record<string, string>; timeoutMs?: number; signal?: AbortSignal } = {}): ActionContext {
  return {
    target: forTarget,
    labels: options.labels ?? {},
    signal: options.signal ?? new AbortController().signal,
    timeoutMs: options.timeoutMs ?? 5_000,
    log: pino({ level: 'silent' }),
  };
}

/** The rejection of `promise`, failing the test when it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    const value = await promise;
    throw new Error(`expected a rejection, got ${JSON.stringify(value)}`);
  } catch (error) {
    if (error instanceof Error && error.message.startsWith('expected a rejection')) throw error;
    return error as Error;
  }
}
