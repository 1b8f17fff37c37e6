import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeTelegram } from "@ownerbot/testkit/fake-telegram";
import { OWNER, type World } from "@ownerbot/testkit/world";
import { waitForCalls } from "@ownerbot/testkit/wait";
import { ownerChat, startDemoWorld, type OwnerChat, type Sent } from "@ownerbot/testkit/owner-chat";

// Template inputs through the real pipeline: a prompt whose input closes loses its buttons, the
// prices panel offers nothing it cannot do, the weekly schedule takes a city, the stock export is a file.

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
const buttonsOf = (messageId: number): string[] => {
  const m = tg.messages(OWNER).find((x) => x.message_id === messageId);
  return ((m?.reply_markup as Kb)?.inline_keyboard ?? []).flat().map((b) => b.text);
};
const idOf = (s: Sent): number => (s.result as { message_id: number }).message_id;

/** The weekly schedule's first question, reached the way an owner does: notifications → all. */
async function weeklyPrompt(): Promise<Sent> {
  const notify = await chat.ask("уведомления");
  let page = await chat.tap(notify, /Все/, "editMessageText");
  page = await chat.tap({ ...page, result: notify.result }, /➡️/, "editMessageText");
  page = await chat.tap({ ...page, result: notify.result }, /➡️/, "editMessageText");
  return chat.tap({ ...page, result: notify.result }, /Неделя: вкл/);
}

async function openPanel(label: RegExp, then: RegExp): Promise<Sent> {
  const home = await chat.ask("/templates");
  const panel = await chat.tap(home, label, "editMessageText");
  return chat.tap({ ...panel, result: home.result }, then);
}

describe("template prompts", () => {
  it("preset taps step one message through a template; «Отмена» takes the buttons away", async () => {
    const first = await weeklyPrompt();
    expect(first.text).toContain("Шаг 1 из 3");
    const second = await chat.tap(first, /^Пн$/, "editMessageText");
    expect(second.params.message_id).toBe(idOf(first));
    expect(second.text).toContain("Шаг 2 из 3");
    const third = await chat.tap({ ...second, result: first.result }, /^09:30$/, "editMessageText");
    expect(third.text).toContain("Шаг 3 из 3");
    expect(buttonsOf(idOf(first))).toContain("Как у магазина (Москва)");
    const cancelled = await chat.tap({ ...third, result: first.result }, /Отмена/, "editMessageText");
    expect(cancelled.text).toContain("ввод отменён");
    expect(buttonsOf(idOf(first))).toEqual(["🏠 Домой"]);
  });

  it("the prices panel offers the reprice, with its preview", async () => {
    const home = await chat.ask("/start");
    const prices = await chat.tap(home, /Цены/, "editMessageText");
    expect(buttonsOf(idOf(home))).toContain("💱 Пересчёт по курсу");
    expect(prices.text).toContain("Любое изменение — с предпросмотром");
  });

  it("a typed «отмена» takes the buttons off the prompt it closes", async () => {
    const prompt = await openPanel(/Заказы/, /По номеру/);
    expect(buttonsOf(idOf(prompt))).toContain("✖️ Отмена");
    const since = tg.lastSeq();
    await chat.ask("отмена");
    const [edit] = await waitForCalls(tg, (c) => c.ok && c.method === "editMessageReplyMarkup", 1, { since });
    expect(edit!.params.message_id).toBe(idOf(prompt));
    expect(buttonsOf(idOf(prompt))).toEqual([]);
  });

  it("the weekly schedule accepts a weekday and a city the owner types", async () => {
    const day = await weeklyPrompt();
    const time = await chat.ask("понедельник");
    expect(time.text).toContain("Во сколько");
    expect(buttonsOf(idOf(day))).toEqual([]);
    const zone = await chat.ask("9:30");
    expect(zone.text).not.toContain("IANA");
    expect(buttonsOf(idOf(zone))).toContain("Как у магазина (Москва)");
    const done = await chat.ask("Екатеринбург");
    expect(done.text).toContain("Недельный отчёт: вкл · пн 09:30 (Екатеринбург)");
  });

  it("«💾 Склад в JSON» sends a JSON file of the stock report", async () => {
    await chat.ask("/cancel");
    const sys = await chat.ask("инструменты");
    const since = tg.lastSeq();
    await chat.tap(sys, /Склад в JSON/);
    const [doc] = await waitForCalls(tg, (c) => c.ok && c.method === "sendDocument", 1, { since });
    const file = tg.messages(OWNER).find((m) => m.message_id === (doc!.result as { message_id: number }).message_id)?.document;
    expect(file?.file_name).toMatch(/^inventory_status_\d{4}-\d{2}-\d{2}\.json$/);
  });
});
