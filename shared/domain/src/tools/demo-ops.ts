import { sql } from "kysely";
import type { Db } from "@ownerbot/core/db";
import type { LocalDay } from "../format/dates.ts";
import type { AuditCount, AuditEvent, ChatQueue, ChatThread, Coupon, FxRate, MemoJobCount } from "./provider.ts";

// Chats, coupons, FX and the audit trail for the DEMO provider.

/** Open, and the customer spoke last: no manager reply since their latest message. */
const UNANSWERED = sql`t.open AND (t.last_manager_reply_at IS NULL OR t.last_manager_reply_at < t.last_customer_message_at)`;

type ThreadRow = {
  thread_id: string;
  customer_id: string;
  customer_name: string | null;
  subject: string;
  assigned_to: string | null;
  assignee_name: string | null;
  last_customer_message_at: Date;
  last_manager_reply_at: Date | null;
};

const threadSelect = sql`
  SELECT t.thread_id, t.customer_id, c.name AS customer_name, t.subject, t.assigned_to, m.name AS assignee_name,
         t.last_customer_message_at, t.last_manager_reply_at
  FROM demo_chat_threads t
  LEFT JOIN demo_customers c ON c.customer_id = t.customer_id
  LEFT JOIN demo_team m ON m.member_id = t.assigned_to`;

function toThread(r: ThreadRow): ChatThread {
  return {
    threadId: r.thread_id,
    customerId: r.customer_id,
    customerName: r.customer_name,
    subject: r.subject,
    assignedTo: r.assigned_to,
    assigneeName: r.assignee_name,
    lastCustomerMessageAt: r.last_customer_message_at,
    lastManagerReplyAt: r.last_manager_reply_at,
  };
}

export async function unansweredChats(
  db: Db,
  q: { waitingSince: Date; limit: number; offset: number },
): Promise<{ total: number; items: ChatThread[] }> {
  const [items, total] = await Promise.all([
    sql<ThreadRow>`${threadSelect}
      WHERE ${UNANSWERED} AND t.last_customer_message_at <= ${q.waitingSince}
      ORDER BY t.last_customer_message_at DESC, t.thread_id LIMIT ${q.limit} OFFSET ${q.offset}`.execute(db),
    sql<{ n: number }>`SELECT count(*)::int AS n FROM demo_chat_threads t
      WHERE ${UNANSWERED} AND t.last_customer_message_at <= ${q.waitingSince}`.execute(db),
  ]);
  return { total: total.rows[0]?.n ?? 0, items: items.rows.map(toThread) };
}

export async function chatQueue(db: Db, q: { now: Date; cutoffsHours: number[]; oldestLimit: number }): Promise<ChatQueue> {
  const cutoffs = q.cutoffsHours.map((h, i) => {
    const at = new Date(q.now.getTime() - h * 3_600_000);
    return sql`count(*) FILTER (WHERE t.last_customer_message_at <= ${at})::int AS ${sql.ref(`c${i}`)}`;
  });
  // Messages "from the future" of a pinned demo clock are not waiting yet.
  const visible = sql`${UNANSWERED} AND t.last_customer_message_at <= ${q.now}`;
  const [counts, byAssignee, oldest] = await Promise.all([
    sql<Record<string, number>>`SELECT count(*)::int AS total ${cutoffs.length ? sql`, ${sql.join(cutoffs)}` : sql``}
      FROM demo_chat_threads t WHERE ${visible}`.execute(db),
    sql<{ member_id: string | null; name: string | null; count: number }>`
      SELECT t.assigned_to AS member_id, max(m.name) AS name, count(*)::int AS count
      FROM demo_chat_threads t LEFT JOIN demo_team m ON m.member_id = t.assigned_to
      WHERE ${visible} GROUP BY t.assigned_to ORDER BY count DESC, t.assigned_to NULLS FIRST`.execute(db),
    sql<ThreadRow>`${threadSelect} WHERE ${visible}
      ORDER BY t.last_customer_message_at ASC, t.thread_id LIMIT ${q.oldestLimit}`.execute(db),
  ]);
  const c = counts.rows[0] ?? {};
  return {
    total: Number(c.total ?? 0),
    olderThan: q.cutoffsHours.map((_, i) => Number(c[`c${i}`] ?? 0)),
    byAssignee: byAssignee.rows.map((r) => ({ memberId: r.member_id, name: r.name, count: r.count })),
    oldest: oldest.rows.map(toThread),
  };
}

export async function coupons(db: Db): Promise<Coupon[]> {
  const rows = await db
    .selectFrom("demo_coupons")
    .select(["code", "percent_off", "amount_off", "active", "max_uses", "used_count", "starts_at", "ends_at"])
    .orderBy("code")
    .execute();
  return rows.map((r) => ({
    code: r.code,
    percentOff: r.percent_off,
    amountOff: r.amount_off,
    active: r.active,
    maxUses: r.max_uses,
    usedCount: r.used_count,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
  }));
}

export async function fxRates(db: Db, onOrBefore: LocalDay): Promise<FxRate[]> {
  const { rows } = await sql<{ base: string; quote: string; day: string; rate: number; prev_day: string | null; prev_rate: number | null }>`
    SELECT DISTINCT ON (base, quote) base, quote, day::text AS day, rate,
           (lag(day) OVER w)::text AS prev_day, lag(rate) OVER w AS prev_rate
    FROM demo_fx_rates WHERE day <= ${onOrBefore}::date
    WINDOW w AS (PARTITION BY base, quote ORDER BY day)
    ORDER BY base, quote, day DESC`.execute(db);
  return rows.map((r) => ({
    base: r.base,
    quote: r.quote,
    day: r.day,
    rate: Number(r.rate),
    prevDay: r.prev_day,
    prevRate: r.prev_rate === null ? null : Number(r.prev_rate),
  }));
}

/** Event types that mean something went wrong, as the reference's sys_last_errors matched them. */
export const ERROR_TYPE_PATTERNS = ["%failed%", "%error%", "%unavailable%", "%exception%"];

export async function auditRecent(
  db: Db,
  q: { limit: number; offset: number; errorsOnly: boolean; types?: string[]; requestsOnly?: boolean },
): Promise<{ hasMore: boolean; items: AuditEvent[] }> {
  let query = db
    .selectFrom("audit_events")
    .select(["id", "occurred_at", "event_type", "correlation_id", "actor_id", "payload"])
    .orderBy("occurred_at", "desc")
    .orderBy("id", "desc")
    .limit(q.limit + 1)
    .offset(q.offset);
  if (q.errorsOnly) query = query.where(sql<boolean>`event_type ILIKE ANY(${ERROR_TYPE_PATTERNS}::text[])`);
  if (q.types && q.types.length > 0) query = query.where("event_type", "in", q.types);
  // An owner's request: the worker's row for it carries `asked` (older bots wrote `retrospective`).
  if (q.requestsOnly) query = query.where(sql<boolean>`(payload ? 'asked' OR event_type = 'retrospective')`);
  const rows = await query.execute();
  return {
    hasMore: rows.length > q.limit,
    items: rows.slice(0, q.limit).map((r) => ({
      id: r.id,
      occurredAt: r.occurred_at,
      eventType: r.event_type,
      correlationId: r.correlation_id,
      actorId: r.actor_id,
      payload:
        r.payload !== null && typeof r.payload === "object" && !Array.isArray(r.payload)
          ? (r.payload as Record<string, unknown>)
          : { value: r.payload },
    })),
  };
}

export async function auditCounts(db: Db, q: { start: Date; end: Date }): Promise<AuditCount[]> {
  const { rows } = await sql<{ event_type: string; tool: string | null; code: string | null; topic: string | null; count: number }>`
    SELECT event_type, payload->>'tool' AS tool,
           coalesce(payload->>'error_code', payload->>'code', payload->>'reason') AS code, payload->>'topic' AS topic,
           count(*)::int AS count
    FROM audit_events WHERE occurred_at >= ${q.start} AND occurred_at < ${q.end}
    GROUP BY 1, 2, 3, 4`.execute(db);
  return rows.map((r) => ({ eventType: r.event_type, tool: r.tool, code: r.code, topic: r.topic, count: r.count }));
}

/** The advisor's memo PDFs: report_jobs rows whose file is decision_memo_<topic>.pdf (advice/memo.ts). */
export async function memoJobs(db: Db, q: { start: Date; end: Date }): Promise<MemoJobCount[]> {
  const { rows } = await sql<{ topic: string; status: MemoJobCount["status"]; count: number }>`
    SELECT upper(substring(request->>'filename' FROM '^decision_memo_(.+)\\.pdf$')) AS topic,
           CASE status WHEN 'done' THEN 'sent' WHEN 'dead' THEN 'failed' ELSE 'open' END AS status, count(*)::int AS count
    FROM report_jobs
    WHERE created_at >= ${q.start} AND created_at < ${q.end} AND request->>'filename' LIKE 'decision\\_memo\\_%'
    GROUP BY 1, 2`.execute(db);
  return rows.filter((r) => r.topic !== null);
}
