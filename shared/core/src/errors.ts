export type AppErrorCode =
  | "BAD_INPUT"
  | "VALIDATION_ERROR"
  | "NOT_FOUND"
  | "NOT_IMPLEMENTED"
  | "UNKNOWN_TOOL"
  | "UPSTREAM_UNAVAILABLE"
  | "UPSTREAM_NOT_IMPLEMENTED"
  | "UPSTREAM_TIMEOUT"
  | "TELEGRAM_ERROR"
  | "TELEGRAM_RATE_LIMITED"
  | "ASR_FAILED"
  | "LLM_FAILED"
  | "QUEUE_OVERLOADED"
  | "LEASE_LOST"
  | "ACTION_CONFLICT"
  | "CONFIG_MISSING"
  | "INTERNAL";

/** The one error type that crosses module boundaries; `retryable` decides what the queue does. */
export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly retryable: boolean;
  readonly details: Record<string, unknown> | undefined;
  /** Seconds to wait before retrying, when the upstream said so (Telegram 429). */
  readonly retryAfterSec: number | undefined;

  constructor(
    code: AppErrorCode,
    message: string,
    opts: { retryable?: boolean; cause?: unknown; details?: Record<string, unknown>; retryAfterSec?: number } = {},
  ) {
    super(message, { cause: opts.cause });
    this.name = "AppError";
    this.code = code;
    this.retryable = opts.retryable ?? false;
    this.details = opts.details;
    this.retryAfterSec = opts.retryAfterSec;
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;
