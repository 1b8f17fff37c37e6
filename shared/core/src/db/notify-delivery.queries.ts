import { jsonParam, type Queryable } from "./sql.ts";
import type { AuditInsert, OutboxInsert } from "./outbox.queries.ts";
import type { ReportRequest } from "../queue/report-doc.ts";

// The scheduler's one write: a feature's messages (outbox rows, report jobs for its PNG/PDF), its
// audit events and the state columns it advances on owner_notify_settings, all in ONE statement.
// Outbox causes are deterministic (ntf:digest:<owner>:<day>, …) and unique on (cause, seq), so a
// repeated tick cannot send twice; the state moves with the message, so it cannot be sent and
// forgotten, or remembered and never sent. The sender owns delivery and retries from there.

export type NotifyWrite = {
  ownerId: number;
  /** owner_notify_settings columns to set; values are cast to the column types by Postgres. */
  state: Record<string, unknown>;
  outbox: OutboxInsert[];
  reports: { cause: string; chatId: number; request: ReportRequest }[];
  audits: AuditInsert[];
};

const COLUMN = /^[a-z][a-z0-9_]{0,62}$/;

/**
 * Applies the write when the owner's settings row exists (features are off without one). Returns
 * whether the row was updated and the outbox and report rows that are new (none when the cause was
 * written before), whose jobs the caller adds.
 */
export type WrittenRows = { outbox: { id: number; chatId: number }[]; reports: { id: number; chatId: number }[] };

export async function writeNotification(db: Queryable, w: NotifyWrite): Promise<{ applied: boolean } & WrittenRows> {
  const cols = Object.keys(w.state);
  if (cols.length === 0) throw new Error("writeNotification needs at least one state column");
  for (const c of cols) if (!COLUMN.test(c) || c === "owner_id") throw new Error(`not a settings column: ${c}`);
  // jsonb_populate_record casts each JSON value to its column's type (timestamptz, numeric, …).
  const set = cols.map((c) => `${c} = v.${c}`).join(", ");
  const { rows } = await db.query<{ kind: string; id: number; chat_id: number }>({
    text: `WITH st AS (
       UPDATE owner_notify_settings s SET ${set}
       FROM jsonb_populate_record(NULL::owner_notify_settings, $2::jsonb) v
       WHERE s.owner_id = $1
       RETURNING s.owner_id
     ),
     ob AS (
       INSERT INTO outbox (cause, seq, chat_id, method, payload)
       SELECT u.cause, u.seq, u.chat_id, u.method, u.payload
       FROM jsonb_to_recordset($3::jsonb) AS u(cause text, seq int, chat_id bigint, method text, payload jsonb), st
       ON CONFLICT (cause, seq) DO NOTHING
       RETURNING id, chat_id
     ),
     rep AS (
       INSERT INTO report_jobs (cause, chat_id, request)
       SELECT r.cause, r.chat_id, r.request
       FROM jsonb_to_recordset($4::jsonb) AS r(cause text, chat_id bigint, request jsonb), st
       ON CONFLICT (cause) DO NOTHING
       RETURNING id, chat_id
     ),
     au AS (
       INSERT INTO audit_events (event_type, correlation_id, actor_id, payload)
       SELECT a.type, a.cid, a.actor, a.payload
       FROM jsonb_to_recordset($5::jsonb) AS a(type text, cid text, actor bigint, payload jsonb), st
     )
     SELECT 'applied' AS kind, (SELECT count(*) FROM st)::int AS id, 0 AS chat_id
     UNION ALL SELECT 'outbox', id, chat_id FROM ob
     UNION ALL SELECT 'report', id, chat_id FROM rep`,
    values: [
      w.ownerId,
      jsonParam(w.state),
      jsonParam(w.outbox.map((r) => ({ cause: r.cause, seq: r.seq, chat_id: r.chatId, method: r.method, payload: r.payload }))),
      jsonParam(w.reports.map((r) => ({ cause: r.cause, chat_id: r.chatId, request: r.request }))),
      jsonParam(w.audits.map((a) => ({ type: a.type, cid: a.correlationId ?? null, actor: a.actorId ?? null, payload: a.payload ?? {} }))),
    ],
  });
  const of = (kind: string) => rows.filter((r) => r.kind === kind).map((r) => ({ id: r.id, chatId: r.chat_id }));
  return { applied: (rows.find((r) => r.kind === "applied")?.id ?? 0) > 0, outbox: of("outbox"), reports: of("report") };
}
