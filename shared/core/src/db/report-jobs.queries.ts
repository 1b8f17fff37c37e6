import type { ReportRequest } from "../queue/report-doc.ts";
import { jsonParam, type Queryable } from "./sql.ts";

export type ReportInsert = { cause: string; chatId: number; request: ReportRequest };

export type ClaimedReport = { id: number; cause: string; chatId: number; request: ReportRequest; attempts: number };

/**
 * Claims the chat's oldest open report job with a lease (ob_claim_report, db/migrations/0014): one
 * chat's reports are drawn one at a time, oldest first, by whichever worker, so a later photo
 * cannot overtake an earlier one.
 */
export async function claimReportJob(db: Queryable, chatId: number, claimer: string, leaseSec: number): Promise<ClaimedReport | null> {
  const { rows } = await db.query<{ id: number; cause: string; chat_id: number; request: ReportRequest; attempts: number }>({
    name: "ob-claim-report",
    text: "SELECT * FROM ob_claim_report($1, $2, $3::double precision, 1)",
    values: [chatId, claimer, leaseSec],
  });
  const r = rows[0];
  return r ? { id: r.id, cause: r.cause, chatId: r.chat_id, request: r.request, attempts: r.attempts } : null;
}

export type ReportFinish =
  | { status: "done"; method: "sendPhoto" | "sendDocument"; payload: Record<string, unknown> }
  | { status: "dead"; payload: Record<string, unknown>; error: string };

/**
 * Finishes a claimed job in ONE statement: marks it done (or dead), writes its reply to the outbox
 * — the photo/document, or the apology after the last attempt. Fenced on
 * the claimer: when the lease was lost nothing is written and `fenced` is false. The reply's cause
 * is `rep:<id>`, so a repeated finish cannot send twice.
 */
export async function finishReportJob(
  db: Queryable,
  id: number,
  claimer: string,
  f: ReportFinish,
): Promise<{ fenced: boolean; outboxId: number | null }> {
  const { rows } = await db.query<{ fenced: number; outbox_id: number | null }>({
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
     )
     SELECT (SELECT count(*) FROM fin)::int AS fenced, (SELECT id FROM ob) AS outbox_id`,
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
