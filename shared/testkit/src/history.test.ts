import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { CallbackAnswer, CallRecord } from "./fake-telegram/index.ts";
import { createTestEnv, type TestEnv } from "./harness.ts";
import { checkHistory, formatHistory, violated, type PromiseReport, type TelegramRecord } from "./history.ts";

// The checker on hand-made histories: a clean one passes, and each planted fault is counted once
// under the promise it breaks.

const OWNER = 1001;
const STRANGER = 2002;
const TOKEN = "123456:TEST-secret-token-value";

let t: TestEnv;
beforeAll(async () => {
  t = await createTestEnv();
});
afterAll(async () => t?.close());
beforeEach(async () => {
  await t.pool.query("TRUNCATE inbox, outbox, audit_events, ingress_state RESTART IDENTITY");
});

type Hand = { offered: number[]; confirmed: number; pending: number; calls: CallRecord[]; answers: CallbackAnswer[] };
const record = (h: Hand): TelegramRecord => ({
  offeredUpdateIds: () => h.offered,
  confirmedOffset: () => h.confirmed,
  pendingCount: () => h.pending,
  calls: () => h.calls,
  callbackAnswers: () => h.answers,
});
let seq = 0;
const call = (method: string, params: Record<string, unknown>, ok = true): CallRecord => ({
  seq: ++seq,
  method,
  params,
  ok,
  at: Date.now(),
});

async function inbox(updateId: number, userId: number, kind: string, status = "done", payload: object = {}): Promise<number> {
  const { rows } = await t.pool.query<{ id: number }>(
    `INSERT INTO inbox (bot_id, update_id, chat_id, user_id, kind, payload, status) VALUES (1, $1, $2, $2, $3, $4, $5) RETURNING id::int`,
    [updateId, userId, kind, JSON.stringify(payload), status],
  );
  return rows[0]!.id;
}
async function outbox(cause: string, seq: number, chatId: number, method: string, payload: object, status = "sent"): Promise<void> {
  await t.pool.query(`INSERT INTO outbox (cause, seq, chat_id, method, payload, status) VALUES ($1, $2, $3, $4, $5, $6)`, [
    cause,
    seq,
    chatId,
    method,
    JSON.stringify(payload),
    status,
  ]);
}
const offset = (n: number) => t.pool.query(`INSERT INTO ingress_state (bot_id, next_offset) VALUES (1, $1)`, [n]);
const byPromise = (r: PromiseReport[]): Record<number, number> => Object.fromEntries(r.map((x) => [x.promise, x.violations]));

/** Two owner texts answered, one owner callback answered, one stranger ignored and audited. */
async function cleanRun(): Promise<Hand> {
  const a = await inbox(10, OWNER, "text");
  const b = await inbox(11, OWNER, "command");
  const c = await inbox(12, OWNER, "callback", "done", { callback_query: { id: "cb1" } });
  await inbox(13, STRANGER, "text");
  await offset(14);
  await t.pool.query(`INSERT INTO audit_events (event_type, payload) VALUES ('access_denied', '{"user_id": 2002, "update_kind": "text"}')`);
  // jsonb reorders keys; the checker must not care.
  await outbox(`upd:${a}`, 0, OWNER, "sendMessage", { text: "Выручка", chat_id: OWNER });
  await outbox(`upd:${b}`, 0, OWNER, "sendMessage", { text: "Выручка", chat_id: OWNER });
  await outbox(`upd:${c}`, 0, OWNER, "answerCallbackQuery", { callback_query_id: "cb1" });
  await outbox(`upd:${c}`, 1, OWNER, "editMessageText", { chat_id: OWNER, message_id: 5, text: "Неделя" });
  return {
    offered: [10, 11, 12, 13],
    confirmed: 14,
    pending: 0,
    calls: [
      call("getUpdates", { offset: 10 }),
      call("sendMessage", { chat_id: OWNER, text: "Выручка" }),
      call("sendMessage", { chat_id: OWNER, text: "Выручка" }, false),
      call("sendMessage", { chat_id: OWNER, text: "Выручка" }),
      call("answerCallbackQuery", { callback_query_id: "cb1" }),
      // The edit could not apply, so it went out as a new message.
      call("sendMessage", { chat_id: OWNER, text: "Неделя" }),
    ],
    answers: [{ callback_query_id: "cb1", at: Date.now() }],
  };
}

describe("checkHistory", () => {
  it("passes a clean run and marks the promises without actions as not applicable", async () => {
    const h = await cleanRun();
    const report = await checkHistory({ tg: record(h), pool: t.pool, owners: [OWNER], logs: "ok\n", secrets: [TOKEN] });
    expect(violated(report, [1, 2, 3, 7, 8, 9]), formatHistory(report)).toEqual([]);
    expect(report.filter((r) => r.status === "not applicable").map((r) => r.promise)).toEqual([4, 5]);
    expect(formatHistory(report)).toMatch(/^ 4 \| .* \| +not applicable \| no action in this run$/m);
  });

  it("counts a lost update, an offset ahead of storage and updates never fetched", async () => {
    const h = await cleanRun();
    h.offered.push(9);
    h.confirmed = 20;
    h.pending = 3;
    const r = byPromise(await checkHistory({ tg: record(h), pool: t.pool, owners: [OWNER] }));
    // update 9 missing (1) + confirmed 20 > stored 14 (1) + 3 pending
    expect(r[1]).toBe(5);
    expect(r[2]).toBe(0);
  });

  it("counts an unanswered owner message, a duplicate delivery and a row marked sent that never left", async () => {
    const h = await cleanRun();
    const d = await inbox(14, OWNER, "text");
    await outbox(`upd:${d}`, 0, OWNER, "sendMessage", { chat_id: OWNER, text: "Заказы" }, "pending");
    await inbox(15, OWNER, "text");
    const f = await inbox(16, OWNER, "text");
    await outbox(`upd:${f}`, 0, OWNER, "sendMessage", { chat_id: OWNER, text: "Склад" });
    const g = await inbox(17, OWNER, "text");
    await outbox(`upd:${g}`, 0, OWNER, "sendMessage", { chat_id: OWNER, text: "Первая часть" });
    await outbox(`upd:${g}`, 1, OWNER, "sendMessage", { chat_id: OWNER, text: "Вторая часть" }, "dead");
    h.offered.push(14, 15, 16, 17);
    h.calls.push(call("sendMessage", { chat_id: OWNER, text: "Первая часть" }));
    h.calls.push(call("sendMessage", { chat_id: OWNER, text: "Выручка" }));
    const report = await checkHistory({ tg: record(h), pool: t.pool, owners: [OWNER] });
    // 14 pending, 15 no row, 16 sent without a call (also unanswered), one extra «Выручка», 17's dead second part
    expect(byPromise(report)[2]).toBe(6);
    expect(report.find((x) => x.promise === 2)?.examples.join("\n")).toMatch(/delivered a reply a second time/);
  });

  it("matches an upload whose multiline caption reached Telegram with CRLF line breaks, as multipart sends it", async () => {
    const h = await cleanRun();
    const id = await inbox(18, OWNER, "text");
    await outbox(`upd:${id}`, 0, OWNER, "sendMessage", { chat_id: OWNER, text: "Выручка за 14 дн." });
    await outbox(`rep:1`, 0, OWNER, "sendPhoto", { chat_id: OWNER, caption: "Выручка\nОплачено: 3", file: { filename: "a.png" } });
    await outbox(`rep:2`, 0, OWNER, "sendPhoto", { chat_id: OWNER, caption: "Выручка\nОплачено: 4", file: { filename: "b.png" } });
    h.offered.push(18);
    h.calls.push(
      call("sendMessage", { chat_id: OWNER, text: "Выручка за 14 дн." }),
      call("sendPhoto", { chat_id: String(OWNER), caption: "Выручка\r\nОплачено: 3" }),
      // Another caption than rep:2's: that row still never reached Telegram.
      call("sendPhoto", { chat_id: String(OWNER), caption: "Выручка\r\nОплачено: 5" }),
    );
    const report = await checkHistory({ tg: record(h), pool: t.pool, owners: [OWNER] });
    const p2 = report.find((r) => r.promise === 2)!;
    // rep:2 marked sent without its call, and the call with caption 5 matches no row
    expect(p2.violations, p2.examples.join("\n")).toBe(2);
    expect(p2.examples.join("\n")).toMatch(/outbox \d+ \(rep:2\) marked sent/);
    expect(p2.examples.join("\n")).not.toMatch(/rep:1/);
  });

  it("counts an unanswered and a twice-answered callback", async () => {
    const h = await cleanRun();
    await inbox(20, OWNER, "callback", "done", { callback_query: { id: "cb2" } });
    await inbox(21, OWNER, "callback", "rejected", { callback_query: { id: "cb3" } });
    h.offered.push(20, 21);
    h.answers.push({ callback_query_id: "cb2", at: 1 }, { callback_query_id: "cb2", at: 2 });
    expect(byPromise(await checkHistory({ tg: record(h), pool: t.pool, owners: [OWNER] }))[3]).toBe(2);
  });

  it("wants one delivered overload notice per chat and window with rejected rows", async () => {
    const h = await cleanRun();
    await inbox(30, OWNER, "text", "rejected");
    await inbox(31, OWNER, "text", "rejected");
    h.offered.push(30, 31);
    const missing = await checkHistory({ tg: record(h), pool: t.pool, owners: [OWNER], overloadWindowSec: 3600 });
    expect(byPromise(missing)[7]).toBe(1);
    expect(byPromise(missing)[2]).toBe(0);
    const { rows } = await t.pool.query<{ w: number }>(
      `SELECT floor(extract(epoch FROM received_at) / 3600)::int AS w FROM inbox WHERE update_id = 30`,
    );
    const text = "Очередь перегружена, попробуй через минуту.";
    await outbox(`overload:${OWNER}:${rows[0]!.w}`, 0, OWNER, "sendMessage", { chat_id: OWNER, text });
    h.calls.push(call("sendMessage", { chat_id: OWNER, text }));
    const told = await checkHistory({ tg: record(h), pool: t.pool, owners: [OWNER], overloadWindowSec: 3600 });
    expect(violated(told, [1, 2, 3, 7]), formatHistory(told)).toEqual([]);
  });

  it("counts replies to strangers beyond the allowed notice and audits inside one window", async () => {
    const h = await cleanRun();
    const s = await inbox(40, STRANGER, "text");
    const s2 = await inbox(41, STRANGER, "text");
    h.offered.push(40, 41);
    await outbox(`upd:${s}`, 0, STRANGER, "sendMessage", { chat_id: STRANGER, text: "Нет доступа." });
    await outbox(`upd:${s2}`, 0, STRANGER, "sendMessage", { chat_id: STRANGER, text: "Нет доступа." });
    h.calls.push(
      call("sendMessage", { chat_id: STRANGER, text: "Нет доступа." }),
      call("sendMessage", { chat_id: STRANGER, text: "Нет доступа." }),
    );
    await t.pool.query(
      `INSERT INTO audit_events (event_type, payload) VALUES ('access_denied', '{"user_id": 2002, "update_kind": "text"}')`,
    );
    // With the notice enabled one reply and one call are allowed: one extra row, one extra call, one early audit.
    expect(byPromise(await checkHistory({ tg: record(h), pool: t.pool, owners: [OWNER], denyNotice: true }))[8]).toBe(3);
    // Without it every reply and call counts.
    expect(byPromise(await checkHistory({ tg: record(h), pool: t.pool, owners: [OWNER], auditWindowSec: 1 }))[8]).toBe(4);
  });

  it("finds a secret in logs, outbox payloads and replies without printing it", async () => {
    const h = await cleanRun();
    const id = await inbox(50, OWNER, "text");
    h.offered.push(50);
    const secretHalf = TOKEN.split(":")[1]!;
    await outbox(`upd:${id}`, 0, OWNER, "sendMessage", { chat_id: OWNER, text: `token ${secretHalf}` });
    h.calls.push(call("sendMessage", { chat_id: OWNER, text: `token ${secretHalf}` }));
    const logs = `{"msg":"fine"}\n{"msg":"GET /bot${TOKEN}/getMe failed"}\n`;
    const report = await checkHistory({ tg: record(h), pool: t.pool, owners: [OWNER], logs, secrets: [TOKEN, "sk-openai-key-1"] });
    const p9 = report.find((r) => r.promise === 9)!;
    // log line: token and its half (2), outbox row (1), the reply call (1)
    expect(p9.violations).toBe(4);
    expect(formatHistory(report)).not.toContain(secretHalf);
    expect(p9.examples.join("\n")).toContain("<SECRET>");
  });
});
