import type { Queryable } from "./sql.ts";

/**
 * A table of leased per-chat work: inbox, outbox, report_jobs, actions (and the tables to come). Each has
 * the same columns for it — status, attempts, lease_until, claimed_by, last_error, not_before — and
 * one claim function that takes a chat's open rows in order. These are the statements that are the
 * same for all of them; names come from the constants below, never from input.
 */
export type WorkTable = {
  table: "inbox" | "outbox" | "report_jobs" | "actions" | "asr_jobs" | "llm_jobs";
  /** The status of a row waiting to be claimed. */
  waiting: "new" | "pending" | "confirmed";
  /** The status of a claimed row; "claimed" unless the table names it otherwise. */
  claimed?: "in_progress";
  /** The column that dates a waiting row. */
  since: "received_at" | "created_at" | "confirmed_at";
  /** Statuses that end a row well, and badly. */
  done: readonly string[];
  dead: readonly string[];
  /** A status of rows that are neither open nor finished: they wait for another queue to hand them back. */
  parked?: string;
};

export const INBOX: WorkTable = {
  table: "inbox",
  waiting: "new",
  since: "received_at",
  done: ["done", "rejected"],
  dead: ["dead", "failed"],
  // A voice whose transcript is late (0030), or a text whose plan is late (0050): their worker makes it 'new' again.
  parked: "parked",
};
export const OUTBOX: WorkTable = {
  table: "outbox",
  waiting: "pending",
  since: "created_at",
  done: ["sent"],
  dead: ["dead", "failed", "expired"],
};
export const REPORTS: WorkTable = { table: "report_jobs", waiting: "pending", since: "created_at", done: ["done"], dead: ["dead"] };
/**
 * Confirmed actions (migration 0025). Only confirmed and in_progress rows are leased work: a
 * previewed, cancelled or expired action has no job. A failed or blocked commit ends its job failed.
 */
export const ACTIONS: WorkTable = {
  table: "actions",
  waiting: "confirmed",
  claimed: "in_progress",
  since: "confirmed_at",
  done: ["committed"],
  dead: ["failed", "blocked"],
};
/** A refused file (not audio, too long, silence) ends its job well: the owner was told why. */
export const ASR: WorkTable = { table: "asr_jobs", waiting: "pending", since: "created_at", done: ["done", "refused"], dead: ["dead"] };
/** Texts for the LLM planner (migration 0050); a planner that never answered ends dead, the owner told. */
export const LLM: WorkTable = { table: "llm_jobs", waiting: "pending", since: "created_at", done: ["done"], dead: ["dead"] };

/** How long a parked row's job sleeps before it looks again; worker-asr wakes it sooner. */
const PARKED_RECHECK_MS = 3600_000;

const claimedOf = (t: WorkTable): string => t.claimed ?? "claimed";

/**
 * Extends this claimer's leases on rows it still holds. Returns how many another claimer holds now
 * (its lease ran out and the row was taken): rows finished meanwhile are neither.
 */
export async function renewLeases(db: Queryable, t: WorkTable, ids: number[], claimer: string, leaseSec: number): Promise<number> {
  if (ids.length === 0) return 0;
  const { rows } = await db.query<{ stolen: number }>({
    name: `ob-renew-${t.table}`,
    text: `WITH r AS (
       UPDATE ${t.table} SET lease_until = now() + make_interval(secs => $3::double precision)
       WHERE id = ANY($1::bigint[]) AND claimed_by = $2 AND status = '${claimedOf(t)}'
       RETURNING id
     )
     SELECT (SELECT count(*) FROM ${t.table} WHERE id = ANY($1::bigint[]) AND status = '${claimedOf(t)}' AND claimed_by <> $2
               AND id NOT IN (SELECT id FROM r))::int AS stolen`,
    values: [ids, claimer, leaseSec],
  });
  return rows[0]?.stolen ?? 0;
}

/**
 * Hands claimed rows back. A failed attempt keeps its charge and backs off until `notBeforeMs`
 * (the chat waits behind it); `untried` rows — behind a failed one, or told to wait by the
 * upstream — get back the attempt their claim charged, so they never run out of attempts unhandled.
 */
export async function releaseRows(
  db: Queryable,
  t: WorkTable,
  ids: number[],
  claimer: string,
  o: { error: string; notBeforeMs?: number | undefined; untried?: boolean },
): Promise<void> {
  if (ids.length === 0) return;
  await db.query({
    name: `ob-release-${t.table}`,
    text: `UPDATE ${t.table} SET status = '${t.waiting}', claimed_by = NULL, lease_until = NULL, last_error = $3,
            not_before = CASE WHEN $4::double precision IS NULL THEN not_before ELSE to_timestamp($4::double precision / 1000) END,
            attempts = CASE WHEN $5::boolean THEN greatest(attempts - 1, 0) ELSE attempts END
     WHERE id = ANY($1::bigint[]) AND claimed_by = $2 AND status = '${claimedOf(t)}'`,
    values: [ids, claimer, o.error.slice(0, 2000), o.notBeforeMs ?? null, o.untried === true],
  });
}

export type RowState =
  | { kind: "missing" }
  | { kind: "done" }
  | { kind: "dead"; error: string }
  /** Open, and the chat cannot be claimed before `untilMs` (a row of it backs off). */
  | { kind: "backoff"; untilMs: number }
  /** Open, and someone else holds a live lease on the chat. */
  | { kind: "held"; leaseUntilMs: number }
  /** Open and claimable now. */
  | { kind: "open" };

/** Where one row stands, and what keeps its chat from being claimed: one read, no locks. */
export async function rowState(db: Queryable, t: WorkTable, id: number): Promise<RowState> {
  const { rows } = await db.query<{ status: string; last_error: string | null; backoff: Date | null; held: Date | null }>({
    name: `ob-state-${t.table}`,
    text: `SELECT r.status, r.last_error,
       (SELECT max(w.not_before) FROM ${t.table} w WHERE w.chat_id = r.chat_id AND w.status = '${t.waiting}' AND w.not_before > now()) AS backoff,
       (SELECT max(b.lease_until) FROM ${t.table} b WHERE b.chat_id = r.chat_id AND b.status = '${claimedOf(t)}' AND b.lease_until >= now()) AS held
     FROM ${t.table} r WHERE r.id = $1`,
    values: [id],
  });
  const r = rows[0];
  if (!r) return { kind: "missing" };
  if (t.done.includes(r.status)) return { kind: "done" };
  if (t.dead.includes(r.status)) return { kind: "dead", error: r.last_error ?? r.status };
  if (t.parked !== undefined && r.status === t.parked) return { kind: "backoff", untilMs: Date.now() + PARKED_RECHECK_MS };
  if (r.backoff) return { kind: "backoff", untilMs: r.backoff.getTime() };
  if (r.held) return { kind: "held", leaseUntilMs: r.held.getTime() };
  return { kind: "open" };
}

export type OpenRow = { id: number; chatId: number; notBefore: Date | null };

/**
 * Rows that should have a job and may have lost it: waiting longer than `staleMs` (and not backing
 * off past that), or claimed under an expired lease. Oldest first.
 */
export async function findOpenRows(db: Queryable, t: WorkTable, staleMs: number, limit: number): Promise<OpenRow[]> {
  const { rows } = await db.query<{ id: number; chat_id: number; not_before: Date | null }>({
    name: `ob-open-${t.table}`,
    text: `SELECT id, chat_id, not_before FROM ${t.table}
     WHERE (status = '${t.waiting}' AND ${t.since} < now() - make_interval(secs => $1::double precision / 1000)
            AND (not_before IS NULL OR not_before < now() + make_interval(secs => $1::double precision / 1000)))
        OR (status = '${claimedOf(t)}' AND lease_until < now())
     ORDER BY id LIMIT $2`,
    values: [staleMs, limit],
  });
  return rows.map((r) => ({ id: r.id, chatId: r.chat_id, notBefore: r.not_before }));
}

/** Does the chat have rows a claim would take now? A plain read; a wrong "no" defers to a job or the sweeper. */
export async function chatClaimable(db: Queryable, t: WorkTable, chatId: number): Promise<boolean> {
  const { rows } = await db.query<{ open: boolean }>({
    name: `ob-claimable-${t.table}`,
    text: `SELECT EXISTS (SELECT 1 FROM ${t.table} WHERE chat_id = $1 AND (status = '${t.waiting}' OR (status = '${claimedOf(t)}' AND lease_until < now())))
       AND NOT EXISTS (SELECT 1 FROM ${t.table} WHERE chat_id = $1 AND status = '${claimedOf(t)}' AND lease_until >= now())
       AND NOT EXISTS (SELECT 1 FROM ${t.table} WHERE chat_id = $1 AND status = '${t.waiting}' AND not_before > now()) AS open`,
    values: [chatId],
  });
  return rows[0]?.open === true;
}

/** Open rows per status, for status views and metrics (reads the partial indexes of open rows). */
export async function openCounts(db: Queryable, t: WorkTable): Promise<Record<string, number>> {
  const { rows } = await db.query<{ status: string; n: number }>(
    `SELECT status, count(*)::int AS n FROM ${t.table} WHERE status IN ('${t.waiting}', '${claimedOf(t)}') GROUP BY status`,
  );
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}
