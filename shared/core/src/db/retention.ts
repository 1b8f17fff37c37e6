import type { Logger } from "../logger/index.ts";
import type { Queryable } from "./sql.ts";
import { deleteFinished, PRUNED, type RetentionTable } from "./retention.queries.ts";

// One retention run: batches of deletes (retention.queries.ts) until every table is caught up or
// the run's time budget is spent. Each batch is its own statement and commits on its own, so a
// run never holds locks for long and what it deleted stays deleted if it is cut short; whatever
// is left waits for the next run.

export type { RetentionTable };

export const RETENTION_TABLES = Object.keys(PRUNED) as readonly RetentionTable[];

export type RetentionWindows = {
  inboxDays: number;
  outboxDays: number;
  reportDays: number;
  auditDays: number;
  /** Callback tokens are deleted this long after they expired. */
  tokenGraceHours: number;
  /** Finished actions and the DEMO provider's idempotency ledger. */
  actionDays: number;
  /** Finished transcription jobs. */
  asrDays: number;
  /** Cached transcripts of voices (reused for forwarded copies). */
  asrCacheDays: number;
};

export type RetentionOptions = {
  windows: RetentionWindows;
  /** Rows per DELETE statement. */
  batch: number;
  /** No batch starts once this much time has passed since the run started. */
  budgetMs: number;
  /** What the windows are measured back from. */
  now: Date;
  /** Milliseconds of a monotonic clock, for the budget (tests pass their own). */
  clock?: () => number;
};

export type RetentionReport = {
  deleted: Record<RetentionTable, number>;
  total: number;
  batches: number;
  /** false: the budget ran out with rows still to delete (the next run continues). */
  caughtUp: boolean;
  ms: number;
};

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** The date before which each table's finished rows go. */
export function retentionCutoffs(w: RetentionWindows, now: Date): Record<RetentionTable, Date> {
  const back = (ms: number): Date => new Date(now.getTime() - ms);
  return {
    inbox: back(w.inboxDays * DAY_MS),
    outbox: back(w.outboxDays * DAY_MS),
    report_jobs: back(w.reportDays * DAY_MS),
    callback_tokens: back(w.tokenGraceHours * HOUR_MS),
    audit_events: back(w.auditDays * DAY_MS),
    actions: back(w.actionDays * DAY_MS),
    demo_action_ledger: back(w.actionDays * DAY_MS),
    asr_jobs: back(w.asrDays * DAY_MS),
    asr_cache: back(w.asrCacheDays * DAY_MS),
    llm_jobs: back(w.asrDays * DAY_MS),
  };
}

/**
 * Deletes old finished rows of every table, one batch per table in turn, so a large backlog in
 * one table (the first run on a year-old database) cannot starve the others of the budget. A
 * table is done when a batch deletes fewer rows than the batch size. Logs one summary line when
 * it deleted anything; a run that found nothing stays silent.
 */
export async function runRetention(db: Queryable, o: RetentionOptions, log?: Logger): Promise<RetentionReport> {
  const clock = o.clock ?? (() => performance.now());
  const started = clock();
  const cutoffs = retentionCutoffs(o.windows, o.now);
  const deleted = Object.fromEntries(RETENTION_TABLES.map((t) => [t, 0])) as Record<RetentionTable, number>;
  let pending = [...RETENTION_TABLES];
  let batches = 0;
  const budgetLeft = (): boolean => clock() - started < o.budgetMs;

  while (pending.length > 0 && budgetLeft()) {
    const more: RetentionTable[] = [];
    for (const table of pending) {
      if (!budgetLeft()) {
        more.push(table);
        continue;
      }
      const n = await deleteFinished(db, table, { before: cutoffs[table], limit: o.batch });
      deleted[table] += n;
      batches++;
      if (n >= o.batch) more.push(table);
    }
    pending = more;
  }

  const total = RETENTION_TABLES.reduce((s, t) => s + deleted[t], 0);
  const report: RetentionReport = { deleted, total, batches, caughtUp: pending.length === 0, ms: Math.round(clock() - started) };
  if (total > 0)
    log?.info(report, pending.length === 0 ? "retention: old rows deleted" : "retention: budget spent, the next run continues");
  return report;
}
