import type { Queryable } from "./sql.ts";

// Retention: one DELETE per table, each removing at most `limit` finished rows dated before
// `before`, oldest first, and returning how many it removed. The runner (retention.ts) repeats them
// in small batches so no statement holds its locks, or writes its WAL, for long.
//
// Only finished states are listed. An open row (new, claimed, pending) is never deleted, however
// old: it is work somebody still owes the owner, and the sweepers look for exactly those rows.
// The status lists and age expressions are written out as in db/migrations/0015, whose partial
// indexes they must match for the planner to use them.
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

async function deleted(db: Queryable, text: string, b: Batch): Promise<number> {
  const r = await db.query(text, [b.before, b.limit]);
  return r.rowCount ?? 0;
}

/**
 * Handled, given-up and rejected updates, dated by when they finished (rejected rows by when they
 * arrived). The unique (bot_id, update_id) key is what drops Telegram's repeat of an update it
 * thinks unconfirmed, so the window must outlast Telegram's 24 h (the config enforces ≥ 2 days);
 * a row is never dated before it arrived, so it always lives at least that long.
 */
export function deleteFinishedInbox(db: Queryable, b: Batch): Promise<number> {
  return deleted(
    db,
    `DELETE FROM inbox WHERE id = ANY (ARRAY(
       SELECT id FROM inbox
       WHERE status IN ('done', 'failed', 'dead', 'rejected') AND coalesce(done_at, received_at) < $1
       ORDER BY coalesce(done_at, received_at)
       LIMIT $2
       FOR UPDATE SKIP LOCKED))`,
    b,
  );
}

/**
 * Delivered and given-up replies (their payloads may hold whole base64 pictures and PDFs), dated by
 * when they were sent, or created when they never were.
 */
export function deleteFinishedOutbox(db: Queryable, b: Batch): Promise<number> {
  return deleted(
    db,
    `DELETE FROM outbox WHERE id = ANY (ARRAY(
       SELECT id FROM outbox
       WHERE status IN ('sent', 'failed', 'dead', 'expired') AND coalesce(sent_at, created_at) < $1
       ORDER BY coalesce(sent_at, created_at)
       LIMIT $2
       FOR UPDATE SKIP LOCKED))`,
    b,
  );
}

/** Drawn and given-up report jobs (each holds its whole `request` document), dated by when they finished. */
export function deleteFinishedReportJobs(db: Queryable, b: Batch): Promise<number> {
  return deleted(
    db,
    `DELETE FROM report_jobs WHERE id = ANY (ARRAY(
       SELECT id FROM report_jobs
       WHERE status IN ('done', 'dead') AND coalesce(done_at, created_at) < $1
       ORDER BY coalesce(done_at, created_at)
       LIMIT $2
       FOR UPDATE SKIP LOCKED))`,
    b,
  );
}

/**
 * Button tokens that expired before `before` (the caller subtracts a grace period). An expired
 * token already answers «Кнопка устарела» exactly like an unknown one, so deleting it changes no
 * reply; the grace only keeps it around to look at for a while.
 */
export function deleteExpiredCallbackTokens(db: Queryable, b: Batch): Promise<number> {
  return deleted(
    db,
    `DELETE FROM callback_tokens WHERE token = ANY (ARRAY(
       SELECT token FROM callback_tokens
       WHERE expires_at < $1
       ORDER BY expires_at
       LIMIT $2
       FOR UPDATE SKIP LOCKED))`,
    b,
  );
}

/** Audit events that occurred before `before`; the journal is append-only, every row is finished. */
export function deleteOldAuditEvents(db: Queryable, b: Batch): Promise<number> {
  return deleted(
    db,
    `DELETE FROM audit_events WHERE id = ANY (ARRAY(
       SELECT id FROM audit_events
       WHERE occurred_at < $1
       ORDER BY occurred_at
       LIMIT $2
       FOR UPDATE SKIP LOCKED))`,
    b,
  );
}
