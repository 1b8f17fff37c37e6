import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeTelegram } from "@ownerbot/testkit/fake-telegram";
import { OWNER, startWorld, type World } from "@ownerbot/testkit/world";
import { isReplyTo, waitForCalls } from "@ownerbot/testkit/wait";

let tg: FakeTelegram;

let world: World;
beforeAll(async () => {
  world = await startWorld({});
  ({ tg } = world);
});
afterAll(async () => world?.close());

const sentTo = (chatId: number) => (c: { method: string; params: Record<string, unknown>; ok: boolean }) =>
  c.ok && c.method === "sendMessage" && Number(c.params.chat_id) === chatId;

describe("the pipeline end to end", () => {
  it("answers /start with the runtime status", async () => {
    const since = tg.lastSeq();
    tg.pushText(OWNER, "/start");
    const call = await tg.waitForCall(sentTo(OWNER), 20_000, since);
    const text = String(call.params.text);
    expect(text).toContain("OwnerBot");
    expect(text).toMatch(/База ✅/);
    expect(text).toMatch(/Redis ✅/);
    expect(text).toContain("демо-данные");
    // The demo transcribes with the mock provider; the depths are Postgres' open rows.
    expect(text).toMatch(/Голос: демо-распознавание/);
    expect(text).toMatch(/Очереди: запросы 0 · ответы 0 · отчёты 0/);
  });

  it("/start counts the work waiting in Postgres (here a report no worker is drawing)", async () => {
    // This world runs no report worker, so the job stays pending.
    await world.t.pool.query(
      `INSERT INTO report_jobs (cause, chat_id, request) VALUES ('test:depth', $1, '{"format":"pdf","filename":"x.pdf","doc":{}}')`,
      [OWNER],
    );
    await new Promise((r) => setTimeout(r, 1100)); // the worker caches its status for a second
    const since = tg.lastSeq();
    tg.pushText(OWNER, "/start");
    const call = await tg.waitForCall(sentTo(OWNER), 20_000, since);
    expect(String(call.params.text)).toMatch(/Очереди: запросы 0 · ответы 0 · отчёты 1/);
  });

  it("keeps one chat's replies in the order of its messages", async () => {
    const since = tg.lastSeq();
    for (let i = 0; i < 5; i++) tg.pushText(OWNER, i % 2 === 0 ? "/help" : "/start");
    let seq = since;
    const sent: string[] = [];
    while (sent.length < 5) {
      const c = await tg.waitForCall(sentTo(OWNER), 20_000, seq);
      sent.push(String(c.params.text));
      seq = c.seq;
    }
    expect(sent.map((s) => (s.startsWith("❓") ? "help" : "start"))).toEqual(["help", "start", "help", "start", "help"]);
  });

  it("stores and answers hostile text: NUL characters, 10k characters, mixed scripts", async () => {
    const since = tg.lastSeq();
    tg.pushText(OWNER, "выручка\u0000за неделю");
    tg.pushText(OWNER, "ж".repeat(10_000));
    tg.pushText(OWNER, "‮\u200bзаказ 12\u0301 🙂");
    const replies = await waitForCalls(tg, isReplyTo(OWNER), 3, { since, timeoutMs: 20_000 });
    expect(replies).toHaveLength(3);
  });

  it("answers every callback query, even a forged one", async () => {
    const since = tg.lastSeq();
    tg.pushCallback(OWNER, "forged-data-that-is-no-token");
    const call = await tg.waitForCall((c) => c.method === "answerCallbackQuery", 20_000, since);
    expect(String(call.params.text)).toContain("Кнопка устарела");
  });
});
