import type { ReportRequest } from "../reports/doc.ts";
import { jsonParam, type Queryable } from "./sql.ts";
import { findStaleRows, type StaleChat } from "./inbox.queries.ts";

export type ReportInsert = { cause: string; chatId: number; request: ReportRequest };

export type ClaimedReport = { id: number; cause: string; chatId: number; request: ReportRequest; attempts: number };

/**
 * Claims up to `limit` open report jobs (pending, or claimed with an expired lease) in id order,
 * optionally of one chat. SKIP LOCKED lets several report workers claim side by side.
 */
export async function claimReportJobs(
  db: Queryable,
  o: { claimer: string; leaseSec: number; limit: number; chatId?: number },
): Promise<ClaimedReport[]> {
  const { rows } = await db.query<{ id: number; cause: string; chat_id: number; request: ReportRequest; attempts: number }>({
    name: "ob-claim-reports",
    text: `UPDATE report_jobs r SET status = 'claimed', claimed_by = $1, attempts = r.attempts + 1,
            lease_until = now() + make_interval(secs => $2)
     WHERE r.id IN (
       SELECT id FROM report_jobs j
       WHERE (status = 'pending' OR (status = 'claimed' AND lease_until < now()))
         AND ($4::bigint IS NULL OR chat_id = $4)
         -- One chat's reports are drawn one at a time, oldest first, by whichever worker: a later
         -- one waits while an earlier one is open, so its photo cannot overtake the earlier one's.
         AND NOT EXISTS (SELECT 1 FROM report_jobs e WHERE e.chat_id = j.chat_id AND e.id < j.id AND e.status IN ('pending', 'claimed'))
       ORDER BY id LIMIT $3
       FOR UPDATE SKIP LOCKED)
     RETURNING r.id, r.cause, r.chat_id, r.request, r.attempts`,
    values: [o.claimer, o.leaseSec, o.limit, o.chatId ?? null],
  });
  return rows
    .map((r) => ({ id: r.id, cause: r.cause, chatId: r.chat_id, request: r.request, attempts: r.attempts }))
    .sort((a, b) => a.id - b.id);
}

export type ReportFinish =
  | { status: "done"; method: "sendPhoto" | "sendDocument"; payload: Record<string, unknown> }
  | { status: "dead"; payload: Record<string, unknown>; error: string };

/**
 * Finishes a claimed job in ONE statement: marks it done (or dead), writes its reply to the outbox
 * — the photo/document, or the apology after the last attempt — and wakes the senders. Fenced on
 * the claimer: when the lease was lost nothing is written and `fenced` is false. The reply's cause
 * is `rep:<id>`, so a repeated finish cannot send twice.
 */
export async function finishReportJob(
  db: Queryable,
  id: number,
  claimer: string,
  f: ReportFinish,
): Promise<{ fenced: boolean; outboxId: number | null }> {
  const { rows } = await db.query<{ fenced: number; outbox_id: number | null; woke: number }>({
    name: "ob-finish-report",
    text: `WITH fin AS (
       UPDATE report_jobs SET status = $3, done_at = now(), lease_until = NULL, last_error = $6
       WHERE id = $1 AND claimed_by = $2 AND status = 'claimed'
       RETURNING id, chat_id
     ),
     ob AS (
       INSERT INTO outbox (cause, seq, chat_id, method, payload)
       SELECT 'rep:' || fin.id, 0, fin.chat_id, $4, $5::jsonb FROM fin
       ON CONFLICT (cause, seq) DO NOTHING
       RETURNING id, chat_id
     ),
     -- Wakes listening senders at commit (see notify.ts).
     wake AS (SELECT pg_notify('ownerbot_outbox', chat_id::text) FROM ob)
     SELECT (SELECT count(*) FROM fin)::int AS fenced, (SELECT id FROM ob) AS outbox_id, (SELECT count(*) FROM wake)::int AS woke`,
    values: [
      id,
      claimer,
      f.status,
      f.status === "done" ? f.method : "sendMessage",
      jsonParam(f.payload),
      f.status === "dead" ? f.error.slice(0, 2000) : null,
    ],
  });
  const r = rows[0];
  return { fenced: r?.fenced === 1, outboxId: r?.outbox_id ?? null };
}

/** A failed attempt that has attempts left: back to pending for the next try (fenced on the claimer). */
export async function releaseReportJob(db: Queryable, id: number, claimer: string, error: string): Promise<boolean> {
  const { rowCount } = await db.query({
    name: "ob-release-report",
    text: `UPDATE report_jobs SET status = 'pending', claimed_by = NULL, lease_until = NULL, last_error = $3
     WHERE id = $1 AND claimed_by = $2 AND status = 'claimed'`,
    values: [id, claimer, error.slice(0, 2000)],
  });
  return rowCount === 1;
}

/** Does the chat have a job to claim now? (A plain read: a wrong "no" only defers to the sweeper.) */
export async function reportChatHasOpen(db: Queryable, chatId: number): Promise<boolean> {
  const { rows } = await db.query<{ open: boolean }>({
    name: "ob-report-open",
    // Claimable, not merely open: the chat's oldest open job, when nobody holds a live lease on it.
    text: `SELECT EXISTS (SELECT 1 FROM (SELECT status, lease_until FROM report_jobs
       WHERE chat_id = $1 AND status IN ('pending', 'claimed') ORDER BY id LIMIT 1) f
       WHERE f.status = 'pending' OR f.lease_until < now()) AS open`,
    values: [chatId],
  });
  return rows[0]?.open === true;
}

export type StaleReport = StaleChat;

/** Open jobs nobody picked up within `staleMs`, or whose lease expired: one row per chat. */
export function findStaleReports(db: Queryable, staleMs: number, limit: number): Promise<StaleReport[]> {
  return findStaleRows(db, { table: "report_jobs", waiting: "pending", since: "created_at" }, staleMs, limit);
}
