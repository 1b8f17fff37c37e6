import { z } from "zod";
import type { JobsOptions } from "bullmq";

/**
 * Every queue and its job, declared once. A job stands for a durable row in Postgres and its id
 * is derived from that row, so re-adding it after Redis lost it is harmless.
 */
export const JOBS = {
  intent: {
    queue: "intent",
    payload: z.object({ chatId: z.number().int(), inboxId: z.number().int().positive(), retry: z.number().int().optional() }),
    // A row whose lease expired gets a new job id (its old job may still sit locked in Redis).
    jobId: (p: { inboxId: number; retry?: number | undefined }) => (p.retry ? `upd-${p.inboxId}-r${p.retry}` : `upd-${p.inboxId}`),
    options: { attempts: 8, backoff: { type: "exponential", delay: 500 } },
  },
  send: {
    queue: "send",
    payload: z.object({ chatId: z.number().int(), outboxId: z.number().int().positive(), retry: z.number().int().optional() }),
    jobId: (p: { outboxId: number; retry?: number | undefined }) => (p.retry ? `out-${p.outboxId}-r${p.retry}` : `out-${p.outboxId}`),
    options: { attempts: 20, backoff: { type: "exponential", delay: 500 } },
  },
  report: {
    queue: "report",
    payload: z.object({ chatId: z.number().int(), reportId: z.number().int().positive(), retry: z.number().int().optional() }),
    jobId: (p: { reportId: number; retry?: number | undefined }) => (p.retry ? `rep-${p.reportId}-r${p.retry}` : `rep-${p.reportId}`),
    // Attempts are counted on the row (REPORT_MAX_ATTEMPTS); the job only needs a few retries with room between them.
    options: { attempts: 5, backoff: { type: "exponential", delay: 2000 } },
  },
} as const satisfies Record<string, { queue: string; payload: z.ZodType; jobId: (p: never) => string; options: JobsOptions }>;

export type JobName = keyof typeof JOBS;
export type JobPayload<N extends JobName> = z.output<(typeof JOBS)[N]["payload"]>;

/** What every added job shares: Postgres keeps the history, so Redis keeps none. */
export const BASE_JOB_OPTIONS: JobsOptions = { removeOnComplete: true, removeOnFail: true };

export function jobOptions<N extends JobName>(name: N, payload: JobPayload<N>): JobsOptions {
  const def = JOBS[name];
  return { ...BASE_JOB_OPTIONS, ...def.options, jobId: (def.jobId as (p: JobPayload<N>) => string)(payload) };
}

/** A handler for each job; a job without one fails the type check. */
export type JobHandlers<N extends JobName> = {
  [K in N]: (payload: JobPayload<K>, job: { id: string; attemptsMade: number }) => Promise<void>;
};
