import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ownerChat, startDemoWorld } from "@ownerbot/testkit/owner-chat";
import { isReplyTo, sleep, waitForCalls } from "@ownerbot/testkit/wait";
import { OWNER, type World } from "@ownerbot/testkit/world";
import type { CallRecord } from "@ownerbot/testkit/fake-telegram";

// The advisor from its panel and by phrase, and the MOCK planner (the demo's default) on the demo shop.

const COOLDOWN_SEC = 2;

let w: World;
beforeAll(async () => {
  w = await startDemoWorld({
    env: { LLM_PROVIDER: "MOCK", MANAGER_CHAT_IDS: "5001", ADVICE_BRIEF_COOLDOWN_SEC: String(COOLDOWN_SEC) },
  });
});
afterAll(async () => {
  await w?.close();
});

const text = (c: CallRecord): string => (typeof c.params.text === "string" ? c.params.text : "");
const count = async (sql: string): Promise<number> => (await w.t.pool.query<{ n: number }>(sql)).rows[0]!.n;
/** Until every reply written so far has gone out (a brief is several messages). */
async function allSent(): Promise<void> {
  for (let i = 0; i < 200 && (await count("SELECT count(*)::int AS n FROM outbox WHERE sent_at IS NULL")) > 0; i++) await sleep(50);
}

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

  it("keeps the brief: asked again it is shown from the kept one, a refresh within the cooldown says when, after it the reports run again", async () => {
    const chat = ownerChat(w.tg);
    const audits = (type: string): Promise<number> =>
      count(`SELECT count(*)::int AS n FROM audit_events WHERE event_type = '${type}' AND payload->>'topic' = 'PRICING_STRATEGY'`);
    const panel = await chat.ask("советник");
    const playbook = await chat.tap(panel, /Цены/, "editMessageText");
    const first = await chat.tap(playbook, /На основе наших данных/);
    await allSent();
    expect(first.text).toMatch(/на основе наших данных/);
    expect(first.text).not.toMatch(/♻️/);
    expect(await audits("advice_brief_built")).toBe(1);

    const again = await chat.tap(playbook, /На основе наших данных/);
    await allSent();
    expect(again.text).toMatch(/\n♻️ Сводка собрана \d+ [а-я]+, \d\d:\d\d, отчёты заново не запускались\.$/);
    expect(await audits("advice_brief_kept")).toBe(1);

    const early = await chat.tap(first, /Обновить сводку/);
    await allSent();
    expect(early.text).toMatch(/Обновить можно через \d+ с\.$/);
    expect(await audits("advice_brief_built")).toBe(1);

    await sleep(COOLDOWN_SEC * 1000 + 300);
    const fresh = await chat.tap(first, /Обновить сводку/);
    await allSent();
    expect(fresh.text).toMatch(/на основе наших данных/);
    expect(fresh.text).not.toMatch(/♻️/);
    expect(await audits("advice_brief_built")).toBe(2);
    expect(await audits("advice_brief_kept")).toBe(2);
  });

  it("by phrase: a question on a topic with «на основе наших данных» gets the playbook and the brief", async () => {
    const since = w.tg.lastSeq();
    w.tg.pushText(OWNER, "как поднять рост на основе наших данных?");
    const calls = await waitForCalls(w.tg, isReplyTo(OWNER), 3, { since, timeoutMs: 20_000 });
    expect(text(calls[0]!)).toMatch(/План роста/);
    expect(text(calls[1]!)).toMatch(/на основе наших данных/);
  });
});
