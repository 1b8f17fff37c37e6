import type { Queryable } from "./sql.ts";

// Retention: one DELETE per table, each removing at most `limit` finished rows dated before
// `before`, oldest first, and returning how many it removed. The runner (retention.ts) repeats them
// in small batches so no statement holds its locks, or writes its WAL, for long.
//
// Only finished states are listed. An open row (new, claimed, pending, confirmed, in_progress) is
// never deleted, however old: it is work somebody still owes the owner, and the sweepers look for
// exactly those rows. Each table's `finished` and `age` expressions are written out as in the
// migrations' partial indexes (0015, 0035), which they must match for the planner to use them.
//
// `= ANY (ARRAY(subquery))` rather than `IN (subquery)`: with IN the planner joins the picked ids
// against a sequential scan of the whole table (measured: 41 ms per 1000-row batch at 200k rows,
// growing with the table); the array is computed first and looked up in the primary key (3 ms).
//
// The inner SELECT locks what it picks. Under READ COMMITTED a row changed since the statement's
// snapshot is re-checked against the WHERE clause first, so a row reopened meanwhile (the runbook
// reopens dead report jobs by hand) is left alone; SKIP LOCKED means retention never waits behind
// a worker or an operator holding a row.

export type Batch = { before: Date; limit: number };

type Pruned = {
  /** The primary key column. */
  key: string;
  /** Which rows are finished (SQL, no parameters); absent: every row is. */
  finished?: string;
  /** What a row is dated by (SQL expression). */
  age: string;
};

/** What each table keeps and how its rows are dated; the comment says why. */
export const PRUNED = {
  // Handled, given-up and rejected updates, dated by when they finished (rejected rows by when they
  // arrived). The unique (bot_id, update_id) key drops Telegram's repeat of an update it thinks
  // unconfirmed, so the window must outlast Telegram's 24 h (the config enforces ≥ 2 days).
  inbox: { key: "id", finished: "status IN ('done', 'failed', 'dead', 'rejected')", age: "coalesce(done_at, received_at)" },
  // Delivered and given-up replies (payloads may hold whole pictures and PDFs).
  outbox: { key: "id", finished: "status IN ('sent', 'failed', 'dead', 'expired')", age: "coalesce(sent_at, created_at)" },
  // Drawn and given-up report jobs (each holds its whole `request` document).
  report_jobs: { key: "id", finished: "status IN ('done', 'dead')", age: "coalesce(done_at, created_at)" },
  // Button tokens past their expiry (the caller subtracts a grace period). An expired token already
  // answers «Кнопка устарела» like an unknown one, so deleting it changes no reply.
  callback_tokens: { key: "token", age: "expires_at" },
  // The append-only journal: every row is finished.
  audit_events: { key: "id", age: "occurred_at" },
  // Actions that can no longer change: decided and finished, or previews never pressed (dated by
  // their expiry; a later press finds no token and answers «Кнопка устарела»). Confirmed and
  // in-progress actions are the action worker's open work; a pending team delivery is still watched.
  actions: {
    key: "id",
    finished: "status NOT IN ('confirmed', 'in_progress') AND delivery IS DISTINCT FROM 'pending'",
    age: "coalesce(finished_at, expires_at)",
  },
  // The DEMO provider's idempotency ledger: a key only comes back while its action is retried,
  // which is long over when the action itself is pruned (same window).
  demo_action_ledger: { key: "idempotency_key", age: "coalesce(last_replay_at, created_at)" },
  // Transcribed, refused and given-up voices (the inbox row keeps the transcript's outcome).
  asr_jobs: { key: "id", finished: "status IN ('done', 'refused', 'dead')", age: "coalesce(done_at, created_at)" },
  // Planned and given-up texts of the LLM planner (same window as voices).
  llm_jobs: { key: "id", finished: "status IN ('done', 'dead')", age: "coalesce(done_at, created_at)" },
  // Transcripts kept for forwarded copies of the same voice.
  asr_cache: { key: "file_unique_id", age: "created_at" },
} as const satisfies Record<string, Pruned>;

export type RetentionTable = keyof typeof PRUNED;

const statements = new Map<RetentionTable, string>();

function deleteText(table: RetentionTable): string {
  const cached = statements.get(table);
  if (cached !== undefined) return cached;
  const p: Pruned = PRUNED[table];
  const where = p.finished === undefined ? `${p.age} < $1` : `${p.finished} AND ${p.age} < $1`;
  const text = `DELETE FROM ${table} WHERE ${p.key} = ANY (ARRAY(
       SELECT ${p.key} FROM ${table}
       WHERE ${where}
       ORDER BY ${p.age}
       LIMIT $2
       FOR UPDATE SKIP LOCKED))`;
  statements.set(table, text);
  return text;
}

/** Deletes up to `b.limit` of the table's oldest finished rows dated before `b.before`; returns how many. */
export async function deleteFinished(db: Queryable, table: RetentionTable, b: Batch): Promise<number> {
  const r = await db.query(deleteText(table), [b.before, b.limit]);
  return r.rowCount ?? 0;
}
