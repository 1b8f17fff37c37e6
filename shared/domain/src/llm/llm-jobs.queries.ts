import type pg from "pg";
import { plannedIntentSchema, type PlannedIntent } from "./intent.ts";
import type { Queryable } from "@ownerbot/core/db";

export type ClaimedLlm = { id: number; chatId: number; text: string; attempts: number; createdAt: Date };

/** Claims the chat's oldest open planning with a lease (ob_claim_llm, db/migrations/0050). */
export async function claimLlmJob(db: Queryable, chatId: number, claimer: string, leaseSec: number): Promise<ClaimedLlm | null> {
  const { rows } = await db.query<{ id: number; chat_id: number; text: string; attempts: number; created_at: Date }>({
    name: "ob-claim-llm",
    text: "SELECT * FROM ob_claim_llm($1, $2, $3::double precision, 1)",
    values: [chatId, claimer, leaseSec],
  });
  const r = rows[0];
  return r ? { id: r.id, chatId: r.chat_id, text: r.text, attempts: r.attempts, createdAt: r.created_at } : null;
}

export type LlmFinish = {
  status: "done" | "dead";
  intent: PlannedIntent;
  outcome: string;
  provider: string;
  latencyMs: number | null;
  tokensIn?: number | undefined;
  tokensOut?: number | undefined;
  error?: string;
};

/**
 * Records how a planning ended and hands its text back to the intent worker, in one transaction of
 * two statements, exactly as finishAsrJob does for voices (see there for why the order is safe).
 */
export async function finishLlmJob(
  pool: pg.Pool,
  id: number,
  claimer: string,
  f: LlmFinish,
): Promise<{ fenced: boolean; woke: { id: number; chatId: number } | null }> {
  const c = await pool.connect();
  try {
    await c.query("BEGIN");
    const fin = await c.query({
      name: "ob-finish-llm",
      text: `UPDATE llm_jobs SET status = $3, result = $4, outcome = $5, provider = $6, latency_ms = $7, tokens_in = $8,
              tokens_out = $9, last_error = $10, done_at = now(), lease_until = NULL
       WHERE id = $1 AND claimed_by = $2 AND status = 'claimed'`,
      values: [
        id,
        claimer,
        f.status,
        JSON.stringify(f.intent),
        f.outcome,
        f.provider,
        f.latencyMs,
        f.tokensIn ?? null,
        f.tokensOut ?? null,
        f.error?.slice(0, 2000) ?? null,
      ],
    });
    if (fin.rowCount !== 1) {
      await c.query("ROLLBACK");
      return { fenced: false, woke: null };
    }
    const { rows } = await c.query<{ id: number; chat_id: number }>({
      name: "ob-wake-planned",
      text: `UPDATE inbox SET status = 'new', not_before = NULL, updated_at = now()
       WHERE id = $1 AND status IN ('new', 'parked') RETURNING id, chat_id`,
      values: [id],
    });
    await c.query("COMMIT");
    const r = rows[0];
    return { fenced: true, woke: r ? { id: r.id, chatId: r.chat_id } : null };
  } catch (err) {
    await c.query("ROLLBACK").catch(() => undefined);
    throw err;
  } finally {
    c.release();
  }
}

export type LlmResult = { status: "open" } | { status: "done" | "dead"; intent: PlannedIntent };

/** Where a text's planning stands; null when none was asked for. */
export async function llmResultOf(db: Queryable, id: number): Promise<LlmResult | null> {
  const { rows } = await db.query<{ status: string; result: unknown }>({
    name: "ob-llm-result",
    text: "SELECT status, result FROM llm_jobs WHERE id = $1",
    values: [id],
  });
  const r = rows[0];
  if (!r) return null;
  if (r.status !== "done" && r.status !== "dead") return { status: "open" };
  const parsed = plannedIntentSchema.safeParse(r.result);
  return { status: r.status, intent: parsed.success ? parsed.data : { kind: "unknown", reason: "schema_violation" } };
}

/**
 * The planner's «Думаю…» message (its Telegram id once sent) and whether the owner was told it is
 * late. `stage` is the cause the «Думаю…» went out with: `upd:<id>` for a typed text, `upd:<id>:asr`
 * for a voice's transcript (there it follows «Распознал: …», so it is the cause's last message).
 */
export async function plannerReplies(db: Queryable, stage: string): Promise<{ statusMessageId: number | null; toldLate: boolean }> {
  const { rows } = await db.query<{ status_message_id: number | null; told_late: boolean }>({
    name: "ob-planner-replies",
    text: `SELECT (SELECT telegram_message_id FROM outbox WHERE cause = $1 ORDER BY seq DESC LIMIT 1) AS status_message_id,
       EXISTS (SELECT 1 FROM outbox WHERE cause = $1 || ':late') AS told_late`,
    values: [stage],
  });
  return { statusMessageId: rows[0]?.status_message_id ?? null, toldLate: rows[0]?.told_late === true };
}
