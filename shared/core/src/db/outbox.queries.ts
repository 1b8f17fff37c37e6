import type pg from "pg";
import { jsonParam, type Queryable } from "./sql.ts";
import type { ReportInsert } from "./report-jobs.queries.ts";

export type OutboxInsert = {
  cause: string;
  seq: number;
  chatId: number;
  method: string;
  payload: Record<string, unknown>;
  /** Written only when this inbox row ends the finish parked (a voice's "recognition is late" notice). */
  onlyIfParked?: number;
};
export type TokenInsert = { token: string; chatId: number; payload: unknown; ttlSec: number };
export type AuditInsert = { type: string; correlationId?: string | null; actorId?: number | null; payload?: unknown };

export type IntentOutcome = {
  claimer: string;
  doneIds: number[];
  deadIds: number[];
  outbox: OutboxInsert[];
  tokens: TokenInsert[];
  audits: AuditInsert[];
  /** Charts/PDFs for the report worker (report_jobs rows, unique on cause). */
  reports?: ReportInsert[];
  /**
   * Rows handed back untried instead of finished (a voice waiting for its transcript): `new` until
   * `notBeforeMs`, so the chat's later rows wait behind it — or, with `park`, `parked` so the chat
   * goes on; a park whose transcription ended meanwhile comes back `new` at once (`reopened`).
   */
  holds?: { id: number; notBeforeMs: number | null; park: boolean }[];
  /** Voices to transcribe (asr_jobs rows keyed by their inbox id). */
  asr?: { id: number; chatId: number; file: unknown }[];
  /** Texts for the LLM planner (llm_jobs rows keyed by their inbox id). */
  llm?: { id: number; chatId: number; text: string }[];
};

/**
 * Finishes claimed inbox rows in ONE statement: marks them done (or dead, or hands them back to
 * wait for a transcript or a plan), writes their replies, callback tokens, audit events, report
 * jobs, transcription jobs and planner jobs. The inbox update is fenced on the claimer; when the lease was
 * lost nothing else is written and `fenced` is false. Replies are unique on (cause, seq), so a
 * repeated finish cannot send twice.
 */
export async function finishIntent(
  db: Queryable,
  o: IntentOutcome,
): Promise<{
  fenced: boolean;
  outbox: { id: number; chatId: number }[];
  reports: { id: number; chatId: number }[];
  /** The last error of each row that ended dead, as the row now records it. */
  dead: Map<number, string>;
  asr: { id: number; chatId: number }[];
  llm: { id: number; chatId: number }[];
  /** Parks that came back `new` because their transcription had ended. */
  reopened: number[];
}> {
  const holds = o.holds ?? [];
  const all = [...o.doneIds, ...o.deadIds, ...holds.map((h) => h.id)];
  const { rows } = await db.query<{ kind: string; id: number; chat_id: number; error: string | null }>({
    name: "ob-finish-intent",
    text: `WITH hold AS (
       SELECT * FROM jsonb_to_recordset($8::jsonb) AS h(id bigint, not_before double precision, park boolean)
     ),
     -- A park is decided on the newest state of its transcription: FOR UPDATE waits for a worker-asr
     -- finish in flight and then sees its result, and that finish wakes only rows already parked.
     asr_open AS MATERIALIZED (
       SELECT a.id FROM asr_jobs a WHERE a.id IN (SELECT id FROM hold WHERE park) AND a.status IN ('pending', 'claimed') FOR UPDATE
     ),
     -- The same for a text whose plan is late (the llm worker's finish wakes only parked rows).
     llm_open AS MATERIALIZED (
       SELECT l.id FROM llm_jobs l WHERE l.id IN (SELECT id FROM hold WHERE park) AND l.status IN ('pending', 'claimed') FOR UPDATE
     ),
     work_open AS (SELECT id FROM asr_open UNION ALL SELECT id FROM llm_open),
     fin AS (
       UPDATE inbox SET status = CASE WHEN id = ANY($3::bigint[]) THEN 'dead'
                WHEN id IN (SELECT id FROM hold) THEN CASE WHEN id IN (SELECT id FROM work_open) THEN 'parked' ELSE 'new' END
                ELSE 'done' END,
              last_error = CASE WHEN id = ANY($3::bigint[])
                THEN 'gave up after ' || (attempts - 1) || ' attempts: ' || coalesce(last_error, 'no error recorded') ELSE last_error END,
              not_before = CASE WHEN id IN (SELECT id FROM hold)
                THEN (SELECT to_timestamp(h.not_before / 1000) FROM hold h
                      WHERE h.id = inbox.id AND (NOT h.park OR inbox.id IN (SELECT id FROM work_open)))
                ELSE not_before END,
              attempts = CASE WHEN id IN (SELECT id FROM hold) THEN greatest(attempts - 1, 0) ELSE attempts END,
              claimed_by = CASE WHEN id IN (SELECT id FROM hold) THEN NULL ELSE claimed_by END,
              done_at = CASE WHEN id IN (SELECT id FROM hold) THEN NULL ELSE now() END,
              lease_until = NULL, updated_at = now()
       WHERE id = ANY($1::bigint[]) AND claimed_by = $2 AND status = 'claimed'
       RETURNING id, status, last_error
     ),
     ok AS (SELECT count(*) = cardinality($1::bigint[]) AS fenced FROM fin),
     ob AS (
       INSERT INTO outbox (cause, seq, chat_id, method, payload)
       SELECT u.cause, u.seq, u.chat_id, u.method, u.payload
       FROM jsonb_to_recordset($4::jsonb) AS u(cause text, seq int, chat_id bigint, method text, payload jsonb, if_parked bigint), ok
       WHERE ok.fenced AND (u.if_parked IS NULL OR EXISTS (SELECT 1 FROM fin WHERE fin.id = u.if_parked AND fin.status = 'parked'))
       ON CONFLICT (cause, seq) DO NOTHING
       RETURNING id, chat_id
     ),
     tok AS (
       INSERT INTO callback_tokens (token, chat_id, payload, expires_at)
       SELECT t.token, t.chat_id, t.payload, now() + make_interval(secs => t.ttl)
       FROM jsonb_to_recordset($5::jsonb) AS t(token text, chat_id bigint, payload jsonb, ttl int), ok
       WHERE ok.fenced
       ON CONFLICT (token) DO NOTHING
     ),
     au AS (
       INSERT INTO audit_events (event_type, correlation_id, actor_id, payload)
       SELECT a.type, a.cid, a.actor, a.payload
       FROM jsonb_to_recordset($6::jsonb) AS a(type text, cid text, actor bigint, payload jsonb), ok
       WHERE ok.fenced
     ),
     rep AS (
       INSERT INTO report_jobs (cause, chat_id, request)
       SELECT r.cause, r.chat_id, r.request
       FROM jsonb_to_recordset($7::jsonb) AS r(cause text, chat_id bigint, request jsonb), ok
       WHERE ok.fenced
       ON CONFLICT (cause) DO NOTHING
       RETURNING id, chat_id
     ),
     asr AS (
       INSERT INTO asr_jobs (id, chat_id, file)
       SELECT v.id, v.chat_id, v.file
       FROM jsonb_to_recordset($9::jsonb) AS v(id bigint, chat_id bigint, file jsonb), ok
       WHERE ok.fenced
       ON CONFLICT (id) DO NOTHING
       RETURNING id, chat_id
     ),
     llm AS (
       INSERT INTO llm_jobs (id, chat_id, text)
       SELECT l.id, l.chat_id, l.text
       FROM jsonb_to_recordset($10::jsonb) AS l(id bigint, chat_id bigint, text text), ok
       WHERE ok.fenced
       ON CONFLICT (id) DO NOTHING
       RETURNING id, chat_id
     )
     SELECT 'fenced' AS kind, (SELECT fenced::int FROM ok) AS id, 0 AS chat_id, NULL AS error
     UNION ALL SELECT 'outbox', id, chat_id, NULL FROM ob
     UNION ALL SELECT 'report', id, chat_id, NULL FROM rep
     UNION ALL SELECT 'asr', id, chat_id, NULL FROM asr
     UNION ALL SELECT 'llm', id, chat_id, NULL FROM llm
     UNION ALL SELECT 'dead', id, 0, last_error FROM fin WHERE status = 'dead'
     UNION ALL SELECT 'reopened', f.id, 0, NULL FROM fin f JOIN hold h ON h.id = f.id AND h.park WHERE f.status = 'new'`,
    values: [
      all,
      o.claimer,
      o.deadIds,
      // Rows travel as one JSON document each: JSON.stringify is native, while pg's array
      // serialisation escapes every character of every payload in JavaScript.
      jsonParam(
        o.outbox.map((r) => ({
          cause: r.cause,
          seq: r.seq,
          chat_id: r.chatId,
          method: r.method,
          payload: r.payload,
          if_parked: r.onlyIfParked ?? null,
        })),
      ),
      jsonParam(o.tokens.map((t) => ({ token: t.token, chat_id: t.chatId, payload: t.payload, ttl: t.ttlSec }))),
      jsonParam(o.audits.map((a) => ({ type: a.type, cid: a.correlationId ?? null, actor: a.actorId ?? null, payload: a.payload ?? {} }))),
      jsonParam((o.reports ?? []).map((r) => ({ cause: r.cause, chat_id: r.chatId, request: r.request }))),
      jsonParam(holds.map((h) => ({ id: h.id, not_before: h.notBeforeMs, park: h.park }))),
      jsonParam((o.asr ?? []).map((a) => ({ id: a.id, chat_id: a.chatId, file: a.file }))),
      jsonParam((o.llm ?? []).map((l) => ({ id: l.id, chat_id: l.chatId, text: l.text }))),
    ],
  });
  const fenced = rows.find((r) => r.kind === "fenced")?.id === 1;
  const of = (kind: string) =>
    rows
      .filter((r) => r.kind === kind)
      .map((r) => ({ id: r.id, chatId: r.chat_id }))
      .sort((a, b) => a.id - b.id);
  const dead = new Map(rows.filter((r) => r.kind === "dead").map((r) => [r.id, r.error ?? "dead"]));
  const reopened = rows.filter((r) => r.kind === "reopened").map((r) => r.id);
  return { fenced, outbox: of("outbox"), reports: of("report"), dead, asr: of("asr"), llm: of("llm"), reopened };
}

export type ClaimedOutbox = {
  id: number;
  chatId: number;
  method: string;
  payload: Record<string, unknown>;
  attempts: number;
  cause: string;
  createdAt: Date;
};

/**
 * Claims one chat's pending replies in order (same discipline as the inbox claim). Nothing is
 * claimed while an earlier row of the chat waits out a Telegram retry_after.
 */
export async function claimOutboxChat(
  pool: pg.Pool,
  chatId: number,
  claimer: string,
  leaseSec: number,
  limit: number,
): Promise<ClaimedOutbox[]> {
  type Row = {
    id: number;
    chat_id: number;
    method: string;
    payload: Record<string, unknown>;
    attempts: number;
    cause: string;
    created_at: Date;
  };
  const { rows } = await pool.query<Row>({
    name: "ob-claim-outbox",
    text: "SELECT * FROM ob_claim_outbox($1, $2, $3::double precision, $4)",
    values: [chatId, claimer, leaseSec, limit],
  });
  return rows
    .map((r) => ({
      id: r.id,
      chatId: r.chat_id,
      method: r.method,
      payload: r.payload,
      attempts: r.attempts,
      cause: r.cause,
      createdAt: r.created_at,
    }))
    .sort((a, b) => a.id - b.id);
}

/**
 * Records a delivered reply. An uploaded file's bytes (base64 PNG/PDF, up to megabytes) are dropped
 * from the row once Telegram has them: only the name and size stay, for the history.
 */
export async function markSent(db: Queryable, id: number, messageId: number | null): Promise<void> {
  await db.query({
    name: "ob-mark-sent",
    text: `UPDATE outbox SET status = 'sent', telegram_message_id = $2, sent_at = now(), lease_until = NULL, last_error = NULL,
            payload = CASE WHEN payload ? 'file'
              THEN jsonb_set(payload, '{file}', (payload->'file') - 'base64'
                   || jsonb_build_object('bytes', length(payload->'file'->>'base64') / 4 * 3
                        - (length(payload->'file'->>'base64') - length(rtrim(payload->'file'->>'base64', '=')))))
              ELSE payload END
     WHERE id = $1 AND status <> 'sent'`,
    values: [id, messageId],
  });
}

/** A reply that will not be delivered: refused for good (failed), out of attempts (dead), or too old (expired). */
export async function markFailed(db: Queryable, id: number, status: "failed" | "dead" | "expired", error: string): Promise<void> {
  await db.query({
    name: "ob-mark-failed",
    text: `UPDATE outbox SET status = $2, last_error = $3, lease_until = NULL WHERE id = $1 AND status <> 'sent'`,
    values: [id, status, error.slice(0, 2000)],
  });
}

export async function messageIdOf(db: Queryable, cause: string, seq: number): Promise<number | null> {
  const { rows } = await db.query<{ telegram_message_id: number | null }>(
    "SELECT telegram_message_id FROM outbox WHERE cause = $1 AND seq = $2",
    [cause, seq],
  );
  return rows[0]?.telegram_message_id ?? null;
}

/** One reply outside a worker's finishing statement (a "typing…" hint); a repeat of the cause is ignored. */
export async function insertOutboxRow(db: Queryable, r: OutboxInsert): Promise<number | null> {
  const { rows } = await db.query<{ id: number }>({
    name: "ob-outbox-insert",
    text: `INSERT INTO outbox (cause, seq, chat_id, method, payload) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (cause, seq) DO NOTHING RETURNING id`,
    values: [r.cause, r.seq, r.chatId, r.method, JSON.stringify(r.payload)],
  });
  return rows[0]?.id ?? null;
}
