import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeTelegram } from "@ownerbot/shared/testing/fake-telegram/index";
import type { TestEnv } from "@ownerbot/shared/testing/harness";
import { OWNER, startWorld, type World } from "@ownerbot/shared/testing/world";
import { isReplyTo, waitForCalls } from "@ownerbot/shared/testing/wait";
import { seedDemo } from "@ownerbot/shared/domain/demo/seed";

// The owner's everyday paths through the real pipeline: text questions, buttons, templates.

let t: TestEnv;
let tg: FakeTelegram;

let world: World;
beforeAll(async () => {
  world = await startWorld({}, async (env) => {
    await seedDemo(env.pool, { scale: 1000, seed: 5, anchorDay: "2026-11-23", timeZone: "Europe/Moscow", currency: "RUB" });
  });
  ({ t, tg } = world);
});
afterAll(async () => world?.close());

async function ask(text: string): Promise<{ text: string; params: Record<string, unknown>; result: unknown }> {
  const since = tg.lastSeq();
  tg.pushText(OWNER, text);
  const [c] = await waitForCalls(tg, isReplyTo(OWNER), 1, { since, timeoutMs: 20_000 });
  return { text: String(c!.params.text), params: c!.params, result: c!.result };
}

type Markup = { inline_keyboard: { text: string; callback_data?: string }[][] };
const buttonData = (params: Record<string, unknown>, label: RegExp): string => {
  const kb = (params.reply_markup as Markup | undefined)?.inline_keyboard.flat() ?? [];
  const b = kb.find((x) => label.test(x.text));
  if (!b?.callback_data) throw new Error(`no button ${label} among ${kb.map((x) => x.text).join(", ")}`);
  return b.callback_data;
};

describe("owner flows", () => {
  it("answers a revenue question in Russian with the shop's money and period", async () => {
    const { rows } = await t.pool.query<{ gross: number }>(
      "SELECT sum(revenue_gross)::float AS gross FROM demo_kpi_daily WHERE day > date '2026-11-23' - 7 AND day <= date '2026-11-23'",
    );
    const expected = Math.round(rows[0]!.gross);
    const r = await ask("выручка за неделю");
    expect(r.text).toContain("₽");
    const digits = r.text.replace(/[\s\u00a0\u202f]/g, "");
    expect(digits).toContain(String(expected));
  });

  it("shows an order by its number", async () => {
    const r = await ask("что с заказом 1001");
    expect(r.text).toContain("OB-1001");
  });

  it("reports the bot's own health and the exchange rates", async () => {
    const health = await ask("/health");
    expect(health.text).toMatch(/База/);
    expect(health.text).not.toMatch(/Сведения о системе недоступны/);
    const fx = await ask("какой сейчас курс");
    expect(fx.text).toMatch(/USD/);
  });

  it("gives a hint with buttons instead of silence for gibberish", async () => {
    const r = await ask("фываолдж");
    expect((r.params.reply_markup as Markup | undefined)?.inline_keyboard.length ?? 0).toBeGreaterThan(0);
  });

  it("navigates the home panel by editing the same message", async () => {
    const home = await ask("/start");
    const messageId = (home.result as { message_id: number }).message_id;
    const since = tg.lastSeq();
    tg.pushCallback(OWNER, buttonData(home.params, /Отчёты/), { messageId });
    const [edit] = await waitForCalls(tg, (c) => c.ok && c.method === "editMessageText", 1, { since });
    expect(edit!.params.message_id).toBe(messageId);
    await waitForCalls(tg, (c) => c.method === "answerCallbackQuery", 1, { since });
  });

  it("runs a template that asks for input, and a command still works while it waits", async () => {
    const home = await ask("/start");
    const messageId = (home.result as { message_id: number }).message_id;
    let since = tg.lastSeq();
    tg.pushCallback(OWNER, buttonData(home.params, /Заказы/), { messageId });
    const [ordersPanel] = await waitForCalls(tg, (c) => c.ok && c.method === "editMessageText", 1, { since });
    since = tg.lastSeq();
    tg.pushCallback(OWNER, buttonData(ordersPanel!.params, /По номеру/), { messageId });
    const [prompt] = await waitForCalls(tg, isReplyTo(OWNER), 1, { since });
    expect(String(prompt!.params.text)).toContain("Номер заказа");
    // While the template waits, a command is a command, not the answer.
    const help = await ask("/help");
    expect(help.text.startsWith("❓")).toBe(true);
    const bad = await ask("абв");
    expect(bad.text).toContain("Не понял номер заказа «абв»");
    const detail = await ask("1002");
    expect(detail.text).toContain("OB-1002");
  });
});
