/** The error codes of the external contract (DESIGN.md), one class each. */
export type ErrorCode = 'UNAUTHORIZED' | 'VALIDATION_ERROR' | 'NOT_FOUND' | 'PAYLOAD_TOO_LARGE' | 'RATE_LIMITED' | 'UNAVAILABLE' | 'INTERNAL_ERROR';

export abstract class BotError extends Error {
  abstract readonly code: ErrorCode;
  abstract readonly status: number;
  abstract readonly retryable: boolean;
  constructor(
    message: string,
    readonly reason: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class UnauthorizedError extends BotError {
  readonly code = 'UNAUTHORIZED';
  readonly status = 401;
  readonly retryable = false;
}

export class ValidationError extends BotError {
  readonly code = 'VALIDATION_ERROR';
  readonly status = 400;
  readonly retryable = false;
}

export class UnsupportedMediaTypeError extends BotError {
  readonly code = 'VALIDATION_ERROR';
  readonly status = 415;
  readonly retryable = false;
}

export class NotFoundError extends BotError {
  readonly code = 'NOT_FOUND';
  readonly status = 404;
  readonly retryable = false;
}

export class MethodNotAllowedError extends BotError {
  readonly code = 'NOT_FOUND';
  readonly status = 405;
  readonly retryable = false;
}

export class PayloadTooLargeError extends BotError {
  readonly code = 'PAYLOAD_TOO_LARGE';
  readonly status = 413;
  readonly retryable = false;
}

export class RateLimitedError extends BotError {
  readonly code = 'RATE_LIMITED';
  readonly status = 429;
  readonly retryable = true;
}

/** A dependency (Postgres, Redis) is down: senders should retry, so this is a 503. */
export class UnavailableError extends BotError {
  readonly code = 'UNAVAILABLE';
  readonly status = 503;
  readonly retryable = true;
}

export class InternalError extends BotError {
  readonly code = 'INTERNAL_ERROR';
  readonly status = 500;
  readonly retryable = true;
}

/** Refused for who is asking, not for missing credentials (the sandbox answers loopback only). */
export class ForbiddenError extends BotError {
  readonly code = 'UNAUTHORIZED';
  readonly status = 403;
  readonly retryable = false;
}
