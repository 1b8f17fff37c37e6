import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ownerChat, startDemoWorld } from "@ownerbot/shared/testing/owner-chat";
import type { World } from "@ownerbot/shared/testing/world";

let world: World;
beforeAll(async () => {
  world = await startDemoWorld({ action: true, env: { MANAGER_CHAT_IDS: "-500,-600" } });
});
afterAll(async () => world?.close());

describe("smoke", () => {
  it("previews and commits", async () => {
    const chat = ownerChat(world.tg);
    const p = await chat.ask("подними цену товара 3 на 10%");
    console.log(p.text, JSON.stringify(p.params.reply_markup));
    const r = await chat.tap(p, /Подтвердить/, "editMessageText");
    console.log("first edit:", r.text);
    await new Promise((res) => setTimeout(res, 1500));
    console.log(world.tg.calls().slice(-6).map((c) => `${c.method} ${JSON.stringify(c.params).slice(0, 200)}`).join("\n"));
    const since = world.tg.lastSeq();
    const plan = await chat.ask("сделай купон -10% на сутки и сообщи команде");
    console.log(plan.text, JSON.stringify(plan.params.reply_markup));
    await chat.tap(plan, /Выполнить всё/, "editMessageText");
    await new Promise((res) => setTimeout(res, 2500));
    console.log(world.tg.calls(since).map((c) => `${c.method} ${c.ok} ${JSON.stringify(c.params).slice(0, 300)}`).join("\n"));
    const { rows } = await world.t.pool.query("SELECT id, status, last_error, result FROM actions");
    console.log(rows);
    console.log(world.stack.logs().split("\n").filter((l) => /warn|error|Error/i.test(l)).slice(0, 20).join("\n"));
    expect(1).toBe(1);
  });
});
