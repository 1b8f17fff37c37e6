import type pg from "pg";
import type { CallRecord } from "./fake-telegram/index.ts";

// What the history checker (history.ts) reads, and how it ties Telegram's record to the outbox.

export type InboxRow = {
  id: number;
  update_id: number;
  chat_id: number;
  user_id: number | null;
  kind: string;
  status: string;
  at: number;
  cb: string | null;
};
export type OutboxRow = {
  id: number;
  cause: string;
  chat_id: number;
  method: string;
  payload: Record<string, unknown>;
  status: string;
  text: string;
};
export type AuditRow = { at: number; user_id: string | null; update_kind: string | null; text: string };

export const SEND_METHODS = new Set([
  "sendMessage",
  "editMessageText",
  "editMessageCaption",
  "editMessageReplyMarkup",
  "sendPhoto",
  "sendDocument",
]);
const UPLOADS = new Set(["sendPhoto", "sendDocument"]);
const MAX_EXAMPLES = 5;

export class Tally {
  violations = 0;
  readonly examples: string[] = [];
  add(example: string, n = 1): void {
    this.violations += n;
    if (this.examples.length < MAX_EXAMPLES) this.examples.push(example);
  }
}

/** JSON with sorted keys: jsonb does not keep the key order the worker wrote. */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(v);
}

/**
 * How one outgoing message is recognised in the fake's call log. Uploads travel as multipart
 * strings, whose encoding turns every line break into CRLF; Telegram drops the \r again.
 */
export function sendKey(method: string, params: Record<string, unknown>): string {
  if (UPLOADS.has(method)) {
    const caption = typeof params.caption === "string" ? params.caption.replace(/\r\n/g, "\n") : "";
    return `${method}|${String(params.chat_id)}|${caption}`;
  }
  const { file: _file, ...rest } = params;
  return `${method}|${canonical(rest)}`;
}

export const causeOf = (inboxId: number): string => `upd:${inboxId}`;
export const inboxIdOf = (cause: string): number | undefined => {
  const m = /^upd:(\d+)(?::|$)/.exec(cause);
  return m ? Number(m[1]) : undefined;
};

/** Everything the checker reads from Postgres. */
export async function loadHistory(pool: pg.Pool) {
  const [inbox, outbox, offset, audits] = await Promise.all([
    pool.query<InboxRow>(
      `SELECT id::int, update_id::float8 AS update_id, chat_id::float8 AS chat_id, user_id::float8 AS user_id, kind, status,
              (extract(epoch FROM received_at) * 1000)::float8 AS at, payload->'callback_query'->>'id' AS cb
       FROM inbox ORDER BY id`,
    ),
    pool.query<OutboxRow>(
      `SELECT id::int, cause, chat_id::float8 AS chat_id, method, payload, status, payload::text || ' ' || coalesce(last_error, '') AS text
       FROM outbox ORDER BY id`,
    ),
    pool.query<{ n: number | null }>(`SELECT max(next_offset)::float8 AS n FROM ingress_state`),
    pool.query<AuditRow>(
      `SELECT (extract(epoch FROM occurred_at) * 1000)::float8 AS at, payload->>'user_id' AS user_id,
              payload->>'update_kind' AS update_kind, payload::text AS text
       FROM audit_events WHERE event_type = 'access_denied' ORDER BY occurred_at, id`,
    ),
  ]);
  const errors = await pool.query<{ text: string }>(`SELECT last_error AS text FROM inbox WHERE last_error IS NOT NULL`);
  return { inbox: inbox.rows, outbox: outbox.rows, nextOffset: offset.rows[0]?.n ?? 0, audits: audits.rows, inboxErrors: errors.rows };
}

export type StoredHistory = Awaited<ReturnType<typeof loadHistory>>;

export type Delivery = { delivered: Set<number>; unmatched: string[]; duplicates: string[]; missing: string[] };

/**
 * Matches the fake's successful send calls to outbox rows by what was sent. Identical replies (two
 * equal questions) share a key, so they are matched as a multiset: more calls than rows with a key
 * is a reply delivered twice; a row marked sent without a call was never delivered.
 */
export function matchDeliveries(calls: CallRecord[], outbox: OutboxRow[]): Delivery {
  const ok = new Map<string, CallRecord[]>();
  const notModified = new Set<string>();
  for (const c of calls) {
    if (!SEND_METHODS.has(c.method)) continue;
    const key = sendKey(c.method, c.params);
    if (c.ok) {
      const list = ok.get(key);
      if (list) list.push(c);
      else ok.set(key, [c]);
    } else if (c.error?.includes("message is not modified")) notModified.add(key);
  }
  const take = (key: string): boolean => {
    const list = ok.get(key);
    if (!list?.length) return false;
    list.shift();
    return true;
  };
  const d: Delivery = { delivered: new Set(), unmatched: [], duplicates: [], missing: [] };
  const rowKeys = new Set<string>();
  for (const r of outbox) {
    if (!SEND_METHODS.has(r.method)) continue;
    const key = sendKey(r.method, r.payload);
    const { message_id: _m, ...rest } = r.payload;
    // An edit that cannot apply goes out as a new message (deliver.ts).
    const alt = r.method === "editMessageText" ? sendKey("sendMessage", rest) : undefined;
    rowKeys.add(key);
    if (alt) rowKeys.add(alt);
    if (r.status !== "sent") continue;
    if (take(key) || (alt !== undefined && take(alt)) || notModified.has(key)) d.delivered.add(r.id);
    else d.missing.push(`outbox ${r.id} (${r.cause}) marked sent, no ${r.method} reached Telegram`);
  }
  for (const [key, left] of ok) {
    for (const c of left) {
      const where = `call #${c.seq} ${c.method} to chat ${String(c.params.chat_id)}`;
      if (rowKeys.has(key)) d.duplicates.push(`${where} delivered a reply a second time`);
      else d.unmatched.push(`${where} matches no outbox row`);
    }
  }
  return d;
}
