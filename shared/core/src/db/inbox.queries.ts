import type pg from "pg";
import { jsonParam, type Queryable } from "./sql.ts";

export type InboxInsert = { updateId: number; chatId: number; userId: number | null; kind: string; payload: unknown; rejected?: boolean };
export type InboxInserted = { id: number; chatId: number; status: "new" | "rejected"; kind: string };
export type OverloadNotice = { windowSec: number; text: string };
/** The rows stored and the replies the batch itself wrote (overload notices, answers to rejected presses). */
export type BatchResult = { inserted: InboxInserted[]; replies: { id: number; chatId: number }[] };

/**
 * Stores a getUpdates batch and moves the offset in ONE statement, so the offset can never be
 * ahead of what is stored. Rows marked `rejected` (over the backpressure limits) are kept, never
 * dropped, and each chat with one gets a single "queue overloaded" outbox row per notice window;
 * a rejected callback query is answered with the same text.
 * A re-delivered update (same bot, update id and content) is skipped and not returned; the same id
 * with other content is a new update (Telegram reuses ids after a week of silence, and a Bot API
 * server may restart its count), so it is stored.
 */
export async function insertBatchAndAdvance(
  db: Queryable,
  botId: number,
  rows: InboxInsert[],
  nextOffset: number,
  notice: OverloadNotice,
): Promise<BatchResult> {
  const { rows: out } = await db.query<{ id: number; chat_id: number; status: string; kind: string }>({
    name: "ob-insert-batch",
    text: `WITH input AS (
       SELECT u.*, ord FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS e(row, ord),
         jsonb_to_record(e.row) AS u(update_id bigint, chat_id bigint, user_id bigint, kind text, payload jsonb, status text)
     ),
     ins AS (
       INSERT INTO inbox (bot_id, update_id, chat_id, user_id, kind, payload, status)
       SELECT $1, update_id, chat_id, user_id, kind, payload, status FROM input ORDER BY ord
       ON CONFLICT (bot_id, update_id, content_md5) DO NOTHING
       RETURNING id, chat_id, status, kind, payload->'callback_query'->>'id' AS cb
     ),
     off AS (
       INSERT INTO ingress_state (bot_id, next_offset) VALUES ($1, $3)
       ON CONFLICT (bot_id) DO UPDATE SET next_offset = EXCLUDED.next_offset, updated_at = now()
     ),
     notice AS (
       INSERT INTO outbox (cause, seq, chat_id, method, payload)
       SELECT 'overload:' || r.chat_id || ':' || floor(extract(epoch FROM now()) / $4)::bigint, 0, r.chat_id, 'sendMessage',
              jsonb_build_object('chat_id', r.chat_id, 'text', $5::text)
       FROM (SELECT DISTINCT chat_id FROM ins WHERE status = 'rejected' AND chat_id <> 0) r
       ON CONFLICT (cause, seq) DO NOTHING
       RETURNING id, chat_id
     ),
     -- A rejected button press is still answered, or the owner's button spins (promise 3).
     cb_answer AS (
       INSERT INTO outbox (cause, seq, chat_id, method, payload)
       SELECT 'upd:' || id, 0, chat_id, 'answerCallbackQuery', jsonb_build_object('callback_query_id', cb, 'text', $5::text)
       FROM ins WHERE status = 'rejected' AND cb IS NOT NULL
       ON CONFLICT (cause, seq) DO NOTHING
       RETURNING id, chat_id
     )
     SELECT id, chat_id, status, kind FROM ins
     UNION ALL
     SELECT id, chat_id, 'reply', '' FROM notice
     UNION ALL
     SELECT id, chat_id, 'reply', '' FROM cb_answer`,
    values: [
      botId,
      // One JSON document instead of parallel arrays: pg's array serialisation would escape every
      // character of every update in JavaScript (measured as the ingress's hottest function).
      jsonParam(
        rows.map((r) => ({
          update_id: r.updateId,
          chat_id: r.chatId,
          user_id: r.userId,
          kind: r.kind,
          payload: r.payload,
          status: r.rejected === true ? "rejected" : "new",
        })),
      ),
      nextOffset,
      notice.windowSec,
      notice.text,
    ],
  });
  const inserted: InboxInserted[] = [];
  const replies: BatchResult["replies"] = [];
  for (const r of out) {
    if (r.status === "reply") replies.push({ id: r.id, chatId: r.chat_id });
    else inserted.push({ id: r.id, chatId: r.chat_id, status: r.status as "new" | "rejected", kind: r.kind });
  }
  inserted.sort((a, b) => a.id - b.id);
  replies.sort((a, b) => a.id - b.id);
  return { inserted, replies };
}

/** Open rows, counted only up to the limits (a full count would grow with the backlog it guards). */
export async function countOpen(db: Queryable, maxNew: number, maxTotal: number): Promise<{ waiting: number; open: number }> {
  const { rows } = await db.query<{ waiting: number; open: number }>(
    `SELECT (SELECT count(*) FROM (SELECT 1 FROM inbox WHERE status = 'new' LIMIT $1) a)::int AS waiting,
            (SELECT count(*) FROM (SELECT 1 FROM inbox WHERE status IN ('new', 'claimed') LIMIT $2) b)::int AS open`,
    [maxNew + 1, maxTotal + 1],
  );
  return rows[0] ?? { waiting: 0, open: 0 };
}

/**
 * Makes every earlier commit durable: a synchronous commit flushes the WAL up to itself. The
 * ingress stores batches with asynchronous commits (workers start at once) and calls this before
 * the next getUpdates confirms the offset to Telegram.
 */
export async function durableBarrier(db: Queryable, botId: number): Promise<void> {
  await db.query({ name: "ob-barrier", text: "UPDATE ingress_state SET updated_at = now() WHERE bot_id = $1", values: [botId] });
}

export async function readOffset(db: Queryable, botId: number): Promise<number> {
  const { rows } = await db.query<{ next_offset: number }>("SELECT next_offset FROM ingress_state WHERE bot_id = $1", [botId]);
  return rows[0]?.next_offset ?? 0;
}

export type ClaimedUpdate = {
  id: number;
  updateId: number;
  chatId: number;
  userId: number | null;
  kind: string;
  payload: Record<string, unknown>;
  attempts: number;
};

/**
 * Claims the next open rows of one chat, in order, with a lease — but only when nobody holds a
 * live lease on that chat and none of its rows backs off, so a later message is never answered
 * before an earlier one. The advisory lock serialises claimers of a chat; the claim runs as a
 * second statement (inside ob_claim_inbox, db/migrations/0014) so its snapshot sees everything
 * committed before the lock was granted. One round trip.
 */
export async function claimChat(pool: pg.Pool, chatId: number, claimer: string, leaseSec: number, limit: number): Promise<ClaimedUpdate[]> {
  type Row = {
    id: number;
    update_id: number;
    chat_id: number;
    user_id: number | null;
    kind: string;
    payload: Record<string, unknown>;
    attempts: number;
  };
  const { rows } = await pool.query<Row>({
    name: "ob-claim-inbox",
    text: "SELECT * FROM ob_claim_inbox($1, $2, $3::double precision, $4)",
    values: [chatId, claimer, leaseSec, limit],
  });
  return rows
    .map((r) => ({
      id: r.id,
      updateId: r.update_id,
      chatId: r.chat_id,
      userId: r.user_id,
      kind: r.kind,
      payload: r.payload,
      attempts: r.attempts,
    }))
    .sort((a, b) => a.id - b.id);
}
