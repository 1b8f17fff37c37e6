import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { all, one, seededShop, type TestShop } from "@ownerbot/testkit/test-shop";
import { commitAction, previewAction } from "./registry.ts";
import type { ActionContext, ActionPreview, CommitResult } from "./types.ts";

// Every action tool against a generated demo shop: its preview changes nothing and says what will
// change, its commit changes exactly that once (the ledger replays a key), noop and force cases.

let s: TestShop;
let ctx: ActionContext;
let n = 0;
beforeAll(async () => {
  s = await seededShop(1000);
  ctx = { db: s.env.db, shop: s.ctx.shop, now: s.ctx.now, correlationId: "upd-1", actorId: 1001, managerChatIds: [-100, -200] };
});
afterAll(async () => s.env.close());

async function preview(name: string, input: unknown): Promise<ActionPreview> {
  const o = await previewAction(name, input, ctx);
  if (!o.ok) throw new Error(`${name}: ${o.error.code} ${o.error.message}`);
  return o.preview;
}

async function commit(name: string, p: ActionPreview, force = false, key = `k-${++n}`): Promise<CommitResult> {
  const o = await commitAction(name, p.commit, ctx, key, force);
  if (!o.ok) throw new Error(`${name}: ${o.error.code} ${o.error.message}`);
  return o.result;
}

const price = async (id: string): Promise<number> =>
  (await one<{ price: number }>(s.env, "SELECT price FROM demo_products WHERE product_id = $1", [id])).price;

describe("prices", () => {
  it("adjust_price: preview changes nothing, commit writes, the same key twice applies once", async () => {
    const before = await price("PRD-00003");
    const p = await preview("adjust_price", { product_ids: ["3"], mode: "delta_abs", value: 10 });
    expect(p.noop).toBe(false);
    expect(p.rows[0]).toMatchObject({ id: "PRD-00003" });
    expect(await price("PRD-00003")).toBe(before);
    await commit("adjust_price", p, false, "same-key");
    const replay = await commitAction("adjust_price", p.commit, ctx, "same-key", false);
    expect(replay.ok && replay.replayed).toBe(true);
    expect(await price("PRD-00003")).toBe(before + 10);
    const ledger = await one<{ replays: number }>(s.env, "SELECT replays FROM demo_action_ledger WHERE idempotency_key = 'same-key'");
    expect(ledger.replays).toBe(1);
  });

  it("adjust_price: setting the current price is a noop; over 30 % needs force", async () => {
    const cur = await price("PRD-00004");
    expect((await preview("adjust_price", { product_ids: ["PRD-00004"], mode: "set", value: cur })).noop).toBe(true);
    const big = await preview("adjust_price", { product_ids: ["4", "5"], mode: "delta_percent", value: 50 });
    expect(big.force).toBe("required");
    expect(big.warnings.map((w) => w.code)).toContain("FORCE_REQUIRED");
    const refused = await commitAction("adjust_price", big.commit, ctx, `k-${++n}`, false);
    expect(refused.ok ? "" : refused.error.message).toMatch(/FORCE_REQUIRED/);
    expect(await price("PRD-00004")).toBe(cur);
    await commit("adjust_price", big, true);
    expect(await price("PRD-00004")).toBeCloseTo(cur * 1.5, 1);
  });

  it("sis_prices_bump: «-3» lowers every price", async () => {
    const rows = await all<{ product_id: string; price: number }>(
      s.env,
      "SELECT product_id, price FROM demo_products WHERE price > 0 ORDER BY 1",
    );
    const p = await preview("sis_prices_bump", { bump_percent: "-3" });
    expect(p.affected).toBeGreaterThan(0);
    expect(p.force).toBe("none");
    await commit("sis_prices_bump", p);
    const after = await all<{ product_id: string; price: number }>(
      s.env,
      "SELECT product_id, price FROM demo_products WHERE price > 0 ORDER BY 1",
    );
    for (const [i, r] of rows.entries()) expect(after[i]!.price).toBe(Math.ceil(r.price * 0.97 - 1e-9));
    expect((await preview("sis_prices_bump", { bump_percent: "40" })).force).toBe("required");
    expect((await preview("sis_prices_bump", { bump_percent: "0" })).noop).toBe(true);
  });
});

describe("FX", () => {
  it("reprice, auto and rollback", async () => {
    const p = await preview("sis_fx_reprice", {
      rate_set_id: "latest",
      input_currency: "USD",
      shop_currency: "RUB",
      anomaly_threshold_pct: "1",
    });
    expect(p.summary[0]).toMatch(/USD→RUB/);
    expect(p.affected).toBeGreaterThan(0);
    const r = await commit("sis_fx_reprice", p, true);
    expect(r.affected).toBe(p.affected);
    // A second reprice at the same rate changes nothing; auto sees no rate move since the job.
    expect((await preview("sis_fx_reprice", { input_currency: "USD", shop_currency: "RUB" })).noop).toBe(true);
    expect((await preview("sis_fx_reprice_auto", {})).noop).toBe(true);
    const rb = await preview("sis_fx_rollback", {});
    expect(rb.affected).toBe(r.affected);
    await commit("sis_fx_rollback", rb);
    expect((await preview("sis_fx_rollback", {})).noop).toBe(true);
    const forced = await preview("sis_fx_reprice_auto", { force: true });
    expect(forced.noop).toBe(false);
  });

  it("settings diff and noop", async () => {
    const p = await preview("sis_fx_settings_update", { updates: { reprice_schedule_mode: "daily", min_rate_delta_percent: 1 } });
    expect(p.rows.map((r) => [r.before, r.after])).toEqual([
      ["manual", "daily"],
      ["0.5", "1"],
    ]);
    await commit("sis_fx_settings_update", p);
    expect((await preview("sis_fx_settings_update", { updates: { reprice_schedule_mode: "daily" } })).noop).toBe(true);
    const bad = await previewAction("sis_fx_settings_update", { updates: { colour: "red" } }, ctx);
    expect(bad.ok).toBe(false);
  });
});

describe("catalogue, coupons, orders, team, onboarding", () => {
  it("discounts set and clear on named products only", async () => {
    const p = await preview("sis_discounts_set", { product_ids: ["7", "8"], discount_percent: 10 });
    expect(p.affected).toBe(2);
    await commit("sis_discounts_set", p);
    const r = await one<{ n: number }>(
      s.env,
      "SELECT count(*)::int AS n FROM demo_products WHERE product_id IN ('PRD-00007','PRD-00008') AND compare_at_price IS NOT NULL",
    );
    expect(r.n).toBe(2);
    expect((await preview("sis_discounts_set", { product_ids: ["7", "8"], discount_percent: 10 })).noop).toBe(true);
    const c = await preview("sis_discounts_clear", { product_ids: ["7"] });
    expect(c.affected).toBe(1);
    await commit("sis_discounts_clear", c);
    const all0 = await preview("sis_discounts_clear", {});
    expect(all0.affected).toBeGreaterThan(0);
    expect((await preview("sis_discounts_set", { discount_percent: 60 })).force).toBe("required");
  });

  it("publish products and looks; all of them is a mass change", async () => {
    const hide = await preview("sis_products_publish", { product_ids: ["1", "2"], target_status: "ARCHIVED" });
    await commit("sis_products_publish", hide);
    const r = await one<{ n: number }>(
      s.env,
      "SELECT count(*)::int AS n FROM demo_products WHERE product_id IN ('PRD-00001','PRD-00002') AND NOT published",
    );
    expect(r.n).toBe(2);
    expect((await preview("sis_products_publish", { status_from: "ACTIVE", target_status: "ARCHIVED" })).force).toBe("required");
    const look = await preview("sis_looks_publish", { look_ids: ["1"], target_active: false });
    await commit("sis_looks_publish", look);
    expect((await preview("sis_looks_publish", { look_ids: ["1"], target_active: false })).noop).toBe(true);
  });

  it("coupons: create, disable, noop, over 50 %", async () => {
    const p = await preview("create_coupon", { code: "test15", percent_off: 15, max_uses: 10 });
    expect(p.title).toContain("TEST15");
    await commit("create_coupon", p);
    expect((await preview("create_coupon", { code: "TEST15", percent_off: 15, max_uses: 10 })).noop).toBe(true);
    await commit("create_coupon", await preview("create_coupon", { code: "TEST15", active: false }));
    const c = await one<{ active: boolean }>(s.env, "SELECT active FROM demo_coupons WHERE code = 'TEST15'");
    expect(c.active).toBe(false);
    expect((await preview("create_coupon", { code: "HUGE", percent_off: 70 })).force).toBe("required");
    expect((await previewAction("create_coupon", { code: "NOPE42", active: false }, ctx)).ok).toBe(false);
  });

  it("flag one order, then the same flag is a noop; bulk flag pins its orders", async () => {
    const p = await preview("flag_order", { order_id: "1003", reason: "тест" });
    await commit("flag_order", p);
    expect((await preview("flag_order", { order_id: "OB-1003", reason: "тест" })).noop).toBe(true);
    const b = await preview("bulk_flag_order", { preset: "stuck", limit: 5 });
    const pinned = b.commit.order_ids as string[];
    if (b.noop) return;
    await commit("bulk_flag_order", b);
    const r = await one<{ n: number }>(s.env, "SELECT count(*)::int AS n FROM demo_orders WHERE order_id = ANY($1) AND flagged", [pinned]);
    expect(r.n).toBe(pinned.length);
  });

  it("notify_team lists its recipients and commits deliveries; without chats it says so", async () => {
    const p = await preview("notify_team", { message: "склад пуст" });
    expect(p.affected).toBe(2);
    const r = await commit("notify_team", p);
    expect(r.deliveries?.map((d) => d.chatId)).toEqual([-100, -200]);
    const none = await previewAction("notify_team", { message: "x" }, { ...ctx, managerChatIds: [] });
    expect(none.ok ? "" : none.error.code).toBe("CONFIG_MISSING");
  });

  it("onboarding preset diff, apply, noop; test run and its cooldown", async () => {
    const p = await preview("onboard_apply_preset", { preset: "standard" });
    expect(p.affected).toBeGreaterThan(5);
    await commit("onboard_apply_preset", p);
    expect((await preview("onboard_apply_preset", { preset: "standard" })).noop).toBe(true);
    const t = await preview("onboard_test_run", { send_digest_now: true });
    expect(t.noop).toBe(false);
    const done = await commit("onboard_test_run", t);
    expect(done.lines.join("\n")).toMatch(/Дайджест/);
    expect((await preview("onboard_test_run", {})).noop).toBe(true);
  });
});
