import type { Logger } from "../logger/index.ts";
import { enqueue, type Queues } from "./connection.ts";
import type { JobName, JobPayload } from "./jobs.ts";

/**
 * The durable-path jobs behind the LISTEN fast path: collected for a few milliseconds and added
 * with one addBulk, after the hot path is done with the CPU. Losing a batch of them in a crash is
 * covered by the sweepers, as is a Redis failure (logged, not retried here).
 */
export function createBackupJobs<N extends JobName>(o: {
  queues: Queues;
  name: N;
  delayMs: number;
  flushMs: number;
  log: Logger;
  maxPending?: number;
}) {
  let pending: JobPayload<N>[] = [];
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> = Promise.resolve();
  const max = o.maxPending ?? 5000;

  const flush = (): Promise<void> => {
    timer = undefined;
    const batch = pending;
    pending = [];
    if (batch.length === 0) return inFlight;
    inFlight = inFlight
      .then(() => withTimeout(enqueue(o.queues, o.name, batch, { delayMs: o.delayMs }), 5000))
      .catch((err: unknown) => o.log.warn({ err, jobs: batch.length }, "backup jobs not added; the sweeper covers them"));
    return inFlight;
  };

  return {
    add(payloads: JobPayload<N>[]): void {
      if (payloads.length === 0) return;
      pending.push(...payloads);
      if (pending.length >= max) void flush();
      else timer ??= setTimeout(() => void flush(), o.flushMs);
    },
    /** Adds what is waiting now (shutdown). */
    flush: (): Promise<void> => {
      if (timer) clearTimeout(timer);
      return flush();
    },
  };
}

/** A Redis outage must not build an unbounded chain of waiting adds. */
function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let t: NodeJS.Timeout | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(t)),
    new Promise<T>((_, reject) => {
      t = setTimeout(() => reject(new Error(`adding jobs took longer than ${ms} ms`)), ms);
    }),
  ]);
}
