import { jsonParam, type Queryable } from "./sql.ts";
import type { AuditInsert, OutboxInsert } from "./outbox.queries.ts";

// The actions table (migration 0025): one statement per step of an action's life, each with the
// audit event it causes, so the state and its record cannot disagree.

export type PreviewInsert = {
  /** upd:<inbox id>: a re-handled update finds the row it wrote before. */
  cause: string;
  chatId: number;
  ownerId: number;
  tool: string;
  payload: Record<string, unknown>;
  preview: Record<string, unknown>;
  forceOffer: "none" | "partial" | "required";
  correlationId: string;
  ttlSec: number;
};

export type StoredPreview = { id: number; hash: string; expiresAt: Date };

/**
 * Stores a previewed action and its `action_previewed` audit event in one statement. Postgres
 * takes the payload's hash. When the cause was stored before, that row is returned unchanged.
 */
export async function insertPreview(db: Queryable, p: PreviewInsert): Promise<StoredPreview> {
  const { rows } = await db.query<{ id: number; payload_hash: string; expires_at: Date }>({
    name: "ob-action-preview",
    text: `WITH ins AS (
       INSERT INTO actions (cause, chat_id, owner_id, tool, payload, payload_hash, preview, force_offer, correlation_id, expires_at)
       VALUES ($1, $2, $3, $4, $5::jsonb, ob_payload_hash($5::jsonb), $6::jsonb, $7, $8, now() + make_interval(secs => $9::double precision))
       ON CONFLICT (cause) DO NOTHING
       RETURNING id, payload_hash, expires_at
     ),
     au AS (
       INSERT INTO audit_events (event_type, correlation_id, actor_id, payload)
       SELECT 'action_previewed', $8, $3, jsonb_build_object('action_id', ins.id, 'tool', $4::text, 'force_offer', $7::text,
              'affected', ($6::jsonb)->'affected') FROM ins
     )
     SELECT id, payload_hash, expires_at FROM ins
     UNION ALL SELECT id, payload_hash, expires_at FROM actions WHERE cause = $1 AND NOT EXISTS (SELECT 1 FROM ins)`,
    values: [p.cause, p.chatId, p.ownerId, p.tool, jsonParam(p.payload), jsonParam(p.preview), p.forceOffer, p.correlationId, p.ttlSec],
  });
  const r = rows[0];
  if (!r) throw new Error(`action preview ${p.cause} was not stored`);
  return { id: r.id, hash: r.payload_hash, expiresAt: r.expires_at };
}

export type PressOp = "confirm" | "force" | "cancel" | "all" | "main";

export type PressOutcome =
  | "confirmed"
  | "cancelled"
  | "missing"
  | "denied"
  | "forged"
  | "tampered"
  | "expired"
  | "running"
  | "done"
  | "failed"
  | "was_cancelled"
  | "blocked";

export type PressResult = {
  outcome: PressOutcome;
  status: string | null;
  tool: string | null;
  /** The newest of the confirm's outbox rows (answer + "Выполняю…"), whose job the caller adds. */
  runOutbox: number | null;
  chatId: number | null;
  /** The press's answer is already in the outbox (written by the confirm): do not answer again. */
  answered: boolean;
};

export type Press = {
  id: number;
  op: PressOp;
  hash: string;
  presser: number;
  /** Inbox id of the press: a press handled again is recognised and answered the same way. */
  update: number;
  messageId: number | null;
  queryId: string;
  /** The answer of a confirm, and the text that replaces the preview while it runs. */
  answerText: string;
  runText: string;
  correlationId: string;
};

/** One press of a preview's button, decided by ob_action_press (0025) in one statement. */
export async function pressAction(db: Queryable, p: Press): Promise<PressResult> {
  const { rows } = await db.query<{
    outcome: PressOutcome;
    status: string | null;
    tool: string | null;
    run_outbox: number | null;
    run_chat: number | null;
    answered: boolean;
  }>({
    name: "ob-action-press",
    text: "SELECT * FROM ob_action_press($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    values: [p.id, p.op, p.hash, p.presser, p.update, p.messageId, p.queryId, p.answerText, p.runText, p.correlationId],
  });
  const r = rows[0];
  if (!r) throw new Error("ob_action_press returned nothing");
  return { outcome: r.outcome, status: r.status, tool: r.tool, runOutbox: r.run_outbox, chatId: r.run_chat, answered: r.answered };
}

export type ClaimedAction = {
  id: number;
  chatId: number;
  ownerId: number;
  tool: string;
  payload: Record<string, unknown>;
  hashOk: boolean;
  idempotencyKey: string;
  force: boolean;
  execMode: "all" | "main" | null;
  correlationId: string;
  messageId: number | null;
  preview: Record<string, unknown>;
  attempts: number;
};

/** Claims a chat's confirmed actions in order with a lease (ob_claim_action, 0025). */
export async function claimActions(
  db: Queryable,
  chatId: number,
  claimer: string,
  leaseSec: number,
  limit: number,
): Promise<ClaimedAction[]> {
  type Row = {
    id: number;
    chat_id: number;
    owner_id: number;
    tool: string;
    payload: Record<string, unknown>;
    hash_ok: boolean;
    idempotency_key: string;
    force: boolean;
    exec_mode: "all" | "main" | null;
    correlation_id: string;
    message_id: number | null;
    preview: Record<string, unknown>;
    attempts: number;
  };
  const { rows } = await db.query<Row>({
    name: "ob-claim-action",
    text: "SELECT * FROM ob_claim_action($1, $2, $3::double precision, $4)",
    values: [chatId, claimer, leaseSec, limit],
  });
  return rows
    .map((r) => ({
      id: r.id,
      chatId: r.chat_id,
      ownerId: r.owner_id,
      tool: r.tool,
      payload: r.payload,
      hashOk: r.hash_ok,
      idempotencyKey: r.idempotency_key,
      force: r.force,
      execMode: r.exec_mode,
      correlationId: r.correlation_id,
      messageId: r.message_id,
      preview: r.preview,
      attempts: r.attempts,
    }))
    .sort((a, b) => a.id - b.id);
}

export type ActionFinish = {
  id: number;
  claimer: string;
  status: "committed" | "failed" | "blocked";
  result: Record<string, unknown> | null;
  error: string | null;
  /** The outcome edit of the preview message, the team's messages. */
  outbox: OutboxInsert[];
  audits: AuditInsert[];
  /** notify_team: its deliveries are reported once they have a final status. */
  deliveryPending: boolean;
};

/**
 * Finishes a claimed action in ONE statement: its final status and result, the outbox rows it
 * causes and its audit events. Fenced on the claimer: when the lease was lost nothing is written.
 * Outbox causes are act:<id>:…, unique with their seq, so a repeated finish cannot send twice.
 */
export async function finishAction(db: Queryable, f: ActionFinish): Promise<{ fenced: boolean; outbox: { id: number; chatId: number }[] }> {
  const { rows } = await db.query<{ kind: string; id: number; chat_id: number }>({
    name: "ob-finish-action",
    text: `WITH fin AS (
       UPDATE actions SET status = $3, result = $4::jsonb, last_error = $5, finished_at = now(), lease_until = NULL,
              delivery = CASE WHEN $8::boolean THEN 'pending' ELSE delivery END
       WHERE id = $1 AND claimed_by = $2 AND status = 'in_progress'
       RETURNING id
     ),
     ob AS (
       INSERT INTO outbox (cause, seq, chat_id, method, payload)
       SELECT u.cause, u.seq, u.chat_id, u.method, u.payload
       FROM jsonb_to_recordset($6::jsonb) AS u(cause text, seq int, chat_id bigint, method text, payload jsonb), fin
       ON CONFLICT (cause, seq) DO NOTHING
       RETURNING id, chat_id
     ),
     au AS (
       INSERT INTO audit_events (event_type, correlation_id, actor_id, payload)
       SELECT a.type, a.cid, a.actor, a.payload FROM jsonb_to_recordset($7::jsonb) AS a(type text, cid text, actor bigint, payload jsonb), fin
     )
     SELECT 'fenced' AS kind, (SELECT count(*) FROM fin)::int AS id, 0 AS chat_id
     UNION ALL SELECT 'outbox', id, chat_id FROM ob`,
    values: [
      f.id,
      f.claimer,
      f.status,
      f.result === null ? null : jsonParam(f.result),
      f.error?.slice(0, 2000) ?? null,
      jsonParam(f.outbox.map((r) => ({ cause: r.cause, seq: r.seq, chat_id: r.chatId, method: r.method, payload: r.payload }))),
      jsonParam(f.audits.map((a) => ({ type: a.type, cid: a.correlationId ?? null, actor: a.actorId ?? null, payload: a.payload ?? {} }))),
      f.deliveryPending,
    ],
  });
  const fenced = rows.find((r) => r.kind === "fenced")?.id === 1;
  const outbox = rows
    .filter((r) => r.kind === "outbox")
    .map((r) => ({ id: r.id, chatId: r.chat_id }))
    .sort((a, b) => a.id - b.id);
  return { fenced, outbox };
}

export type SettledDelivery = {
  id: number;
  chatId: number;
  ownerId: number;
  correlationId: string;
  messageId: number | null;
  title: string;
  /** The outcome text the preview message shows now; the report is added below it. */
  text: string;
  sent: number;
  failed: { chatId: number; error: string }[];
};

/** notify_team actions whose every message to the team has a final outbox status. */
export async function settledDeliveries(db: Queryable, limit: number): Promise<SettledDelivery[]> {
  const { rows } = await db.query<{
    id: number;
    chat_id: number;
    owner_id: number;
    correlation_id: string;
    message_id: number | null;
    title: string | null;
    text: string | null;
    sent: number;
    failed: { chat_id: number; error: string | null }[] | null;
  }>({
    name: "ob-action-deliveries",
    text: `SELECT a.id, a.chat_id, a.owner_id, a.correlation_id, a.message_id, a.preview->>'title' AS title, a.result->>'text' AS text,
              count(*) FILTER (WHERE o.status = 'sent')::int AS sent,
              jsonb_agg(jsonb_build_object('chat_id', o.chat_id, 'error', coalesce(o.last_error, o.status))) FILTER (WHERE o.status <> 'sent') AS failed
       FROM actions a JOIN outbox o ON o.cause = 'act:' || a.id || ':team'
       WHERE a.delivery = 'pending'
       GROUP BY a.id
       HAVING bool_and(o.status IN ('sent', 'failed', 'dead', 'expired'))
       ORDER BY a.id LIMIT $1`,
    values: [limit],
  });
  return rows.map((r) => ({
    id: r.id,
    chatId: r.chat_id,
    ownerId: r.owner_id,
    correlationId: r.correlation_id,
    messageId: r.message_id,
    title: r.title ?? "Сообщение команде",
    text: r.text ?? "",
    sent: r.sent,
    failed: (r.failed ?? []).map((f) => ({ chatId: f.chat_id, error: f.error ?? "" })),
  }));
}

/** Records the delivery report: the edit of the preview message and its audit event, once. */
export async function reportDelivery(db: Queryable, id: number, outbox: OutboxInsert, audit: AuditInsert): Promise<number | null> {
  const { rows } = await db.query<{ id: number }>({
    name: "ob-action-delivery-report",
    text: `WITH d AS (UPDATE actions SET delivery = 'reported' WHERE id = $1 AND delivery = 'pending' RETURNING id),
     au AS (INSERT INTO audit_events (event_type, correlation_id, actor_id, payload) SELECT $6, $7, $8, $9::jsonb FROM d)
     INSERT INTO outbox (cause, seq, chat_id, method, payload) SELECT $2, 0, $3, $4, $5::jsonb FROM d
     ON CONFLICT (cause, seq) DO NOTHING RETURNING id`,
    values: [
      id,
      outbox.cause,
      outbox.chatId,
      outbox.method,
      jsonParam(outbox.payload),
      audit.type,
      audit.correlationId ?? null,
      audit.actorId ?? null,
      jsonParam(audit.payload ?? {}),
    ],
  });
  return rows[0]?.id ?? null;
}
