import type pg from "pg";
import type { CallbackAnswer, CallRecord, FakeTelegram } from "./fake-telegram/index.ts";
import {
  canonical,
  causeOf,
  inboxIdOf,
  loadHistory,
  matchDeliveries,
  SEND_METHODS,
  Tally,
  type AuditRow,
  type Delivery,
  type InboxRow,
  type OutboxRow,
  type StoredHistory,
} from "./history-records.ts";
import { checkBadConfirms, checkOnce, loadActionHistory } from "./history-actions.ts";

// The history checker of RELIABILITY.md: after a fault run it reads what the fake Bot API saw
// (updates offered, calls answered, callbacks answered), the inbox, the outbox, the audit log and
// the services' logs, and counts the violations of each promise. A run passes when every count is 0.

export type PromiseReport = {
  promise: number;
  name: string;
  /** `not applicable` when the run has nothing the promise speaks about (no action was previewed or pressed). */
  status: "checked" | "not applicable" | "checked elsewhere";
  violations: number;
  examples: string[];
};

/** What the checker needs from the fake Bot API; a hand-made record in unit tests. */
export type TelegramRecord = Pick<FakeTelegram, "offeredUpdateIds" | "confirmedOffset" | "pendingCount" | "calls" | "callbackAnswers">;

export type HistoryInput = {
  tg: TelegramRecord;
  pool: pg.Pool;
  owners: readonly number[];
  /** Everything the services wrote (see Stack.logs()). */
  logs?: string;
  /** Secret values the run used (bot token, SIS key, OpenAI key); none may appear anywhere. */
  secrets?: readonly string[];
  /** OVERLOAD_NOTICE_WINDOW_SEC of the run. */
  overloadWindowSec?: number;
  /** ACCESS_DENY_AUDIT_TTL_SEC of the run. */
  auditWindowSec?: number;
  /** ACCESS_DENY_NOTIFY_ONCE of the run: a stranger may get one notice. */
  denyNotice?: boolean;
  /** Effects an upstream (the SIS simulator) counted per idempotency key; they count like DEMO ledger rows. */
  upstreamEffects?: ReadonlyMap<string, number>;
};

/** occurred_at is the finish's commit, which may trail the gate's check by a handler's run. */
const AUDIT_SLACK_MS = 2000;

function secretVariants(secrets: readonly string[]): string[] {
  const out = new Set<string>();
  for (const s of secrets) {
    if (s.length >= 6) out.add(s);
    // The bot token's secret half leaks on its own too (URLs, error messages).
    const half = s.split(":")[1];
    if (half !== undefined && half.length >= 8) out.add(half);
  }
  return [...out];
}

function redact(text: string, secret: string): string {
  const i = text.indexOf(secret);
  return `${text.slice(Math.max(0, i - 40), i)}<SECRET>${text.slice(i + secret.length, i + secret.length + 40)}`.replace(/\s+/g, " ");
}

/** Reads the whole history of a run and reports each promise with its violations. */
export async function checkHistory(input: HistoryInput): Promise<PromiseReport[]> {
  const { tg, owners } = input;
  const [data, actions] = await Promise.all([loadHistory(input.pool), loadActionHistory(input.pool, input.upstreamEffects)]);
  const calls = input.tg.calls();
  const isOwner = (u: number | null): boolean => u !== null && owners.includes(u);
  const p1 = checkStored(tg, data.inbox, data.nextOffset);
  const delivery = matchDeliveries(calls, data.outbox);
  const p2 = checkReplies(data.inbox, data.outbox, delivery, isOwner);
  const p3 = checkCallbacks(data.inbox, tg.callbackAnswers());
  const p7 = checkOverload(data.inbox, data.outbox, delivery.delivered, input.overloadWindowSec ?? 60);
  const p8 = checkStrangers(data.inbox, data.outbox, data.audits, calls, isOwner, input);
  const p9 = checkSecrets(input, data, calls);
  const anyAction =
    actions !== null && (actions.actions.length > 0 || actions.presses.length > 0 || actions.unknownTokenUpdates.length > 0);
  const row = (promise: number, name: string, t: Tally): PromiseReport => ({
    promise,
    name,
    status: "checked",
    violations: t.violations,
    examples: t.examples,
  });
  const na = (promise: number, name: string, status: PromiseReport["status"], why: string): PromiseReport => ({
    promise,
    name,
    status,
    violations: 0,
    examples: [why],
  });
  return [
    row(1, "no update is lost", p1),
    row(2, "every owner message answered, none twice", p2),
    row(3, "every callback answered", p3),
    anyAction
      ? row(4, "an action commits at most once", checkOnce(actions, tg.callbackAnswers()))
      : na(4, "an action commits at most once", "not applicable", "no action in this run"),
    anyAction
      ? row(5, "bad confirm tokens commit nothing", checkBadConfirms(actions, tg.callbackAnswers()))
      : na(5, "bad confirm tokens commit nothing", "not applicable", "no action in this run"),
    na(6, "stalled upstreams do not block", "checked elsewhere", "latency: outages.e2e.test.ts"),
    row(7, "overload is told, not dropped", p7),
    row(8, "strangers get nothing", p8),
    row(9, "no secret leaks", p9),
    na(10, "hostile input", "checked elsewhere", "fuzz tests"),
  ];
}

function checkStored(tg: TelegramRecord, inbox: InboxRow[], nextOffset: number): Tally {
  const t = new Tally();
  const stored = new Map<number, number>();
  for (const r of inbox) stored.set(r.update_id, (stored.get(r.update_id) ?? 0) + 1);
  for (const [id, n] of stored) if (n > 1) t.add(`update ${id} stored ${n} times`);
  for (const id of tg.offeredUpdateIds()) {
    if (stored.has(id)) continue;
    t.add(
      id < nextOffset
        ? `update ${id} offered, not stored, and the stored offset ${nextOffset} is past it`
        : `update ${id} offered, not stored`,
    );
  }
  // Telegram forgets everything below the offset it was last given.
  if (tg.confirmedOffset() > nextOffset) t.add(`Telegram was confirmed offset ${tg.confirmedOffset()}, the stored offset is ${nextOffset}`);
  const pending = tg.pendingCount();
  if (pending > 0) t.add(`${pending} updates still waiting at the fake, never fetched`, pending);
  return t;
}

function checkReplies(inbox: InboxRow[], outbox: OutboxRow[], d: Delivery, isOwner: (u: number | null) => boolean): Tally {
  const t = new Tally();
  const replied = new Set<number>();
  const ownerRows = new Set(inbox.filter((r) => isOwner(r.user_id)).map((r) => r.id));
  for (const r of outbox) {
    const id = inboxIdOf(r.cause);
    if (id !== undefined && SEND_METHODS.has(r.method) && d.delivered.has(r.id)) replied.add(id);
  }
  for (const r of inbox) {
    if (!isOwner(r.user_id) || (r.kind !== "text" && r.kind !== "command" && r.kind !== "voice") || r.status === "rejected") continue;
    // A voice is finished only by its last visit, which always answers (the transcript, or why not).
    if (r.kind === "voice" && r.status !== "done" && r.status !== "dead")
      t.add(`voice update ${r.update_id} (inbox ${r.id}) still ${r.status}`);
    else if (!replied.has(r.id))
      t.add(`update ${r.update_id} (inbox ${r.id}, ${r.status}) got no delivered reply caused by ${causeOf(r.id)}`);
  }
  for (const m of [...d.duplicates, ...d.missing, ...d.unmatched]) t.add(m);
  // A reply given up on is a lost message, even when another part of the answer arrived.
  for (const o of outbox) {
    const id = inboxIdOf(o.cause);
    if (o.status === "dead" && id !== undefined && ownerRows.has(id)) t.add(`outbox ${o.id} (${o.cause}, ${o.method}) given up as dead`);
  }
  return t;
}

function checkCallbacks(inbox: InboxRow[], answers: CallbackAnswer[]): Tally {
  const t = new Tally();
  const count = new Map<string, number>();
  for (const a of answers) count.set(a.callback_query_id, (count.get(a.callback_query_id) ?? 0) + 1);
  for (const r of inbox) {
    if (r.cb === null) continue;
    const n = count.get(r.cb) ?? 0;
    if (n !== 1) t.add(`callback ${r.cb} (update ${r.update_id}, inbox ${r.status}) answered ${n} times`);
  }
  return t;
}

function checkOverload(inbox: InboxRow[], outbox: OutboxRow[], delivered: Set<number>, windowSec: number): Tally {
  const t = new Tally();
  const notices = new Map(outbox.filter((r) => r.cause.startsWith("overload:")).map((r) => [r.cause, r]));
  const due = new Set<string>();
  for (const r of inbox) {
    // The notice's window is computed from the same now() the row's received_at took.
    if (r.status === "rejected" && r.chat_id !== 0) due.add(`overload:${r.chat_id}:${Math.floor(r.at / 1000 / windowSec)}`);
  }
  for (const cause of due) {
    const n = notices.get(cause);
    if (!n) t.add(`rejected updates in ${cause} but no notice row`);
    else if (!delivered.has(n.id)) t.add(`notice ${cause} (outbox ${n.id}) is ${n.status}, not delivered`);
  }
  return t;
}

function checkStrangers(
  inbox: InboxRow[],
  outbox: OutboxRow[],
  audits: AuditRow[],
  calls: CallRecord[],
  isOwner: (u: number | null) => boolean,
  input: HistoryInput,
): Tally {
  const t = new Tally();
  const allowed = input.denyNotice === true ? 1 : 0;
  const strangerRows = new Map(inbox.filter((r) => !isOwner(r.user_id)).map((r) => [r.id, r]));
  const repliesPerUser = new Map<string, number>();
  for (const o of outbox) {
    const id = inboxIdOf(o.cause);
    const row = id === undefined ? undefined : strangerRows.get(id);
    if (!row || !SEND_METHODS.has(o.method)) continue;
    const who = String(row.user_id);
    const n = (repliesPerUser.get(who) ?? 0) + 1;
    repliesPerUser.set(who, n);
    if (n > allowed) t.add(`stranger ${who} got reply outbox ${o.id} (${o.method}) to update ${row.update_id}`);
  }
  // What Telegram saw, whatever wrote it: chats only strangers write in get at most the notice.
  const strangerChats = new Set([...strangerRows.values()].map((r) => r.chat_id).filter((c) => !isOwner(c)));
  const overloadTexts = new Set(outbox.filter((o) => o.cause.startsWith("overload:")).map((o) => String(o.payload.text)));
  const perChat = new Map<number, number>();
  for (const c of calls) {
    const chat = Number(c.params.chat_id);
    if (!c.ok || !SEND_METHODS.has(c.method) || !strangerChats.has(chat) || overloadTexts.has(String(c.params.text))) continue;
    const n = (perChat.get(chat) ?? 0) + 1;
    perChat.set(chat, n);
    if (n > allowed) t.add(`call #${c.seq} ${c.method} wrote to stranger chat ${chat}`);
  }
  const windowMs = (input.auditWindowSec ?? 60) * 1000;
  const last = new Map<string, number>();
  for (const a of audits) {
    const key = `${a.user_id ?? "?"}/${a.update_kind ?? "?"}`;
    const prev = last.get(key);
    if (prev !== undefined && a.at - prev < windowMs - AUDIT_SLACK_MS)
      t.add(`access_denied for ${key} twice within ${Math.round(a.at - prev)} ms`);
    last.set(key, a.at);
  }
  return t;
}

function checkSecrets(input: HistoryInput, data: StoredHistory, calls: CallRecord[]): Tally {
  const t = new Tally();
  const secrets = secretVariants(input.secrets ?? []);
  const scan = (where: string, text: string): void => {
    for (const s of secrets) if (text.includes(s)) t.add(`${where}: ${redact(text, s)}`);
  };
  for (const line of (input.logs ?? "").split("\n")) if (line) scan("log", line);
  for (const o of data.outbox) scan(`outbox ${o.id}`, o.text);
  for (const e of data.inboxErrors) scan("inbox last_error", e.text);
  for (const a of data.audits) scan("audit", a.text);
  for (const c of calls)
    if (SEND_METHODS.has(c.method) || c.method === "answerCallbackQuery") scan(`call #${c.seq} ${c.method}`, canonical(c.params));
  return t;
}

/** checkHistory over a test world: its fake, its database, all its services' logs and its bot token. */
export function checkWorld(
  w: { t: { pool: pg.Pool; env: () => Record<string, string> }; tg: TelegramRecord; stack: { logs: () => string } },
  o: Omit<HistoryInput, "tg" | "pool" | "logs"> = { owners: [] },
): Promise<PromiseReport[]> {
  const token = w.t.env().BOT_TOKEN ?? "";
  return checkHistory({ ...o, tg: w.tg, pool: w.t.pool, logs: w.stack.logs(), secrets: [token, ...(o.secrets ?? [])] });
}

/** The verdict as a table, for a failing test's message. */
export function formatHistory(report: PromiseReport[]): string {
  const lines = report.map((r) => {
    const v = r.status === "checked" ? String(r.violations) : r.status;
    return `${String(r.promise).padStart(2)} | ${r.name.padEnd(42)} | ${v.padStart(17)} | ${r.examples[0] ?? ""}`;
  });
  return [" # | promise                                    |        violations | first example", ...lines].join("\n");
}

/** The checked promises among `which` that have violations (empty when the run passes). */
export function violated(report: PromiseReport[], which: readonly number[]): PromiseReport[] {
  return report.filter((r) => which.includes(r.promise) && r.status === "checked" && r.violations > 0);
}
