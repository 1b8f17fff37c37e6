import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays } from "../format/dates.ts";
import { SPIKE_DAYS_AGO } from "../demo/plan.ts";
import type { FunnelData, RefundsAnomaliesData } from "./results/insights.ts";
import { scoreRefundDays } from "./insight-tools.ts";
import type { KpiDay } from "./provider.ts";
import { all, ANCHOR, ok, one, seededShop, SHOP, type TestShop } from "@ownerbot/testkit/test-shop";

let s: TestShop;
beforeAll(async () => {
  s = await seededShop();
});
afterAll(async () => {
  await s.env.close();
});

const TZ = SHOP.timeZone;

describe("funnel_snapshot", () => {
  it("sums stages over the window and computes step conversions and change in points", async () => {
    const sums = (from: string, to: string) =>
      one<Record<string, number>>(
        s.env,
        `SELECT sum(visits)::int AS visits, sum(product_views)::int AS "productViews", sum(add_to_cart)::int AS "addToCart",
                sum(checkout_started)::int AS "checkoutStarted", sum(orders_created)::int AS "ordersCreated", sum(orders_paid)::int AS "ordersPaid"
         FROM demo_funnel_daily WHERE day BETWEEN $1 AND $2`,
        [from, to],
      );
    const a = await sums(addDays(ANCHOR, -6), ANCHOR);
    const b = await sums(addDays(ANCHOR, -13), addDays(ANCHOR, -7));
    const { data } = await ok<FunnelData>("funnel_snapshot", { days: 7 }, s.ctx);
    expect(Object.fromEntries(data.stages.map((x) => [x.stage, x.count]))).toEqual(a);
    const rate = (n: number, d: number) => Math.round((n / d) * 10000) / 100;
    const cart = data.stages.find((x) => x.stage === "addToCart");
    expect(cart?.ratePct).toBe(rate(a.addToCart ?? 0, a.productViews ?? 1));
    expect(cart?.deltaPp).toBeCloseTo(rate(a.addToCart ?? 0, a.productViews ?? 1) - rate(b.addToCart ?? 0, b.productViews ?? 1), 2);
    expect(data.overall.ratePct).toBe(rate(a.ordersPaid ?? 0, a.visits ?? 1));
    // The funnel's orders are the created orders of the same days in the raw table.
    const created = await one<{ n: number }>(
      s.env,
      "SELECT count(*)::int AS n FROM demo_orders WHERE (created_at AT TIME ZONE $3)::date BETWEEN $1 AND $2",
      [addDays(ANCHOR, -6), ANCHOR, TZ],
    );
    expect(a.ordersCreated).toBe(created.n);
    expect(data.weakest).not.toBeNull();
  });
});

describe("refunds_anomalies", () => {
  it("flags the planted refund spike and totals refunds from the raw rows", async () => {
    const { data } = await ok<RefundsAnomaliesData>("refunds_anomalies", { days: 30 }, s.ctx);
    const spikeDay = addDays(ANCHOR, -SPIKE_DAYS_AGO);
    expect(data.spikes.map((d) => d.day)).toContain(spikeDay);
    const raw = await one<{ n: number; amount: number }>(
      s.env,
      "SELECT count(*)::int AS n, coalesce(sum(amount), 0) AS amount FROM demo_refunds WHERE (created_at AT TIME ZONE $3)::date BETWEEN $1 AND $2",
      [addDays(ANCHOR, -29), ANCHOR, TZ],
    );
    expect(data.totals.count).toBe(raw.n);
    expect(data.totals.amount).toBeCloseTo(raw.amount, 2);
    const reasons = await all<{ reason: string; n: number }>(
      s.env,
      `SELECT reason, count(*)::int AS n FROM demo_refunds WHERE (created_at AT TIME ZONE $3)::date BETWEEN $1 AND $2
       GROUP BY reason ORDER BY n DESC, sum(amount) DESC, reason LIMIT 5`,
      [addDays(ANCHOR, -29), ANCHOR, TZ],
    );
    expect(data.reasons.map((r) => [r.key, r.count])).toEqual(reasons.map((r) => [r.reason, r.n]));
    expect(data.products.length).toBeGreaterThan(0);
  });

  it("scores a day by z-score and ratio against the trailing baseline", () => {
    const days: KpiDay[] = [];
    for (let i = 0; i < 20; i++) {
      const day = addDays("2026-01-01", i);
      const amount = i === 19 ? 5000 : i % 2 === 0 ? 900 : 1100;
      days.push({
        day,
        revenueGross: 0,
        revenueNet: 0,
        ordersPaid: 0,
        ordersCreated: 0,
        aov: 0,
        refundsCount: i === 19 ? 6 : 2,
        refundsAmount: amount,
      });
    }
    const p = { metric: "amount" as const, baselineDays: 14, zThreshold: 2.5, minRatio: 1.5, minCount: 3 };
    const scored = scoreRefundDays(days, { from: "2026-01-15", to: "2026-01-20" }, p);
    const last = scored.at(-1);
    // Baseline of the 14 days before: seven 900s and seven 1100s → mean 1000, std 100.
    expect(last?.baselineMean).toBe(1000);
    expect(last?.baselineStd).toBe(100);
    expect(last?.z).toBe(40);
    expect(last?.ratio).toBe(5);
    expect(last?.spike).toBe(true);
    expect(scored.slice(0, -1).some((d) => d.spike)).toBe(false);
    // The same day with too few refunds is not a spike however large the amount.
    expect(scoreRefundDays(days, { from: "2026-01-20", to: "2026-01-20" }, { ...p, minCount: 7 })[0]?.spike).toBe(false);
  });
});
