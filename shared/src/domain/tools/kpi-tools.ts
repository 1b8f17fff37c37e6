import { z } from "zod";
import { AppError } from "../../errors.ts";
import { addDays, dayDiff, eachDay, formatDay, windowEnding, type LocalDay } from "../format/dates.ts";
import { pctChange, round2 } from "../format/numbers.ts";
import { presentKpiCompare, presentKpiSnapshot, presentRevenueTrend } from "../presenters/kpi.ts";
import type { ToolWarning } from "../contract.ts";
import { dayParam, enumParam, intParam } from "./params.ts";
import type { KpiDay } from "./provider.ts";
import { defineTool } from "./registry.ts";
import { makeResult, toolEnv, warning } from "./runtime.ts";

// KPI tools over the daily rollup: one day, two windows side by side, and a trend.

export type KpiTotals = {
  revenueGross: number;
  revenueNet: number;
  ordersPaid: number;
  ordersCreated: number;
  refundsAmount: number;
  refundsCount: number;
  aov: number;
};

/** Sums of a set of days; AOV = net / max(paid, 1) as in the reference. */
export function totalsOf(days: KpiDay[]): KpiTotals {
  const t = { revenueGross: 0, revenueNet: 0, ordersPaid: 0, ordersCreated: 0, refundsAmount: 0, refundsCount: 0 };
  for (const d of days) {
    t.revenueGross += d.revenueGross;
    t.revenueNet += d.revenueNet;
    t.ordersPaid += d.ordersPaid;
    t.ordersCreated += d.ordersCreated;
    t.refundsAmount += d.refundsAmount;
    t.refundsCount += d.refundsCount;
  }
  return {
    revenueGross: round2(t.revenueGross),
    revenueNet: round2(t.revenueNet),
    ordersPaid: t.ordersPaid,
    ordersCreated: t.ordersCreated,
    refundsAmount: round2(t.refundsAmount),
    refundsCount: t.refundsCount,
    aov: round2(t.revenueNet / Math.max(t.ordersPaid, 1)),
  };
}

/** Set when a period includes the shop's today, which is still going: its numbers are up to `at`. */
export type OpenDay = { day: LocalDay; at: string } | null;

export type KpiSnapshotData = {
  day: LocalDay;
  openDay: OpenDay;
  kpi: KpiDay;
  prevDay: KpiDay | null;
  weekAgo: KpiDay | null;
};

export const kpiSnapshot = defineTool({
  name: "kpi_snapshot",
  version: "1.1",
  kind: "read",
  title: "KPI за день",
  description: "One day's revenue (gross/net), paid and created orders, AOV and refunds, vs the day before and a week before.",
  input: z.object({ day: dayParam().optional() }),
  async run(input, ctx) {
    const env = await toolEnv(ctx);
    const day = input.day ? env.day(input.day, "day") : await env.provider.latestKpiDay(env.clock.today);
    if (!day) throw new AppError("NOT_FOUND", "Данных KPI пока нет.");
    const rows = await env.provider.kpiDays(addDays(day, -7), day);
    const at = (d: LocalDay): KpiDay | null => rows.find((r) => r.day === d) ?? null;
    const kpi = at(day);
    if (!kpi) throw new AppError("NOT_FOUND", `Нет данных KPI за ${formatDay(day)}.`);
    const openDay: OpenDay = day === env.clock.today ? { day, at: env.clock.now.toISOString() } : null;
    const data: KpiSnapshotData = { day, openDay, kpi, prevDay: at(addDays(day, -1)), weekAgo: at(addDays(day, -7)) };
    return makeResult(ctx, env, data, { sources: [env.src("demo_kpi_daily")], window: { from: day, to: day } });
  },
  present: presentKpiSnapshot,
});

export type KpiWindow = { from: LocalDay; to: LocalDay; days: number; daysWithData: number; totals: KpiTotals };
export type KpiCompareData = {
  preset: "wow" | "mom" | "custom";
  openDay: OpenDay;
  a: KpiWindow;
  b: KpiWindow;
  delta: Record<"revenueGross" | "revenueNet" | "ordersPaid" | "ordersCreated" | "aov", { abs: number; pct: number | null }>;
};

const compareInput = z
  .object({
    preset: enumParam(["wow", "mom", "custom"]).default("wow"),
    days: intParam(1, 90).optional(),
    a_start: dayParam().optional(),
    a_end: dayParam().optional(),
    b_start: dayParam().optional(),
    b_end: dayParam().optional(),
  })
  .superRefine((v, c) => {
    if (v.preset !== "custom") return;
    for (const k of ["a_start", "a_end", "b_start", "b_end"] as const) {
      if (!v[k]) c.addIssue({ code: "custom", path: [k], message: "обязателен при preset=custom" });
    }
  });

function windowOf(from: LocalDay, to: LocalDay, rows: KpiDay[]): KpiWindow {
  const inside = rows.filter((r) => r.day >= from && r.day <= to);
  return { from, to, days: dayDiff(from, to) + 1, daysWithData: inside.length, totals: totalsOf(inside) };
}

export const kpiCompare = defineTool({
  name: "kpi_compare",
  version: "1.1",
  kind: "read",
  title: "Сравнение периодов",
  description: "Two periods side by side: week over week, month over month (A ends today, B just before it) or custom dates.",
  input: compareInput,
  async run(input, ctx) {
    const env = await toolEnv(ctx);
    let a: { from: LocalDay; to: LocalDay };
    let b: { from: LocalDay; to: LocalDay };
    if (input.preset === "custom") {
      a = { from: env.day(input.a_start ?? "", "a_start"), to: env.day(input.a_end ?? "", "a_end") };
      b = { from: env.day(input.b_start ?? "", "b_start"), to: env.day(input.b_end ?? "", "b_end") };
      for (const [name, w] of [
        ["a", a],
        ["b", b],
      ] as const) {
        if (w.from > w.to) {
          throw new AppError(
            "VALIDATION_ERROR",
            `Параметр ${name}_start: начало периода позже конца (${formatDay(w.from)} > ${formatDay(w.to)})`,
          );
        }
        if (dayDiff(w.from, w.to) + 1 > 366) throw new AppError("VALIDATION_ERROR", `Параметр ${name}_end: период длиннее 366 дней`);
      }
    } else {
      const days = input.days ?? (input.preset === "wow" ? 7 : 30);
      a = windowEnding(env.clock.today, days);
      b = windowEnding(addDays(a.from, -1), days);
    }
    const from = a.from < b.from ? a.from : b.from;
    const to = a.to > b.to ? a.to : b.to;
    const rows = await env.provider.kpiDays(from, to);
    const wa = windowOf(a.from, a.to, rows);
    const wb = windowOf(b.from, b.to, rows);
    const d = (k: keyof KpiTotals) => ({ abs: round2(wa.totals[k] - wb.totals[k]), pct: pctChange(wa.totals[k], wb.totals[k]) });
    const today = env.clock.today;
    const data: KpiCompareData = {
      preset: input.preset,
      openDay: wa.from <= today && today <= wa.to ? { day: today, at: env.clock.now.toISOString() } : null,
      a: wa,
      b: wb,
      delta: {
        revenueGross: d("revenueGross"),
        revenueNet: d("revenueNet"),
        ordersPaid: d("ordersPaid"),
        ordersCreated: d("ordersCreated"),
        aov: d("aov"),
      },
    };
    const warnings: ToolWarning[] = [];
    if (wa.daysWithData < wa.days)
      warnings.push(warning("WINDOW_A_MISSING_DAYS", `Период A: нет данных за ${wa.days - wa.daysWithData} дн.`));
    if (wb.daysWithData < wb.days)
      warnings.push(warning("WINDOW_B_MISSING_DAYS", `Период B: нет данных за ${wb.days - wb.daysWithData} дн.`));
    return makeResult(ctx, env, data, { sources: [env.src("demo_kpi_daily")], window: { from, to } }, warnings);
  },
  present: presentKpiCompare,
});

export type TrendData = {
  days: number;
  openDay: OpenDay;
  from: LocalDay;
  endDay: LocalDay;
  /** Every day of the window; days without a KPI row are zeros and counted in `missingDays`. */
  series: KpiDay[];
  missingDays: number;
  totals: KpiTotals;
  prev: { from: LocalDay; to: LocalDay; totals: KpiTotals } | null;
  deltaVsPrevWindow: { revenueGrossPct: number | null; revenueNetPct: number | null; ordersPaidPct: number | null } | null;
};

/** The reference capped days at 60, which broke its own 90-day template; a year is allowed here. */
export const TREND_MAX_DAYS = 365;

export const revenueTrend = defineTool({
  name: "revenue_trend",
  version: "1.1",
  kind: "read",
  title: "Динамика выручки",
  description: "Daily revenue and paid orders over N days ending on end_day, with totals and change vs the previous N days.",
  input: z.object({ days: intParam(1, TREND_MAX_DAYS).default(7), end_day: dayParam().optional() }),
  async run(input, ctx) {
    const env = await toolEnv(ctx);
    const end = input.end_day ? env.day(input.end_day, "end_day") : env.clock.today;
    const w = windowEnding(end, input.days);
    const prevW = windowEnding(addDays(w.from, -1), input.days);
    const rows = await env.provider.kpiDays(prevW.from, w.to);
    const byDay = new Map(rows.map((r) => [r.day, r]));
    const zero = (day: LocalDay): KpiDay => ({
      day,
      revenueGross: 0,
      revenueNet: 0,
      ordersPaid: 0,
      ordersCreated: 0,
      aov: 0,
      refundsCount: 0,
      refundsAmount: 0,
    });
    const series = eachDay(w.from, w.to).map((d) => byDay.get(d) ?? zero(d));
    const present = rows.filter((r) => r.day >= w.from);
    const prevRows = rows.filter((r) => r.day < w.from);
    const totals = totalsOf(present);
    const warnings: ToolWarning[] = [];
    const missingDays = input.days - present.length;
    if (missingDays > 0) warnings.push(warning("INSUFFICIENT_DATA", `Нет данных за ${missingDays} из ${input.days} дн.`));
    let prev: TrendData["prev"] = null;
    let delta: TrendData["deltaVsPrevWindow"] = null;
    if (prevRows.length < input.days) {
      warnings.push(warning("PREV_WINDOW_MISSING", "Нет полных данных за предыдущий период — сравнение не показано."));
    } else {
      const pt = totalsOf(prevRows);
      prev = { ...prevW, totals: pt };
      if (pt.revenueGross === 0 || pt.ordersPaid === 0) {
        warnings.push(warning("PREV_WINDOW_ZERO", "В предыдущем периоде нулевая выручка — процент изменения не считается."));
      } else {
        delta = {
          revenueGrossPct: pctChange(totals.revenueGross, pt.revenueGross),
          revenueNetPct: pctChange(totals.revenueNet, pt.revenueNet),
          ordersPaidPct: pctChange(totals.ordersPaid, pt.ordersPaid),
        };
      }
    }
    const openDay: OpenDay =
      w.from <= env.clock.today && env.clock.today <= w.to ? { day: env.clock.today, at: env.clock.now.toISOString() } : null;
    const data: TrendData = {
      days: input.days,
      openDay,
      from: w.from,
      endDay: end,
      series,
      missingDays,
      totals,
      prev,
      deltaVsPrevWindow: delta,
    };
    return makeResult(ctx, env, data, { sources: [env.src("demo_kpi_daily")], window: w }, warnings);
  },
  present: presentRevenueTrend,
});
