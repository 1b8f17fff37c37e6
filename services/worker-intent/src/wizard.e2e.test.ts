import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeTelegram } from "@ownerbot/testkit/fake-telegram";
import { OWNER, type World } from "@ownerbot/testkit/world";
import { shopNow } from "@ownerbot/domain/tools";
import { ownerChat, startDemoWorld, type OwnerChat, type Sent } from "@ownerbot/testkit/owner-chat";

// The parameter wizard through the real pipeline (fake Telegram, real ingress, intent worker and
// sender): an action phrase without its parameters asks for them, preset taps and typed answers
// go through the chat's ordered drain, and the completed payload ends in the normal preview.

const SHOP = { shopId: "demo", currency: "RUB", timeZone: "Europe/Moscow", locale: "ru-RU" };
let world: World;
let tg: FakeTelegram;
let chat: OwnerChat;
beforeAll(async () => {
  world = await startDemoWorld();
  tg = world.tg;
  chat = ownerChat(tg);
});
afterAll(async () => world?.close());

type Kb = { inline_keyboard?: { text: string }[][] } | undefined;
const labels = (s: Sent): string[] => ((s.params.reply_markup as Kb)?.inline_keyboard ?? []).flat().map((b) => b.text);
const key = (): string => `${world.t.prefix}:wizard:${OWNER}`;

async function audits(type: string): Promise<Record<string, unknown>[]> {
  const { rows } = await world.t.pool.query<{ payload: Record<string, unknown> }>(
    "SELECT payload FROM audit_events WHERE event_type = $1 ORDER BY id",
    [type],
  );
  return rows.map((r) => r.payload);
}

async function lastAction(): Promise<{ tool: string; payload: Record<string, unknown> }> {
  const { rows } = await world.t.pool.query<{ tool: string; payload: Record<string, unknown> }>(
    "SELECT tool, payload FROM actions ORDER BY id DESC LIMIT 1",
  );
  return rows[0]!;
}

describe("parameter wizard", () => {
  it("a coupon without percent: presets, a tap, «сутки», then the preview with those values", async () => {
    const ask = await chat.ask("сделай купон");
    expect(ask.text).toContain("Какую скидку дать по купону?");
    expect(labels(ask)).toEqual(["−5 %", "−10 %", "−15 %", "−20 %", "✖ Отмена"]);
    const ttl = await world.t.redis.ttl(key());
    expect(ttl).toBeGreaterThan(800);
    expect(ttl).toBeLessThanOrEqual(900);
    const hours = await chat.tap(ask, /−10 %/, "editMessageText");
    expect(hours.text).toContain("Купон −10 %: на какой срок?");
    expect(labels(hours)).toEqual(["24 ч", "48 ч", "72 ч", "Без срока", "✖ Отмена"]);
    const preview = await chat.ask("сутки");
    expect(preview.text).toContain("предпросмотр");
    expect(preview.text).toContain("SALE10-");
    expect(labels(preview)).toContain("✅ Подтвердить");
    const row = await lastAction();
    expect(row.tool).toBe("create_coupon");
    const input = (row.payload as { input: Record<string, unknown> }).input;
    expect(input).toMatchObject({ code: expect.stringMatching(/^SALE10-\d{4}$/) as string, percent_off: 10 });
    // «сутки» = 24 h from the shop's clock (the demo shop's, which the bot reads too).
    const shopNowMs = (await shopNow({ db: world.t.db, shop: SHOP, now: new Date() })).getTime();
    expect(Math.abs(Date.parse(String(input.ends_at)) - shopNowMs - 24 * 3_600_000)).toBeLessThan(120_000);
    expect(await world.t.redis.exists(key())).toBe(0);
    expect(await audits("agent_action_wizard_started")).toContainEqual(
      expect.objectContaining({ tool: "create_coupon", fields: ["percent_off", "hours"], by: "text" }),
    );
    expect(await audits("agent_action_wizard_completed")).toContainEqual(
      expect.objectContaining({ tool: "create_coupon", fields: ["percent_off", "hours"] }),
    );
    expect((await audits("agent_action_wizard_step")).length).toBeGreaterThanOrEqual(1);
    // Nothing commits without the confirm: the row is only previewed.
    const { rows } = await world.t.pool.query<{ status: string }>("SELECT status FROM actions ORDER BY id DESC LIMIT 1");
    expect(rows[0]!.status).toBe("previewed");
  });

  it("bad input re-asks the same question with what was wrong; a good answer previews", async () => {
    const ask = await chat.ask("снизь цены");
    expect(ask.text).toContain("На сколько процентов снизить все цены?");
    expect(labels(ask)).toEqual(["−3 %", "−5 %", "−10 %", "✖ Отмена"]);
    const again = await chat.ask("побольше");
    expect(again.text).toContain("не процент");
    expect(again.text).toContain("На сколько процентов снизить все цены?");
    const preview = await chat.ask("5 процентов");
    expect(preview.text).toContain("предпросмотр");
    const row = await lastAction();
    expect(row).toMatchObject({ tool: "sis_prices_bump", payload: { input: { bump_percent: -5 } } });
  });

  it("«отмена» ends it, nothing is previewed", async () => {
    const before = await lastAction();
    const ask = await chat.ask("уведоми команду");
    expect(ask.text).toContain("Что написать команде?");
    const done = await chat.ask("отмена");
    expect(done.text).toContain("Отменено");
    expect(await world.t.redis.exists(key())).toBe(0);
    expect(await lastAction()).toEqual(before);
    expect(await audits("agent_action_wizard_cancelled")).toContainEqual(expect.objectContaining({ tool: "notify_team" }));
  });

  it("a slash command bypasses it (the command runs), and the wizard still takes the next answer", async () => {
    await chat.ask("сделай купон");
    const kpi = await chat.ask("/kpi");
    expect(kpi.text).not.toContain("не процент");
    expect(kpi.text).not.toContain("Какую скидку");
    const next = await chat.ask("минус 15");
    expect(next.text).toContain("Купон −15 %: на какой срок?");
    const cancelled = await chat.tap(next, /Отмена/, "editMessageText");
    expect(cancelled.text).toContain("Отменено");
  });

  it("a press after the state expired answers politely", async () => {
    const ask = await chat.ask("сделай купон");
    await world.t.redis.del(key());
    const stale = await chat.tap(ask, /−5 %/, "editMessageText");
    expect(stale.text).toContain("Этот вопрос уже закрыт");
  });
});
