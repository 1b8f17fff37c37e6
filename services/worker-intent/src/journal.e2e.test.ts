import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { World } from "@ownerbot/testkit/world";
import { ownerChat, startDemoWorld, type OwnerChat } from "@ownerbot/testkit/owner-chat";

// What the owner's own requests leave in the bot's journal: a typo is not an error, a phrase the bot
// did not understand is counted, and the retro tools read what the worker writes.

let world: World;
let chat: OwnerChat;
beforeAll(async () => {
  world = await startDemoWorld();
  chat = ownerChat(world.tg);
  expect((await chat.ask("что с заказом 99999")).text).toContain("не найден");
  await chat.ask("фываолдж");
  await chat.ask("ывапролд");
  await chat.ask("выручка за неделю");
});
afterAll(async () => world?.close());

describe("the journal of the owner's requests", () => {
  it("counts phrases it did not understand and shows the latest requests in words", async () => {
    expect((await chat.ask("/retro 30")).text).toContain("Непонятые запросы: 2");
    const gaps = await chat.ask("пробелы бота");
    expect(gaps.text).toContain("Непонятые запросы: 2");
    const last = await chat.ask("последние запросы к боту");
    expect(last.text).toContain("«ывапролд» → не понял");
    expect(last.text).toContain("«выручка за неделю» → Динамика выручки ✅");
    expect(last.text).not.toMatch(/kpi_snapshot|order_detail/);
  });

  it("does not count an order that does not exist as an error", async () => {
    expect((await chat.ask("/errors")).text).toContain("Ошибок нет.");
    const ops = await chat.ask("операционный отчёт");
    expect(ops.text).not.toMatch(/Ошибки за 24 ч: [1-9]/);
    const retro = await chat.ask("/retro 30");
    expect(retro.text).toContain("Из них с ошибкой бота: 0");
    expect(retro.text).toContain("Не найдено или неверный запрос: 1 ");
  });

  it("names tools and events in Russian in the journal and the retro", async () => {
    const journal = await chat.ask("журнал");
    expect(journal.text).toContain("Не понял запрос «ывапролд»");
    // The entries, not the provenance line under them (its source is named in words: «OwnerBot · журнал событий»).
    const [entries, provenance] = journal.text.split("\n\n🧭 ");
    expect(entries).not.toMatch(/[{}]|tool_call|_/);
    expect(provenance).toMatch(/^Качество: high \| 📌 OwnerBot · журнал событий \|/u);
    const retro = await chat.ask("/retro 30");
    expect(retro.text).toContain("• Карточка заказа: 1");
    expect(retro.text).not.toMatch(/order_detail|kpi_snapshot|tool_call/);
  });
});
