import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeTelegram } from "@ownerbot/testkit/fake-telegram";
import type { TestEnv } from "@ownerbot/testkit/harness";
import { OWNER, type World } from "@ownerbot/testkit/world";
import { isReplyTo, waitForCalls } from "@ownerbot/testkit/wait";
import { formatDateTime } from "@ownerbot/domain/format";
import { buttonData, ownerChat, startDemoWorld, type OwnerChat } from "@ownerbot/testkit/owner-chat";

// The owner's everyday paths through the real pipeline: text questions, buttons, templates.

let t: TestEnv;
let tg: FakeTelegram;

let world: World;
let chat: OwnerChat;
beforeAll(async () => {
  world = await startDemoWorld();
  ({ t, tg } = world);
  chat = ownerChat(tg);
});
afterAll(async () => world?.close());

type Markup = { inline_keyboard: { text: string; callback_data?: string }[][] };

describe("owner flows", () => {
  it("answers a revenue question in Russian with the shop's money and period (the last seven full days)", async () => {
    const { rows } = await t.pool.query<{ gross: number }>(
      "SELECT sum(revenue_gross)::float AS gross FROM demo_kpi_daily WHERE day > date '2026-11-22' - 7 AND day <= date '2026-11-22'",
    );
    const expected = Math.round(rows[0]!.gross);
    const r = await chat.ask("выручка за неделю");
    expect(r.text).toContain("₽");
    const digits = r.text.replace(/[\s\u00a0\u202f]/g, "");
    expect(digits).toContain(String(expected));
    // The provenance line under every numeric answer: badge, source, the same seven days, and when
    // the numbers were read (as_of), on the shop's zone.
    const line = r.text.split("\n").at(-1)!;
    expect(line).toMatch(
      /^🧭 Качество: high \| 📌 демо-данные · KPI по дням \| 🗓 16\.11–22\.11\.2026 \(Europe\/Moscow\) \| ⏱ на .+, \d\d:\d\d$/u,
    );
    expect(line).toContain(`⏱ на ${formatDateTime(new Date(), "Europe/Moscow").split(",")[0]!}`);
  });

  it("reads «как дела» on the shop's clock and compares today so far with the same hours of yesterday", async () => {
    // The demo shop's today is 23.11 (until 18:00), whatever the server's date is.
    const r = await chat.ask("как дела");
    expect(r.text).toContain("📊 KPI за 23.11.2026 (пн)");
    expect(r.text).toContain("▲▼ — к предыдущему дню, 22.11 (вс) до 18:00.");
    expect(r.text).not.toContain("-100");
  });

  it("shows an order by its number", async () => {
    const r = await chat.ask("что с заказом 1001");
    expect(r.text).toContain("OB-1001");
  });

  it("reports the bot's own health and the exchange rates", async () => {
    const health = await chat.ask("/health");
    expect(health.text).toMatch(/База/);
    expect(health.text).not.toMatch(/Сведения о системе недоступны/);
    const fx = await chat.ask("какой сейчас курс");
    expect(fx.text).toMatch(/USD/);
  });

  it("gives a hint with buttons instead of silence for gibberish", async () => {
    const r = await chat.ask("фываолдж");
    expect((r.params.reply_markup as Markup | undefined)?.inline_keyboard.length ?? 0).toBeGreaterThan(0);
  });

  it("navigates the home panel by editing the same message", async () => {
    const home = await chat.ask("/start");
    const messageId = (home.result as { message_id: number }).message_id;
    const since = tg.lastSeq();
    tg.pushCallback(OWNER, buttonData(home.params, /Отчёты/), { messageId });
    const [edit] = await waitForCalls(tg, (c) => c.ok && c.method === "editMessageText", 1, { since });
    expect(edit!.params.message_id).toBe(messageId);
    await waitForCalls(tg, (c) => c.method === "answerCallbackQuery", 1, { since });
  });

  it("a result carries its next steps and a way home; its buttons open new messages below it", async () => {
    const result = await chat.ask("выручка за неделю");
    const labels = ((result.params.reply_markup as Markup | undefined)?.inline_keyboard ?? []).flat().map((b) => b.text);
    expect(labels).toContain("🏠 Домой");
    expect(labels).toContain("30 дней");
    const home = await chat.tap(result, /Домой/);
    expect(home.text).toContain("🏠 OwnerBot");
    // The result stays where it was; the menu came as a new message at the bottom.
    const resultId = (result.result as { message_id: number }).message_id;
    expect((home.result as { message_id: number }).message_id).toBeGreaterThan(resultId);
    expect(tg.messages(OWNER).find((m) => m.message_id === resultId)?.text).toBe(result.text);
    // Within the menu, navigation edits the menu itself.
    const reports = await chat.tap(home, /Отчёты/, "editMessageText");
    expect(reports.params.message_id).toBe((home.result as { message_id: number }).message_id);
  });

  it("runs a template that asks for input, and a command still works while it waits", async () => {
    const home = await chat.ask("/start");
    const messageId = (home.result as { message_id: number }).message_id;
    let since = tg.lastSeq();
    tg.pushCallback(OWNER, buttonData(home.params, /Заказы/), { messageId });
    const [ordersPanel] = await waitForCalls(tg, (c) => c.ok && c.method === "editMessageText", 1, { since });
    since = tg.lastSeq();
    tg.pushCallback(OWNER, buttonData(ordersPanel!.params, /По номеру/), { messageId });
    const [prompt] = await waitForCalls(tg, isReplyTo(OWNER), 1, { since });
    expect(String(prompt!.params.text)).toContain("Номер заказа");
    // While the template waits, a command is a command, not the answer.
    const help = await chat.ask("/help");
    expect(help.text.startsWith("❓")).toBe(true);
    const bad = await chat.ask("абв");
    expect(bad.text).toContain("Не понял номер заказа «абв»");
    const detail = await chat.ask("1002");
    expect(detail.text).toContain("OB-1002");
  });
});
