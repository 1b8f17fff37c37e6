import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestEnv, type TestEnv } from "@ownerbot/testkit/harness";
import { claimChat, insertBatchAndAdvance, readOffset } from "./inbox.queries.ts";
import { INBOX, releaseRows } from "./leased.queries.ts";
import { finishIntent } from "./outbox.queries.ts";

let t: TestEnv;
beforeAll(async () => {
  t = await createTestEnv();
});
afterAll(async () => t.close());

const LIMITS = { windowSec: 60, text: "busy" };
const upd = (updateId: number, chatId: number) => ({ updateId, chatId, userId: chatId, kind: "text", payload: { update_id: updateId } });

describe("inbox queries", () => {
  it("stores a redelivered batch once, and the offset it is about to confirm", async () => {
    const batch = [upd(10, 1), upd(11, 1), upd(12, 2)];
    const first = await insertBatchAndAdvance(t.pool, 1, batch, 13, LIMITS);
    const second = await insertBatchAndAdvance(t.pool, 1, batch, 13, LIMITS);
    expect(first.inserted.map((r) => r.status)).toEqual(["new", "new", "new"]);
    expect(second.inserted).toEqual([]);
    expect(await readOffset(t.pool, 1)).toBe(13);
  });

  it("stores an update whose id comes back with other content (a restarted count, Telegram's new random ids)", async () => {
    const old = { ...upd(60, 3), payload: { update_id: 60, message: { text: "раньше" } } };
    const reused = { ...upd(60, 3), payload: { update_id: 60, message: { text: "теперь" } } };
    expect((await insertBatchAndAdvance(t.pool, 1, [old], 61, LIMITS)).inserted).toHaveLength(1);
    // The same id and content again is a redelivery…
    expect((await insertBatchAndAdvance(t.pool, 1, [old], 61, LIMITS)).inserted).toEqual([]);
    // …the same id with other content is a new update, stored and answered.
    const again = await insertBatchAndAdvance(t.pool, 1, [reused], 61, LIMITS);
    expect(again.inserted.map((r) => r.status)).toEqual(["new"]);
    const { rows } = await t.pool.query("SELECT payload->'message'->>'text' AS text FROM inbox WHERE update_id = 60 ORDER BY id");
    expect(rows).toEqual([{ text: "раньше" }, { text: "теперь" }]);
    // A restarted count confirms lower offsets: the stored offset follows what was confirmed.
    await insertBatchAndAdvance(t.pool, 1, [upd(1, 3)], 2, LIMITS);
    expect(await readOffset(t.pool, 1)).toBe(2);
  });

  it("lets only one claimer hold a chat, in order, and hands the rest over after finishing", async () => {
    await insertBatchAndAdvance(t.pool, 1, [upd(20, 7), upd(21, 7), upd(22, 7)], 23, LIMITS);
    const [a, b] = await Promise.all([claimChat(t.pool, 7, "w:a", 30, 2), claimChat(t.pool, 7, "w:b", 30, 2)]);
    const winner = a.length > 0 ? a : b;
    const loser = a.length > 0 ? b : a;
    expect(loser).toEqual([]);
    expect(winner.map((r) => r.updateId)).toEqual([20, 21]);
    expect(await claimChat(t.pool, 7, "w:c", 30, 10)).toEqual([]); // chat busy
    const claimer = a.length > 0 ? "w:a" : "w:b";
    const fin = await finishIntent(t.pool, {
      claimer,
      doneIds: winner.map((r) => r.id),
      deadIds: [],
      outbox: winner.map((r) => ({ cause: `upd:${r.id}`, seq: 0, chatId: 7, method: "sendMessage", payload: { chat_id: 7, text: "ok" } })),
      tokens: [],
      audits: [],
    });
    expect(fin.fenced).toBe(true);
    expect(fin.outbox).toHaveLength(2);
    expect((await claimChat(t.pool, 7, "w:c", 30, 10)).map((r) => r.updateId)).toEqual([22]);
  });

  it("finishing twice has one effect, and a worker whose lease was taken over is fenced out", async () => {
    await insertBatchAndAdvance(t.pool, 1, [upd(30, 8)], 31, LIMITS);
    const [row] = await claimChat(t.pool, 8, "w:old", 1, 10);
    await t.pool.query("UPDATE inbox SET lease_until = now() - interval '1 second' WHERE id = $1", [row!.id]);
    const [again] = await claimChat(t.pool, 8, "w:new", 30, 10);
    expect(again?.id).toBe(row!.id);
    expect(again?.attempts).toBe(2);
    const outcome = (claimer: string) => ({
      claimer,
      doneIds: [row!.id],
      deadIds: [],
      outbox: [{ cause: `upd:${row!.id}`, seq: 0, chatId: 8, method: "sendMessage", payload: { chat_id: 8, text: claimer } }],
      tokens: [],
      audits: [{ type: "test" }],
    });
    expect((await finishIntent(t.pool, outcome("w:old"))).fenced).toBe(false);
    expect((await finishIntent(t.pool, outcome("w:new"))).fenced).toBe(true);
    expect((await finishIntent(t.pool, outcome("w:new"))).fenced).toBe(false);
    const { rows } = await t.pool.query("SELECT payload->>'text' AS text FROM outbox WHERE cause = $1", [`upd:${row!.id}`]);
    expect(rows).toEqual([{ text: "w:new" }]);
    const { rows: audits } = await t.pool.query("SELECT 1 FROM audit_events WHERE event_type = 'test'");
    expect(audits).toHaveLength(1);
  });

  it("charges a released batch's attempt only to the row that failed", async () => {
    await insertBatchAndAdvance(t.pool, 1, [upd(50, 11), upd(51, 11), upd(52, 11)], 53, LIMITS);
    for (let round = 0; round < 3; round++) {
      const claimed = await claimChat(t.pool, 11, `w:${round}`, 30, 10);
      expect(claimed.map((r) => r.attempts)).toEqual([round + 1, 1, 1]);
      const [head, ...rest] = claimed.map((r) => r.id);
      await releaseRows(t.pool, INBOX, [head!], `w:${round}`, { error: "handler failed" });
      await releaseRows(t.pool, INBOX, rest, `w:${round}`, { error: "waiting", untried: true });
    }
    const { rows } = await t.pool.query<{ update_id: string; attempts: number; status: string }>(
      "SELECT update_id::text, attempts, status FROM inbox WHERE chat_id = 11 ORDER BY id",
    );
    expect(rows).toEqual([
      { update_id: "50", attempts: 3, status: "new" },
      { update_id: "51", attempts: 0, status: "new" },
      { update_id: "52", attempts: 0, status: "new" },
    ]);
  });

  it("answers a callback query turned away by backpressure, once however often it is redelivered", async () => {
    const press = { update_id: 40, callback_query: { id: "cb-40", from: { id: 9 }, data: "x" } };
    const rows = [
      { ...upd(40, 9), kind: "callback", payload: press, rejected: true },
      { ...upd(41, 9), rejected: true },
    ];
    const first = await insertBatchAndAdvance(t.pool, 1, rows, 42, LIMITS);
    await insertBatchAndAdvance(t.pool, 1, rows, 42, LIMITS);
    const { rows: answers } = await t.pool.query<{ cause: string; payload: unknown }>(
      "SELECT cause, payload FROM outbox WHERE method = 'answerCallbackQuery' AND chat_id = 9",
    );
    const id = first.inserted.find((r) => r.kind === "callback")?.id;
    expect(answers).toEqual([{ cause: `upd:${id}`, payload: { callback_query_id: "cb-40", text: "busy" } }]);
  });
});
