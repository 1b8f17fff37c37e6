import type { Queue } from "bullmq";
import type { Queryable, WorkTable } from "@ownerbot/core/db";
import { addRowJobs, jobId, type JobName, JOBS, type Queues } from "@ownerbot/core/queue";

// What the ops service reads and changes on the leased-work tables. Every table comes from the job
// declarations (shared/core/src/queue/jobs.ts), so a table declared later is shown and retried the same
// way without a change here. Table and column names come from those constants, never from input.

export type TableStats = {
  name: JobName;
  table: string;
  counts: Record<string, number>;
  /** Age of the oldest row waiting to be claimed (backing-off rows included); null when none waits. */
  oldestWaitingSec: number | null;
  /** Rows claimed under a lease that has run out: their worker died or froze; the sweeper hands them on. */
  expiredLeases: number;
  dead: { id: number; chatId: number; status: string; attempts: number; lastError: string | null; since: Date }[];
};

export const WORK_NAMES = Object.keys(JOBS) as JobName[];

/** The job name whose queue is `queue`, or undefined for a queue without rows (the schedulers'). */
export const workNameOfQueue = (queue: string): JobName | undefined => WORK_NAMES.find((n) => JOBS[n].queue === queue);

/** Dead statuses a retry can reopen. An `expired` reply is too old to send (SENDER_REPLY_MAX_AGE_SEC): it would expire again. */
const retryable = (t: WorkTable): string[] => t.dead.filter((s) => s !== "expired");

/**
 * The reply a dead row left behind holds the cause its answer would need (the owner's apology:
 * `upd:<id>` for an update, `rep:<id>` for a report), and outbox causes are unique. A retry renames
 * the old reply's cause so the new answer can be written; the old row stays, as the record of what
 * was sent. Tables whose rows write no reply of their own are not listed.
 */
const REPLY_CAUSE_PREFIX: Partial<Record<string, string>> = { inbox: "upd:", report_jobs: "rep:" };

export async function tableStats(db: Queryable, name: JobName, deadLimit = 50): Promise<TableStats> {
  const t = JOBS[name].table;
  const [counts, oldest, leases, dead] = await Promise.all([
    db.query<{ status: string; n: number }>(`SELECT status, count(*)::int AS n FROM ${t.table} GROUP BY status`),
    db.query<{ age: number | null }>(
      `SELECT extract(epoch FROM now() - min(${t.since}))::float8 AS age FROM ${t.table} WHERE status = '${t.waiting}'`,
    ),
    db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${t.table} WHERE status = 'claimed' AND lease_until < now()`),
    db.query<{ id: number; chat_id: number; status: string; attempts: number; last_error: string | null; since: Date }>(
      `SELECT id, chat_id, status, attempts, last_error, ${t.since} AS since FROM ${t.table}
       WHERE status = ANY($1::text[]) ORDER BY id DESC LIMIT $2`,
      [[...t.dead], deadLimit],
    ),
  ]);
  return {
    name,
    table: t.table,
    counts: Object.fromEntries(counts.rows.map((r) => [r.status, r.n])),
    oldestWaitingSec: oldest.rows[0]?.age ?? null,
    expiredLeases: leases.rows[0]?.n ?? 0,
    dead: dead.rows.map((r) => ({
      id: Number(r.id),
      chatId: Number(r.chat_id),
      status: r.status,
      attempts: r.attempts,
      lastError: r.last_error,
      since: r.since,
    })),
  };
}

/**
 * Reopens the dead rows among `ids` in one statement: back to waiting with 0 attempts and no
 * back-off, their old replies' causes freed (REPLY_CAUSE_PREFIX). Returns the reopened rows.
 */
export async function reopenDead(db: Queryable, name: JobName, ids: readonly number[]): Promise<{ id: number; chatId: number }[]> {
  if (ids.length === 0) return [];
  const t = JOBS[name].table;
  const prefix = REPLY_CAUSE_PREFIX[t.table];
  const reopen = `UPDATE ${t.table} SET status = '${t.waiting}', attempts = 0, not_before = NULL, claimed_by = NULL, lease_until = NULL
     WHERE id = ANY($1::bigint[]) AND status = ANY($2::text[]) RETURNING id, chat_id`;
  const { rows } = await db.query<{ id: number; chat_id: number }>(
    prefix
      ? `WITH r AS (${reopen}),
         freed AS (UPDATE outbox SET cause = cause || ':retried-' || $3::text WHERE cause IN (SELECT $4::text || r.id FROM r))
         SELECT id, chat_id FROM r`
      : reopen,
    prefix ? [ids, retryable(t), String(Date.now()), prefix] : [ids, retryable(t)],
  );
  return rows.map((r) => ({ id: Number(r.id), chatId: Number(r.chat_id) }));
}

export type RetryResult =
  | { ok: true; row: "reopened" | "already waiting"; job: "retried" | "re-added" | "left to run" }
  | { ok: false; status: 404 | 409; error: string };

/**
 * Retries a dead row: reopens it (reopenDead), then has its job run again. The job id is the
 * row's, and BullMQ ignores an add of an id it holds, so a failed or completed job is retried in
 * place and only a job Redis lost is added. A row already waiting (a retry whose job step failed)
 * only gets its job seen to, so pressing retry again is always safe.
 */
export async function retryRow(d: { pool: Queryable; queues: Queues }, name: JobName, id: number): Promise<RetryResult> {
  const t = JOBS[name].table;
  let chatId: number;
  let row: "reopened" | "already waiting";
  const [reopened] = await reopenDead(d.pool, name, [id]);
  if (reopened) {
    chatId = reopened.chatId;
    row = "reopened";
  } else {
    const { rows } = await d.pool.query<{ chat_id: number; status: string }>(`SELECT chat_id, status FROM ${t.table} WHERE id = $1`, [id]);
    const found = rows[0];
    if (!found) return { ok: false, status: 404, error: `no ${t.table} row ${id}` };
    if (found.status !== t.waiting)
      return { ok: false, status: 409, error: `${t.table} row ${id} is ${found.status}: only ${retryable(t).join("/")} rows are retried` };
    chatId = Number(found.chat_id);
    row = "already waiting";
  }
  const queue = (d.queues as unknown as Record<JobName, Queue>)[name];
  const job = await queue.getJob(jobId(name, id));
  const state = job ? await job.getState() : "unknown";
  if (job && (state === "failed" || state === "completed")) {
    await job.retry(state);
    return { ok: true, row, job: "retried" };
  }
  if (state === "unknown") {
    await addRowJobs(d.queues, name, [{ chatId, id }]);
    return { ok: true, row, job: "re-added" };
  }
  return { ok: true, row, job: "left to run" };
}

/**
 * "Try now" for a delayed job: a job waits because its chat waits (a row backing off, or
 * Telegram's retry_after), so promoting only the job would put it straight back. Clears the
 * back-off of the chat's waiting rows — of one row's chat, or of the whole table — so the chat is
 * tried again at once, still in order. Returns how many rows it cleared.
 */
export async function clearBackoff(db: Queryable, name: JobName, id: number | "all"): Promise<number> {
  const t = JOBS[name].table;
  const { rowCount } =
    id === "all"
      ? await db.query(`UPDATE ${t.table} SET not_before = NULL WHERE status = '${t.waiting}' AND not_before IS NOT NULL`)
      : await db.query(
          `UPDATE ${t.table} SET not_before = NULL
           WHERE chat_id = (SELECT chat_id FROM ${t.table} WHERE id = $1) AND status = '${t.waiting}' AND not_before IS NOT NULL`,
          [id],
        );
  return rowCount ?? 0;
}

/** The rows of failed jobs, for a "retry all failed": only what the board shows, never older dead rows. */
export async function failedRowIds(queue: Queue, name: JobName): Promise<number[]> {
  const ids: number[] = [];
  const prefix = `${JOBS[name].idPrefix}-`;
  for (let start = 0; ; start += 1000) {
    const jobs = await queue.getFailed(start, start + 999);
    for (const j of jobs) if (j?.id?.startsWith(prefix)) ids.push(Number(j.id.slice(prefix.length)));
    if (jobs.length < 1000) return ids.filter((n) => Number.isSafeInteger(n) && n > 0);
  }
}
