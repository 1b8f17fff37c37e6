import { z } from "zod";
import type { JobsOptions } from "bullmq";
import { ACTIONS, ASR, INBOX, LLM, OUTBOX, REPORTS, type WorkTable } from "../db/leased.queries.ts";

/** Every job names the row it stands for; the chat is carried so a worker can drain it in order. */
export const rowJobPayload = z.object({ chatId: z.number().int(), id: z.number().int().positive() });
export type RowJob = z.output<typeof rowJobPayload>;

/**
 * Every per-row queue, declared once: its BullMQ queue name, the table whose rows it carries and
 * the prefix of its job ids (`upd-<inbox id>`: never random, never all digits, never with `:`).
 */
export const JOBS = {
  intent: { queue: "intent", table: INBOX, idPrefix: "upd" },
  send: { queue: "send", table: OUTBOX, idPrefix: "out" },
  report: { queue: "report", table: REPORTS, idPrefix: "rep" },
  action: { queue: "action", table: ACTIONS, idPrefix: "act" },
  // asr_jobs rows are keyed by their voice's inbox id, so asr-<id> and upd-<id> name one voice.
  asr: { queue: "asr", table: ASR, idPrefix: "asr" },
  // llm_jobs rows are keyed by their text's inbox id too: llm-<id> and upd-<id> name one message.
  llm: { queue: "llm", table: LLM, idPrefix: "llm" },
} as const satisfies Record<string, { queue: string; table: WorkTable; idPrefix: string }>;

export type JobName = keyof typeof JOBS;

export const jobId = (name: JobName, rowId: number): string => `${JOBS[name].idPrefix}-${rowId}`;

/** The row id a job id names, or null for a job id that is not ours. */
export function rowIdOf(name: JobName, id: string | undefined): number | null {
  const m = id ? new RegExp(`^${JOBS[name].idPrefix}-(\\d+)$`).exec(id) : null;
  return m ? Number(m[1]) : null;
}

/**
 * One attempts budget per unit of work, and it lives on the row (INTENT_MAX_ATTEMPTS,
 * SENDER_MAX_ATTEMPTS + SENDER_RETRY_WINDOW_SEC, REPORT_MAX_ATTEMPTS): a row ends dead, and its
 * job fails with the row's last error, when the row says so. BullMQ's own count must therefore
 * never end a job first; its backoff (the "row" strategy, see backoff.ts) waits what the row says.
 * Finished jobs stay visible for a bounded window and count, for ops; the rows keep the history.
 */
export const ROW_JOB_OPTIONS = {
  attempts: 1_000_000,
  backoff: { type: "row" },
  removeOnComplete: { age: 24 * 3600, count: 2000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 5000 },
} as const satisfies JobsOptions;

export function rowJobOptions(name: JobName, rowId: number, delayMs = 0): JobsOptions {
  return { ...ROW_JOB_OPTIONS, jobId: jobId(name, rowId), ...(delayMs > 0 ? { delay: Math.ceil(delayMs) } : {}) };
}
