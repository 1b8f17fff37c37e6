import type { BackoffStrategy } from "bullmq";

/**
 * Thrown by a job whose row failed an attempt and backs off until a time the row records: BullMQ
 * counts the attempt, shows the error, and keeps the job delayed for exactly that long (the "row"
 * backoff strategy below reads it from here).
 */
export class RetryLater extends Error {
  readonly delayMs: number;
  constructor(message: string, delayMs: number) {
    super(message);
    this.name = "RetryLater";
    this.delayMs = Math.max(0, Math.round(delayMs));
  }
}

export type BackoffPolicy = { baseMs: number; maxMs: number };

/**
 * Exponential backoff with a cap and full-range jitter of ±20 %: attempt 1 waits about `baseMs`,
 * each later one twice as long, never more than `maxMs`. Jitter spreads the retries of many rows
 * that failed together (an outage) so they do not return in one burst.
 */
export function backoffMs(p: BackoffPolicy, attempt: number, random: () => number = Math.random): number {
  const exp = p.baseMs * 2 ** Math.max(0, Math.min(attempt - 1, 30));
  const capped = Math.min(p.maxMs, exp);
  return Math.round(capped * (0.8 + 0.4 * random()));
}

/** BullMQ's backoff for row jobs: the row's own delay when it said one, else the policy by BullMQ's count. */
export function rowBackoffStrategy(p: BackoffPolicy): BackoffStrategy {
  return (attemptsMade, _type, err) => (err instanceof RetryLater ? err.delayMs : backoffMs(p, attemptsMade));
}
