import type { Target } from '../config/config-file.js';
import type { RunbookAction } from '../runbooks/runbook-schema.js';
import { ActionInputError, ActionTargetError, ActionTimeoutError, type ActionContext, type ActionResult } from './action-result.js';
import { runCommand } from './executors/command.js';
import { runHttp } from './executors/http.js';
import { runPostgres } from './executors/postgres.js';
import { runPrometheus } from './executors/prometheus.js';
import { runRedis } from './executors/redis.js';
import { redact, targetSecrets } from './executors/target-secrets.js';
import { templateProblems } from './templates/fill-template.js';

/**
 * Runs one declared action against its target within `ctx.timeoutMs`. Throws ActionInputError
 * (never worth a retry), ActionTargetError (worth a retry) or ActionTimeoutError; when
 * `ctx.signal` is aborted for another reason (shutdown), throws that reason. Secrets of the
 * target never appear in the result nor in an error message.
 */
export async function executeAction(action: RunbookAction, ctx: ActionContext): Promise<ActionResult> {
  const secrets = targetSecrets(ctx.target);
  try {
    const result = await withTimeout(action, ctx);
    return { ...result, summary: redact(result.summary, secrets), output: redact(result.output, secrets), figures: redactFigures(result.figures, secrets) };
  } catch (error) {
    throw redactError(error, secrets);
  }
}

async function withTimeout(action: RunbookAction, ctx: ActionContext): Promise<ActionResult> {
  const problems = templateProblems(action);
  if (problems.length > 0) throw new ActionInputError(`action "${action.id}": ${problems.join('; ')}`);
  if (ctx.target.type !== action.type) {
    throw new ActionInputError(`action "${action.id}" is of type ${action.type} but its target "${action.target}" is of type ${ctx.target.type}`);
  }
  if (ctx.signal.aborted) throw abortError(ctx.signal.reason);
  const controller = new AbortController();
  const timeout = new ActionTimeoutError(`action "${action.id}" did not finish within ${ctx.timeoutMs} ms`);
  // Registered before the executor starts, so this rejection wins over whatever the executor throws on abort.
  const aborted = new Promise<never>((_, reject) => {
    controller.signal.addEventListener('abort', () => reject(abortError(controller.signal.reason)), { once: true });
  });
  const forward = () => controller.abort(ctx.signal.reason);
  ctx.signal.addEventListener('abort', forward, { once: true });
  const timer = setTimeout(() => controller.abort(timeout), ctx.timeoutMs);
  try {
    const run = dispatch(action, { ...ctx, signal: controller.signal });
    run.catch(() => undefined);
    return await Promise.race([run, aborted]);
  } finally {
    clearTimeout(timer);
    ctx.signal.removeEventListener('abort', forward);
    aborted.catch(() => undefined);
  }
}

async function dispatch(action: RunbookAction, ctx: ActionContext): Promise<ActionResult> {
  switch (action.type) {
    case 'http':
      return runHttp(action, targetOf(ctx.target, 'http'), ctx);
    case 'prometheus':
      return runPrometheus(action, targetOf(ctx.target, 'prometheus'), ctx);
    case 'postgres':
      return runPostgres(action, targetOf(ctx.target, 'postgres'), ctx);
    case 'redis':
      return runRedis(action, targetOf(ctx.target, 'redis'), ctx);
    case 'command':
      return runCommand(action, targetOf(ctx.target, 'command'), ctx);
    default: {
      const unknown: never = action;
      throw new ActionInputError(`unknown action type ${(unknown as { type: string }).type}`);
    }
  }
}

function targetOf<T extends Target['type']>(target: Target, type: T): Extract<Target, { type: T }> {
  if (target.type !== type) throw new ActionInputError(`target of type ${target.type} where ${type} is needed`);
  return target as Extract<Target, { type: T }>;
}

function abortError(reason: unknown): Error {
  if (reason instanceof ActionTimeoutError) return reason;
  if (reason instanceof Error && reason.name === 'TimeoutError') return new ActionTimeoutError(`action timed out: ${reason.message}`);
  return reason instanceof Error ? reason : new Error(`action cancelled${reason === undefined ? '' : `: ${String(reason)}`}`);
}

function redactError(error: unknown, secrets: readonly string[]): Error {
  const original = error instanceof Error ? error.message : String(error);
  const message = redact(original, secrets);
  if (error instanceof Error && message === original) return error;
  return (
    error instanceof ActionInputError ? new ActionInputError(message)
    : error instanceof ActionTargetError ? new ActionTargetError(message)
    : error instanceof ActionTimeoutError ? new ActionTimeoutError(message)
    : Object.assign(new Error(message), { name: error instanceof Error ? error.name : 'Error' })
  );
}

function redactFigures(figures: ActionResult['figures'], secrets: readonly string[]): ActionResult['figures'] {
  return Object.fromEntries(Object.entries(figures).map(([name, value]) => [name, typeof value === 'string' ? redact(value, secrets) : value]));
}
