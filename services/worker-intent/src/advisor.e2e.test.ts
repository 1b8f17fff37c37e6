import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ownerChat, startDemoWorld } from "@ownerbot/testkit/owner-chat";
import { isReplyTo, waitForCalls } from "@ownerbot/testkit/wait";
import { OWNER, type World } from "@ownerbot/testkit/world";
import type { CallRecord } from "@ownerbot/testkit/fake-telegram";

// The advisor from its panel and by phrase, and the MOCK planner (the demo's default) on the demo shop.

let w: World;
beforeAll(async () => {
  w = await startDemoWorld({ env: { LLM_PROVIDER: "MOCK", MANAGER_CHAT_IDS: "5001" } });
});
afterAll(async () => {
  await w?.close();
});

const text = (c: CallRecord): string => (typeof c.params.text === "string" ? c.params.text : "");
const count = async (sql: string): Promise<number> => (await w.t.pool.query<{ n: number }>(sql)).rows[0]!.n;

describe("advisor and MOCK planner", () => {
  it("MOCK: a text the rules miss is planned into a read tool", async () => {
    const since = w.tg.lastSeq();
    w.tg.pushText(OWNER, "покажи хиты");
    const [status, answer] = await waitForCalls(w.tg, isReplyTo(OWNER), 2, { since, timeoutMs: 20_000 });
    expect(text(status!)).toBe("🤔 Думаю…");
    expect(text(answer!)).toMatch(/Лучшие товары/);
  });

  it("a playbook, the data brief from read tools, «проверить данными», and «предложить действие» as a preview only", async () => {
    const chat = ownerChat(w.tg);
    const panel = await chat.ask("советник");
    expect(panel.text).toMatch(/Советник/);
    const playbook = await chat.tap(panel, /Акции/, "editMessageText");
    expect(playbook.text).toMatch(/^🧭 Качество: гипотеза/);
    expect(playbook.text).toMatch(/Гипотезы:[\s\S]*Риски:[\s\S]*Что проверить:/);

    const since = w.tg.lastSeq();
    await chat.tap(playbook, /На основе наших данных/);
    const brief = await waitForCalls(w.tg, (c) => isReplyTo(OWNER)(c) && c.method === "sendMessage", 5, { since, timeoutMs: 20_000 });
    expect(text(brief[0]!)).toMatch(/на основе наших данных/);
    expect(await count("SELECT count(*)::int AS n FROM audit_events WHERE event_type = 'advice_brief_built'")).toBe(1);

    const before = await count("SELECT count(*)::int AS n FROM actions");
    const preview = await chat.tap(playbook, /Купон/);
    expect(preview.text).toMatch(/Предложение советника/);
    expect(await count("SELECT count(*)::int AS n FROM actions WHERE status = 'previewed'")).toBe(before + 1);
    expect(await count("SELECT count(*)::int AS n FROM actions WHERE status = 'committed'")).toBe(0);
  });

  it("by phrase: a question on a topic with «на основе наших данных» gets the playbook and the brief", async () => {
    const since = w.tg.lastSeq();
    w.tg.pushText(OWNER, "как поднять рост на основе наших данных?");
    const calls = await waitForCalls(w.tg, isReplyTo(OWNER), 3, { since, timeoutMs: 20_000 });
    expect(text(calls[0]!)).toMatch(/План роста/);
    expect(text(calls[1]!)).toMatch(/на основе наших данных/);
  });
});
