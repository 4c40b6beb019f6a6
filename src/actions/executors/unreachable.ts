import { ActionInputError, ActionTargetError } from '../action-result.js';

/**
 * Turns an error from connecting to or talking with a target into the action error it means:
 * an invalid argument is the action's fault, anything else (refused, DNS, reset, TLS) a
 * target that could not be reached. Passed through unchanged once `signal` is aborted.
 */
export function unreachable(error: unknown, what: string, signal: AbortSignal): unknown {
  if (signal.aborted || error instanceof ActionInputError || error instanceof ActionTargetError) return error;
  const code = errorCode(error);
  const messages = error instanceof AggregateError ? error.errors.map((item: unknown) => String((item as Error)?.message ?? item)) : [error instanceof Error ? error.message : String(error)];
  const message = messages.filter(Boolean).join('; ');
  const detail = code && !message.includes(code) ? `${code} ${message}`.trim() : message || 'unknown error';
  if (code === 'UND_ERR_INVALID_ARG' || code === 'ERR_INVALID_ARG_VALUE' || code === 'ERR_INVALID_URL') return new ActionInputError(`${what}: ${detail}`);
  return new ActionTargetError(`${what} cannot be reached: ${detail}`);
}

function errorCode(error: unknown): string | undefined {
  const own = (error as { code?: unknown })?.code;
  if (typeof own === 'string') return own;
  const cause = (error as { cause?: { code?: unknown } })?.cause?.code;
  return typeof cause === 'string' ? cause : undefined;
}
