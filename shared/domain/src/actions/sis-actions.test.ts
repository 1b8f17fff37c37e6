import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSisActionKit, type SisActionKit } from "@ownerbot/testkit/sis-action-kit";

// Every SIS-backed action against the SIS simulator over real HTTP: the preview changes nothing at
// SIS, the commit changes SIS's shop once with the action's idempotency key (a repeat of the key
// replays SIS's first answer), and an apply retried after a 500 or a lost answer sends the same
// key, so SIS counts one effect.

let k: SisActionKit;
beforeAll(async () => {
  k = await startSisActionKit();
}, 60_000);
afterAll(async () => k?.close());

const item = async (id: string) => {
  const it = (await k.sim.shop()).items.get(id);
  if (!it) throw new Error(`no ${id} at the simulator`);
  return { ...it };
};

/** Preview (no effect at SIS), commit (one effect, under the key), commit again with the key (no second effect). */
async function once(name: string, input: unknown, endpoint: string) {
  const effects = k.sim.effects.length;
  const p = await k.preview(name, input);
  expect(p.noop, p.summary.join("\n")).toBe(false);
  expect(p.source).toContain("SIS");
  expect(p.commit.upstream).toBe("sis");
  expect(k.sim.effects.length).toBe(effects);
  const key = `once-${name}-${effects}`;
  const r = await k.commit(name, p, { key });
  expect(k.sim.effects.slice(effects)).toEqual([{ endpoint, key, affected: r.affected }]);
  const again = await k.commit(name, p, { key });
  expect(again.affected).toBe(r.affected);
  expect(k.sim.effects.length).toBe(effects + 1);
  return { p, r };
}

describe("SIS actions: preview, then one commit at SIS", () => {
  it("sis_discounts_set and sis_discounts_clear change the simulator's prices", async () => {
    const before = await item("PRD-00007");
    const { p, r } = await once("sis_discounts_set", { product_ids: ["7", "8"], discount_percent: 10 }, "discounts/set");
    expect(p.rows.map((x) => x.id)).toContain("PRD-00007");
    expect(r.lines[0]).toContain("SIS поставил скидку 10 %");
    const full = before.compareAt ?? before.price;
    expect(await item("PRD-00007")).toMatchObject({ price: Math.round(full * 90) / 100, compareAt: full });
    await once("sis_discounts_clear", { product_ids: ["7"] }, "discounts/clear");
    expect(await item("PRD-00007")).toMatchObject({ price: full, compareAt: null });
  });

  it("sis_products_publish and sis_looks_publish hide and show at SIS", async () => {
    await once("sis_products_publish", { product_ids: ["13", "14"], target_status: "archived" }, "products/publish");
    expect((await item("PRD-00013")).published).toBe(false);
    expect((await item("PRD-00014")).published).toBe(false);
    const looks = (await k.sim.shop()).looks;
    const active = [...looks].find(([, on]) => on)?.[0];
    expect(active).toBeDefined();
    await once("sis_looks_publish", { look_ids: [active!], target_active: false }, "looks/publish");
    expect(looks.get(active!)).toBe(false);
  });

  it("sis_fx_reprice reprices at SIS's snapshot, sis_fx_rollback undoes it", async () => {
    const before = await item("PRD-00002");
    await k.sim.setFxRate(94.5); // +5 %
    const { p } = await once(
      "sis_fx_reprice",
      { input_currency: "USD", shop_currency: k.ctx.shop.currency, rate_set_id: "latest" },
      "reprice",
    );
    expect(p.commit.rate_set_id).toBe("snap-2");
    const after = await item("PRD-00002");
    expect(after.price).toBeGreaterThan(before.price * 1.04);
    await once("sis_fx_rollback", {}, "reprice/rollback");
    expect((await item("PRD-00002")).price).toBe(before.price);
    // The same rollback again is SIS's already_rolled_back: nothing to do, shown without buttons.
    expect((await k.preview("sis_fx_rollback", {})).noop).toBe(true);
  });

  it("sis_fx_reprice_auto applies when the rate moved enough and is a noop when it did not", async () => {
    await k.sim.setFxRate(95.4);
    const before = await item("PRD-00003");
    await once("sis_fx_reprice_auto", {}, "fx");
    expect((await item("PRD-00003")).price).not.toBe(before.price);
    const again = await k.preview("sis_fx_reprice_auto", {});
    expect(again.noop).toBe(true);
    expect(again.noopReason).toContain("SIS");
  });

  it("sis_fx_settings_update shows SIS's settings as a diff and PATCHes them with the key", async () => {
    const { p } = await once("sis_fx_settings_update", { updates: { min_rate_delta_percent: 1.5 } }, "fx/settings");
    expect(p.rows).toEqual([{ id: "min_rate_delta_percent", title: "min_rate_delta_percent", before: "0.5", after: "1.5" }]);
    expect((await k.sim.shop()).fx.settings.min_rate_delta_percent).toBe("1.5");
    expect(k.applies("fx/settings").every((r) => r.idempotencyKey !== undefined)).toBe(true);
    expect((await k.preview("sis_fx_settings_update", { updates: { min_rate_delta_percent: 1.5 } })).noop).toBe(true);
  });
});

describe("SIS actions: an apply retried after a 500 or a lost answer acts once", () => {
  // Each fault gets its own change (the second would otherwise find nothing left to do).
  const cases = [
    ["sis_discounts_set", (i: number) => ({ product_ids: [String(20 + i)], discount_percent: 15 }), "discounts/set"],
    ["sis_products_publish", (i: number) => ({ product_ids: [String(22 + i)], target_status: "archived" }), "products/publish"],
    ["sis_looks_publish", (i: number) => ({ is_active_from: i === 1, target_active: i === 0 }), "looks/publish"],
    ["sis_prices_bump", () => ({ bump_percent: 2 }), "prices/bump"],
  ] as const;
  for (const [name, input, endpoint] of cases) {
    for (const [i, fault] of (["status", "lose_response"] as const).entries()) {
      it(`${name} after ${fault === "status" ? "a 500" : "a lost answer"}`, async () => {
        const p = await k.preview(name, input(i));
        if (p.noop) throw new Error(`${name}: nothing to change`);
        const effects = k.sim.effects.length;
        const sent = k.applies(endpoint).length;
        k.sim.setFault(fault === "status" ? { kind: "status", status: 500 } : { kind: "lose_response" }, { scope: "actions", count: 1 });
        await k.commit(name, p, { key: `retry-${name}-${fault}` });
        expect(k.sim.effects.slice(effects).map((e) => e.key)).toEqual([`retry-${name}-${fault}`]);
        const tries = k.applies(endpoint).slice(sent);
        expect(tries).toHaveLength(2);
        expect(tries.map((t) => t.idempotencyKey)).toEqual([`retry-${name}-${fault}`, `retry-${name}-${fault}`]);
      });
    }
  }
});
