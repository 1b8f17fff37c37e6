import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SisSim } from "@ownerbot/testkit/sis-sim";
import { checkWorld, formatHistory, violated } from "@ownerbot/testkit/history";
import { waitForCalls } from "@ownerbot/testkit/wait";
import { OWNER, type World } from "@ownerbot/testkit/world";
import type { ActionChat } from "./testing/action-world.ts";
import { SIS_TEST_ENV, startSisActionWorld, type SisActionWorld } from "./testing/sis-world.ts";

// The whole bot in SIS_HTTP against the SIS simulator, for every SIS action besides the price bump
// (sis-mode.e2e.test.ts): discounts, publishing products and looks, the FX reprice, its rollback
// and settings each preview at SIS and commit there once, with the action's key — the demo shop
// in the bot's database is never touched. SIS stalling on an apply (RELIABILITY.md D2): the action
// waits in the queue, the owner is told, and it commits once when SIS returns. AUTO with SIS down
// refuses an action instead of applying it to demo data.

let w: World;
let sim: SisSim;
let chat: ActionChat;
const env: Record<string, string> = {
  ...SIS_TEST_ENV,
  SIS_BREAKER_THRESHOLD: "2",
  SIS_BREAKER_HALF_OPEN_SEC: "1",
  JOB_BACKOFF_BASE_MS: "300",
  JOB_BACKOFF_MAX_MS: "1500",
  ACTION_MAX_ATTEMPTS: "30",
};

let world: SisActionWorld | undefined;
beforeAll(async () => {
  world = await startSisActionWorld(env);
  ({ w, sim, chat } = world);
}, 120_000);
afterAll(async () => {
  await world?.close();
});

/** The demo shop's catalogue as the bot's database holds it. */
const demoShop = async (): Promise<unknown[]> => [
  ...(
    await w.t.pool.query<Record<string, unknown>>(
      "SELECT product_id, price, compare_at_price, published FROM demo_products ORDER BY product_id",
    )
  ).rows,
  ...(await w.t.pool.query<Record<string, unknown>>("SELECT look_id, active FROM demo_looks ORDER BY look_id")).rows,
  ...(await w.t.pool.query<Record<string, unknown>>("SELECT * FROM demo_fx_settings")).rows,
];
const item = async (id: string) => (await sim.shop()).items.get(id);

describe("SIS_HTTP: every SIS action commits at SIS, once, never on the demo shop", () => {
  it("discounts set and cleared, products and looks hidden", async () => {
    const demoBefore = await demoShop();
    const effects = sim.effects.length;
    const set = await chat.ask("поставь скидку 10% на товары 7, 8");
    expect(set.text).toContain("Источник: SIS (discounts/set)");
    expect(await chat.confirm(set)).toMatch(/^✅ Выполнено[\s\S]*SIS поставил скидку 10 %; товаров: 2/);
    expect((await item("PRD-00007"))?.compareAt).not.toBeNull();
    const clear = await chat.ask("убери скидки с товаров 7");
    expect(clear.text).toContain("SIS (discounts/clear)");
    expect(await chat.confirm(clear)).toMatch(/^✅/);
    expect((await item("PRD-00007"))?.compareAt).toBeNull();
    const hide = await chat.confirm(await chat.ask("скрой товары 13, 14"));
    expect(hide, hide).toMatch(/^✅[\s\S]*SIS: скрыто 2\s+товара/);
    expect((await item("PRD-00013"))?.published).toBe(false);
    expect(await chat.confirm(await chat.ask("скрой луки 1, 2"))).toMatch(/^✅/);
    expect((await sim.shop()).looks.get("LK-001")).toBe(false);
    const done = sim.effects.slice(effects);
    expect(done.map((e) => e.endpoint)).toEqual(["discounts/set", "discounts/clear", "products/publish", "looks/publish"]);
    expect(new Set(done.map((e) => e.key)).size).toBe(4);
    expect(await demoShop()).toEqual(demoBefore);
  });

  it("FX: the reprice when the rate moved, then a noop; rollback; settings; a pair SIS does not price is its 422", async () => {
    const demoBefore = await demoShop();
    await sim.setFxRate(96);
    const auto = await chat.ask("обнови цены по курсу");
    expect(auto.text).toContain("SIS (fx)");
    expect(await chat.confirm(auto)).toMatch(/^✅[\s\S]*SIS пересчитал цены по курсу/);
    expect(sim.effects.at(-1)?.endpoint).toBe("fx");
    expect((await chat.ask("обнови цены по курсу")).text).toContain("Изменений нет");
    const rb = await chat.ask("откати последнее обновление цен");
    expect(rb.text).toContain("SIS (reprice/rollback)");
    expect(await chat.confirm(rb)).toMatch(/^✅[\s\S]*SIS вернул прежние цены/);
    const daily = await chat.ask("пересчитывай цены каждый день");
    expect(daily.text).toMatch(/manual → daily/);
    expect(await chat.confirm(daily)).toMatch(/^✅/);
    expect((await sim.shop()).fx.settings.reprice_schedule_mode).toBe("daily");
    const eur = await chat.ask("пересчитай цены по курсу евро");
    expect(eur.text).toContain("SIS не принял параметры: currency pair must be USD→RUB");
    expect(await demoShop()).toEqual(demoBefore);
  });

  it("D2: SIS stalls on the apply: the action waits in the queue, the owner is told, it commits once when SIS returns", async () => {
    const p = await chat.ask("поставь скидку 5% на товары 9");
    const effects = sim.effects.length;
    const sent = sim.requests.length;
    sim.setFault({ kind: "stall" }, { scope: "actions" });
    const since = w.tg.lastSeq();
    const done = chat.confirm(p);
    await waitForCalls(w.tg, (c) => c.ok && c.method === "sendMessage" && /ждёт в очереди/.test(String(c.params.text)), 1, {
      since,
      timeoutMs: 20_000,
    });
    expect(sim.effects.length).toBe(effects);
    sim.heal();
    expect(await done).toMatch(/^✅/);
    expect(sim.effects.length).toBe(effects + 1);
    const keys = new Set(
      sim.requests
        .slice(sent)
        .filter((r) => r.path.endsWith("/discounts/set/apply"))
        .map((r) => r.idempotencyKey),
    );
    expect(keys.size).toBe(1);
    const row = await w.t.pool.query<{ attempts: number }>(
      "SELECT attempts FROM actions WHERE tool = 'sis_discounts_set' ORDER BY id DESC LIMIT 1",
    );
    expect(row.rows[0]?.attempts).toBeGreaterThan(1);
  });

  it("AUTO with SIS down: an action is refused with the reason, never previewed on demo data", async () => {
    expect((await chat.ask("/upstream_auto")).text).toMatch(/авто/i);
    const demoBefore = await demoShop();
    sim.setFault({ kind: "status", status: 503 });
    const p = await chat.ask("скрой товары 15");
    sim.setFault(null);
    expect(p.text).toContain("SIS недоступен");
    expect(p.text).toContain("В режиме «Авто» действия выполняются только в SIS");
    expect(p.text).not.toContain("Подтвердить");
    expect(p.text).not.toContain("демо-магазин");
    expect(await demoShop()).toEqual(demoBefore);
    await chat.ask("/upstream_clear");

    await chat.settle();
    const report = await checkWorld(w, { owners: [OWNER], secrets: [sim.apiKey], upstreamEffects: sim.effectsByKey() });
    expect(violated(report, [1, 2, 3, 4, 9]), formatHistory(report)).toEqual([]);
  });
});
