import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays } from "../format/dates.ts";
import { presentTool } from "./index.ts";
import type { TopProductsData, DemandForecastData, ReorderPlanData } from "./results/sales.ts";
import type { TrendData } from "./results/kpi.ts";
import { refreshReadRollups } from "./demo-rollups.ts";
import { all, ANCHOR, ok, one, seededShop, SHOP, type TestShop } from "@ownerbot/testkit/test-shop";

// Expected values come from the raw demo_orders / demo_order_items / demo_refunds rows, never
// from the rollups the tools read, so a wrong rollup or a wrong window both fail here.

let s: TestShop;
beforeAll(async () => {
  s = await seededShop();
});
afterAll(async () => {
  await s.env.close();
});

const TZ = SHOP.timeZone;

describe("top_products", () => {
  type RawTop = { key: string; qty: number; revenue: number };
  async function rawTop(days: number, group: "product" | "category"): Promise<RawTop[]> {
    const key = group === "product" ? "i.product_id" : "p.category";
    return all<RawTop>(
      s.env,
      `SELECT ${key} AS key, sum(i.qty)::int AS qty, sum(i.qty * i.unit_price) AS revenue
       FROM demo_order_items i JOIN demo_orders o ON o.order_id = i.order_id JOIN demo_products p ON p.product_id = i.product_id
       WHERE (o.paid_at AT TIME ZONE $2)::date BETWEEN $1::date - ($3::int - 1) AND $1::date
       GROUP BY 1 ORDER BY revenue DESC, key`,
      [addDays(ANCHOR, -1), TZ, days],
    );
  }

  it("ranks products by revenue over paid orders of the window", async () => {
    const { data } = await ok<TopProductsData>("top_products", { days: 30, limit: 10 }, s.ctx);
    const raw = await rawTop(30, "product");
    expect(data.rows.map((r) => r.key)).toEqual(raw.slice(0, 10).map((r) => r.key));
    data.rows.forEach((r, i) => expect(r.revenue).toBeCloseTo(raw[i]?.revenue ?? NaN, 2));
    expect(data.totals.keys).toBe(raw.length);
    expect(data.totals.revenue).toBeCloseTo(
      raw.reduce((t, r) => t + r.revenue, 0),
      1,
    );
  });

  it("answers the same from the daily rollup while the running totals are stale", async () => {
    const cum = await ok<TopProductsData>("top_products", { days: 100, limit: 10 }, s.ctx);
    await s.env.pool.query("DELETE FROM demo_rollup_marks");
    const daily = await ok<TopProductsData>("top_products", { days: 100, limit: 10 }, s.ctx);
    const raw = await rawTop(100, "product");
    for (const data of [cum.data, daily.data]) {
      expect(data.rows.map((r) => r.key)).toEqual(raw.slice(0, 10).map((r) => r.key));
      data.rows.forEach((r, i) => expect(r.revenue).toBeCloseTo(raw[i]?.revenue ?? NaN, 2));
      expect(data.totals.qty).toBe(raw.reduce((t, r) => t + r.qty, 0));
    }
    // The stale read started a rebuild; waiting for it restores the mark.
    expect(await refreshReadRollups(s.env.db, { wait: true })).toBe(true);
    const mark = await one<{ n: number }>(s.env, "SELECT count(*)::int AS n FROM demo_rollup_marks");
    expect(mark.n).toBe(1);
  });

  it("covers the same full days as revenue_trend and says its total is at list prices, before coupons", async () => {
    const top = await ok<TopProductsData>("top_products", { days: 7 }, s.ctx);
    const trend = await ok<TrendData>("revenue_trend", { days: 7 }, s.ctx);
    expect(top.outcome.ok && top.outcome.result.provenance.window).toEqual(trend.outcome.ok && trend.outcome.result.provenance.window);
    // The two totals differ exactly by the coupon discounts of the orders paid in those days.
    const w = await one<{ items: number; amount: number }>(
      s.env,
      `SELECT (SELECT sum(i.qty * i.unit_price)::float8 FROM demo_order_items i JOIN demo_orders o USING (order_id)
                WHERE (o.paid_at AT TIME ZONE $3)::date BETWEEN $1 AND $2) AS items,
              (SELECT sum(amount)::float8 FROM demo_orders WHERE (paid_at AT TIME ZONE $3)::date BETWEEN $1 AND $2) AS amount`,
      [addDays(ANCHOR, -7), addDays(ANCHOR, -1), TZ],
    );
    expect(top.data.totals.revenue).toBeCloseTo(w.items, 2);
    expect(trend.data.totals.revenueGross).toBeCloseTo(w.amount, 2);
    expect(w.items).toBeGreaterThan(w.amount);
    const text = presentTool(top.outcome, s.ctx)[0]!.text;
    expect(text).toMatch(/^Всего по ценам товаров: /m);
    expect(text).toContain("до скидок по купонам");
    expect(text).not.toMatch(/^Всего: /m);
  });

  it("bottom by qty per category and paging by offset", async () => {
    const raw = (await rawTop(7, "category")).sort((a, b) => a.qty - b.qty || a.key.localeCompare(b.key));
    const { data } = await ok<TopProductsData>(
      "top_products",
      { days: 7, metric: "qty", direction: "bottom", group_by: "category", limit: 3 },
      s.ctx,
    );
    expect(data.rows.map((r) => [r.key, r.qty])).toEqual(raw.slice(0, 3).map((r) => [r.key, r.qty]));
    const page2 = await ok<TopProductsData>("top_products", { days: 30, limit: 5, offset: 5 }, s.ctx);
    const rawP = await rawTop(30, "product");
    expect(page2.data.rows.map((r) => r.key)).toEqual(rawP.slice(5, 10).map((r) => r.key));
    expect(page2.data.rows[0]?.rank).toBe(6);
  });
});

/** Daily paid units of one product over a history window, from raw rows, dense. */
async function rawSeries(productId: string, historyDays: number): Promise<number[]> {
  const rows = await all<{ day: string; qty: number }>(
    s.env,
    `SELECT (o.paid_at AT TIME ZONE $3)::date::text AS day, sum(i.qty)::int AS qty
     FROM demo_order_items i JOIN demo_orders o ON o.order_id = i.order_id
     WHERE i.product_id = $1 AND (o.paid_at AT TIME ZONE $3)::date BETWEEN $2::date - ($4::int - 1) AND $2::date
     GROUP BY 1`,
    [productId, addDays(ANCHOR, -1), TZ, historyDays],
  );
  // The history is the last full days, ending yesterday.
  const from = addDays(ANCHOR, -historyDays);
  const x = new Array<number>(historyDays).fill(0);
  for (const r of rows) x[Math.round((Date.parse(r.day) - Date.parse(from)) / 86_400_000)] = r.qty;
  return x;
}

describe("demand_forecast and reorder_plan", () => {
  it("SMA: the mean of the last window_days, ranked by forecast", async () => {
    const { data } = await ok<DemandForecastData>("demand_forecast", { horizon_days: 7, history_days: 30, window_days: 14 }, s.ctx);
    expect(data.items.length).toBeGreaterThan(0);
    for (const item of data.items.slice(0, 3)) {
      const x = await rawSeries(item.productId, 30);
      const sma = x.slice(-14).reduce((a, b) => a + b, 0) / 14;
      expect(item.forecastDaily).toBeCloseTo(sma, 9);
      expect(item.forecastTotal).toBeCloseTo(sma * 7, 2);
      expect(item.nonzeroDays).toBe(x.filter((v) => v > 0).length);
    }
    const totals = data.items.map((i) => i.forecastTotal);
    expect(totals).toEqual([...totals].sort((a, b) => b - a));
  });

  it("SMA over a long history (running totals: two lookups per product and window)", async () => {
    const { data } = await ok<DemandForecastData>("demand_forecast", { history_days: 120, window_days: 14, limit: 5 }, s.ctx);
    expect(data.items.length).toBeGreaterThan(0);
    for (const item of data.items) {
      const x = await rawSeries(item.productId, 120);
      expect(item.forecastDaily).toBeCloseTo(x.slice(-14).reduce((a, b) => a + b, 0) / 14, 9);
      expect(item.nonzeroDays).toBe(x.filter((v) => v > 0).length);
      expect(item.avgDaily).toBeCloseTo(x.reduce((a, b) => a + b, 0) / 120, 9);
    }
  });

  it("SES: the smoothed level after the whole history", async () => {
    const { data } = await ok<DemandForecastData>("demand_forecast", { method: "ses", alpha: 0.5, history_days: 21, limit: 2 }, s.ctx);
    for (const item of data.items) {
      const x = await rawSeries(item.productId, 21);
      let level = x[0] ?? 0;
      for (const v of x.slice(1)) level = 0.5 * v + 0.5 * level;
      expect(item.forecastDaily).toBeCloseTo(level, 9);
    }
  });

  it("SES with the default α: from the running totals' smoothed sums, equal to the day-by-day recursion", async () => {
    for (const history of [7, 30, 120]) {
      const { data } = await ok<DemandForecastData>("demand_forecast", { method: "ses", history_days: history, limit: 5 }, s.ctx);
      expect(data.items.length).toBeGreaterThan(0);
      for (const item of data.items) {
        const x = await rawSeries(item.productId, history);
        let level = x[0] ?? 0;
        for (const v of x.slice(1)) level = 0.35 * v + 0.65 * level;
        expect(item.forecastDaily).toBeCloseTo(level, 9);
      }
    }
  });

  it("reorder: ROP, need and quantity by the §7 formulas; needed rows first", async () => {
    const input = {
      horizon_days: 14,
      lead_time_days: 10,
      safety_stock_days: 5,
      history_days: 30,
      window_days: 14,
      limit: 100,
      only_needed: false,
    };
    const { data } = await ok<ReorderPlanData>("reorder_plan", input, s.ctx);
    expect(data.items.length).toBeGreaterThan(0);
    const firstNotNeeded = data.items.findIndex((i) => !i.needed);
    if (firstNotNeeded >= 0) expect(data.items.slice(firstNotNeeded).every((i) => !i.needed)).toBe(true);
    for (const item of data.items.slice(0, 5)) {
      const x = await rawSeries(item.productId, 30);
      const f = x.slice(-14).reduce((a, b) => a + b, 0) / 14;
      const stock = (await one<{ stock_qty: number }>(s.env, "SELECT stock_qty FROM demo_products WHERE product_id = $1", [item.productId]))
        .stock_qty;
      expect(item.rop).toBeCloseTo(f * 15, 9);
      expect(item.needed).toBe(stock <= f * 15);
      expect(item.recommendedQty).toBe(stock <= f * 15 ? Math.max(0, Math.ceil(Number((f * 29 - stock).toFixed(6)))) : 0);
    }
    expect(data.neededCount).toBe(data.items.filter((i) => i.needed).length);
  });

  it("reorder: lists only what to reorder by default; a product above its reorder point never says «заказать»", async () => {
    const all = await ok<ReorderPlanData>("reorder_plan", { only_needed: false, limit: 100 }, s.ctx);
    const enough = all.data.items.filter((i) => !i.needed);
    expect(enough.length).toBeGreaterThan(0);
    expect(enough.every((i) => i.recommendedQty === 0)).toBe(true);
    const plan = await ok<ReorderPlanData>("reorder_plan", { limit: 5 }, s.ctx);
    expect(plan.data.listed).toBe(all.data.neededCount);
    expect(plan.data.items.every((i) => i.needed)).toBe(true);
    const reply = presentTool(plan.outcome, s.ctx)[0]!;
    const pages = Math.ceil(all.data.neededCount / 5);
    const labels = reply.buttons?.flat().map((b) => b.text) ?? [];
    if (pages > 1) expect(labels).toContain(`1/${pages}`);
    expect(labels).toContain(`📋 Все ${all.data.total}`);
    const allText = presentTool(all.outcome, s.ctx)[0]!.text;
    for (const line of allText.split("\n").filter((l) => l.startsWith("🟢"))) expect(line).toContain("хватает");
  });

  it("forecasts whole units", async () => {
    const { outcome } = await ok<DemandForecastData>("demand_forecast", { horizon_days: 7 }, s.ctx);
    const rows = presentTool(outcome, s.ctx)[0]!
      .text.split("\n")
      .filter((l) => /^\d+\. /.test(l));
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r).toMatch(/ — ≈\u00a0\d+\u00a0(штука|штуки|штук) \(/);
  });
});
