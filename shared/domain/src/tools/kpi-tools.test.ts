import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, dayStart } from "../format/dates.ts";
import { presentTool } from "./index.ts";
import type { KpiCompareData, KpiSnapshotData, TrendData } from "./results/kpi.ts";
import { ANCHOR, ok, one, seededShop, SHOP, type TestShop } from "@ownerbot/testkit/test-shop";

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

type Raw = { gross: number; paid: number; created: number; refunds: number; refunds_n: number };

/** KPI of a day range straight from the raw rows, days counted in the shop's zone. */
async function rawKpi(from: string, to: string): Promise<Raw> {
  return one<Raw>(
    s.env,
    `SELECT
       (SELECT coalesce(sum(amount), 0) FROM demo_orders WHERE (paid_at AT TIME ZONE $3)::date BETWEEN $1 AND $2) AS gross,
       (SELECT count(*) FROM demo_orders WHERE (paid_at AT TIME ZONE $3)::date BETWEEN $1 AND $2) AS paid,
       (SELECT count(*) FROM demo_orders WHERE (created_at AT TIME ZONE $3)::date BETWEEN $1 AND $2) AS created,
       (SELECT coalesce(sum(amount), 0) FROM demo_refunds WHERE (created_at AT TIME ZONE $3)::date BETWEEN $1 AND $2) AS refunds,
       (SELECT count(*) FROM demo_refunds WHERE (created_at AT TIME ZONE $3)::date BETWEEN $1 AND $2) AS refunds_n`,
    [from, to, TZ],
  );
}

const r2 = (v: number): number => Math.round(v * 100) / 100;
const pct = (a: number, b: number): number => Math.round(((a - b) / b) * 10000) / 100;

describe("kpi_snapshot", () => {
  it("answers yesterday of the demo shop (not of the wall clock) from the raw orders", async () => {
    const day = addDays(ANCHOR, -1);
    const { data } = await ok<KpiSnapshotData>("kpi_snapshot", { day: "вчера" }, s.ctx);
    const raw = await rawKpi(day, day);
    expect(raw.paid).toBeGreaterThan(0);
    expect(data.day).toBe(day);
    expect(data.kpi.revenueGross).toBeCloseTo(raw.gross, 2);
    expect(data.kpi.ordersPaid).toBe(raw.paid);
    expect(data.kpi.ordersCreated).toBe(raw.created);
    expect(data.kpi.revenueNet).toBeCloseTo(raw.gross - raw.refunds, 2);
    expect(data.kpi.aov).toBeCloseTo(r2((raw.gross - raw.refunds) / Math.max(raw.paid, 1)), 2);
    expect(data.prevDay?.day).toBe(addDays(day, -1));
  });

  it("compares today, still going, with the same hours of yesterday and of a week ago", async () => {
    const { data } = await ok<KpiSnapshotData>("kpi_snapshot", { day: ANCHOR }, s.ctx);
    expect(data.openDay).toMatchObject({ day: ANCHOR, sameHours: true });
    const elapsed = s.asOf.getTime() - dayStart(ANCHOR, TZ).getTime();
    for (const [back, got] of [
      [1, data.prevDay],
      [7, data.weekAgo],
    ] as const) {
      const day = addDays(ANCHOR, -back);
      const start = dayStart(day, TZ);
      const raw = await one<{ gross: number; paid: number }>(
        s.env,
        "SELECT coalesce(sum(amount), 0)::float8 AS gross, count(*)::int AS paid FROM demo_orders WHERE paid_at >= $1 AND paid_at < $2",
        [start, new Date(start.getTime() + elapsed)],
      );
      const whole = await rawKpi(day, day);
      expect(raw.paid).toBeLessThan(whole.paid);
      expect(got?.day).toBe(day);
      expect(got?.revenueGross).toBeCloseTo(raw.gross, 2);
      expect(got?.ordersPaid).toBe(raw.paid);
    }
    const text = presentTool((await ok("kpi_snapshot", { day: ANCHOR }, s.ctx)).outcome, s.ctx)[0]!.text;
    expect(text).toContain("▲▼ — к предыдущему дню, 22.11 (вс) до 18:00.");
    expect(text).toContain("К 16.11 (пн) до 18:00:");
  });

  it("defaults to the demo's today and reports a missing day as NOT_FOUND", async () => {
    const { data } = await ok<KpiSnapshotData>("kpi_snapshot", {}, s.ctx);
    expect(data.day).toBe(ANCHOR);
    const missing = await (await import("./index.ts")).runTool("kpi_snapshot", { day: "2001-01-01" }, s.ctx);
    expect(missing.ok).toBe(false);
    if (!missing.ok) {
      expect(missing.error.code).toBe("NOT_FOUND");
      expect(missing.error.message).toContain("01.01.2001");
    }
  });
});

describe("revenue_trend", () => {
  it("sums the last 7 full days (today is still going), compares with the 7 before and shows today apart", async () => {
    const { data, outcome } = await ok<TrendData>("revenue_trend", { days: 7 }, s.ctx);
    const end = addDays(ANCHOR, -1);
    const from = addDays(end, -6);
    const cur = await rawKpi(from, end);
    const prev = await rawKpi(addDays(from, -7), addDays(from, -1));
    expect(data.series).toHaveLength(7);
    expect(data.series[0]?.day).toBe(from);
    expect(data.totals.revenueGross).toBeCloseTo(cur.gross, 2);
    expect(data.totals.revenueNet).toBeCloseTo(cur.gross - cur.refunds, 2);
    expect(data.totals.ordersPaid).toBe(cur.paid);
    expect(data.deltaVsPrevWindow?.revenueGrossPct).toBeCloseTo(pct(cur.gross, prev.gross), 2);
    expect(data.deltaVsPrevWindow?.ordersPaidPct).toBeCloseTo(pct(cur.paid, prev.paid), 2);
    expect(outcome.ok && outcome.result.provenance.window).toEqual({ from, to: end, tz: TZ });
    expect(data.series.at(-1)?.day).toBe(end);
    expect(data.openDay).toBeNull();
    const today = await rawKpi(ANCHOR, ANCHOR);
    expect(data.today?.kpi.revenueGross).toBeCloseTo(today.gross, 2);
    const text = presentTool(outcome, s.ctx)[0]!.text;
    expect(text).toContain("⏱ Сегодня, 23.11, в период не входит — день ещё идёт. К 18:00:");
    expect(text).not.toContain("▇");
  });

  it("a window asked to end today is compared with the previous window cut to the same hours", async () => {
    const { data } = await ok<TrendData>("revenue_trend", { days: 7, end_day: ANCHOR }, s.ctx);
    expect(data.openDay).toMatchObject({ day: ANCHOR, sameHours: true });
    const prevEnd = addDays(ANCHOR, -7);
    const elapsed = s.asOf.getTime() - dayStart(ANCHOR, TZ).getTime();
    const cut = await one<{ gross: number }>(
      s.env,
      "SELECT coalesce(sum(amount), 0)::float8 AS gross FROM demo_orders WHERE paid_at >= $1 AND paid_at < $2",
      [dayStart(prevEnd, TZ), new Date(dayStart(prevEnd, TZ).getTime() + elapsed)],
    );
    const prevFull = await rawKpi(addDays(prevEnd, -6), addDays(prevEnd, -1));
    expect(data.prev?.totals.revenueGross).toBeCloseTo(prevFull.gross + cut.gross, 2);
  });

  it("allows a 90-day window (the reference's 60-day cap broke its own template)", async () => {
    const { data } = await ok<TrendData>("revenue_trend", { days: 90, end_day: "2026-11-20" }, s.ctx);
    const raw = await rawKpi(addDays("2026-11-20", -89), "2026-11-20");
    expect(data.series).toHaveLength(90);
    expect(data.totals.revenueGross).toBeCloseTo(raw.gross, 2);
  });
});

describe("kpi_compare", () => {
  it("wow: A is the last 7 full days, B the 7 before, deltas against B", async () => {
    const { data } = await ok<KpiCompareData>("kpi_compare", { preset: "wow" }, s.ctx);
    const a = await rawKpi(addDays(ANCHOR, -7), addDays(ANCHOR, -1));
    const b = await rawKpi(addDays(ANCHOR, -14), addDays(ANCHOR, -8));
    expect([data.a.from, data.a.to, data.b.from, data.b.to]).toEqual([
      addDays(ANCHOR, -7),
      addDays(ANCHOR, -1),
      addDays(ANCHOR, -14),
      addDays(ANCHOR, -8),
    ]);
    expect(data.a.totals.revenueGross).toBeCloseTo(a.gross, 2);
    expect(data.b.totals.revenueGross).toBeCloseTo(b.gross, 2);
    expect(data.delta.ordersPaid.abs).toBe(a.paid - b.paid);
    expect(data.delta.revenueNet.pct).toBeCloseTo(pct(a.gross - a.refunds, b.gross - b.refunds), 2);
  });

  it("custom windows use the given dates", async () => {
    const { data } = await ok<KpiCompareData>(
      "kpi_compare",
      { preset: "custom", a_start: "10.11.2026", a_end: "2026-11-16", b_start: "2026-11-01", b_end: "2026-11-09" },
      s.ctx,
    );
    const a = await rawKpi("2026-11-10", "2026-11-16");
    const b = await rawKpi("2026-11-01", "2026-11-09");
    expect(data.a.days).toBe(7);
    expect(data.b.days).toBe(9);
    expect(data.a.totals.ordersCreated).toBe(a.created);
    expect(data.b.totals.ordersCreated).toBe(b.created);
  });

  it("custom: the later period is compared with the earlier one, whichever is named first", async () => {
    const { data, outcome } = await ok<KpiCompareData>(
      "kpi_compare",
      { preset: "custom", a_start: "2026-11-01", a_end: "2026-11-07", b_start: "2026-11-08", b_end: "2026-11-14" },
      s.ctx,
    );
    const early = await rawKpi("2026-11-01", "2026-11-07");
    const late = await rawKpi("2026-11-08", "2026-11-14");
    expect([data.a.from, data.b.from]).toEqual(["2026-11-08", "2026-11-01"]);
    expect(data.delta.revenueGross.pct).toBeCloseTo(pct(late.gross, early.gross), 2);
    const text = presentTool(outcome, s.ctx)[0]!.text.replace(/\u00a0/g, " ");
    expect(text).toContain("⚖️ 08.11–14.11.2026 к 01.11–07.11.2026");
    const was = String(Math.round(early.gross)).replace(/\B(?=(\d{3})+(?!\d))/g, " ");
    expect(text).toContain(`(было ${was} ₽)`);
  });
});
