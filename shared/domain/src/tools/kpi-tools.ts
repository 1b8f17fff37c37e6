import { z } from "zod";
import { AppError } from "@ownerbot/core/errors";
import { addDays, dayDiff, eachDay, formatDay, windowEnding, type LocalDay } from "../format/dates.ts";
import { pctChange, round2 } from "../format/numbers.ts";
import type { ToolWarning } from "../contract.ts";
import { dayParam, enumParam, intParam } from "./params.ts";
import type { KpiDay } from "./provider.ts";
import { lastFullDay, sameHoursOf, totalsOf, withCounterpartCut, zeroDay, type KpiTotals, type OpenDay } from "./kpi-days.ts";
import { defineTool } from "./registry.ts";
import { makeResult, toolEnv, warning } from "./runtime.ts";
import type { KpiSnapshotData, KpiWindow, KpiCompareData, TrendData } from "./results/kpi.ts";

// shared/reports/src still reads the trend type from here.

// KPI tools over the daily rollup: one day, two windows side by side, and a trend.

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
    const open = day === env.clock.today;
    const openDay: OpenDay = open ? { day, at: env.clock.now.toISOString(), sameHours: true } : null;
    // Today so far against the same hours of the day before and of a week ago, never whole days.
    const before = async (d: LocalDay): Promise<KpiDay | null> => (at(d) === null ? null : open ? sameHoursOf(env, d) : at(d));
    const [prevDay, weekAgo] = await Promise.all([before(addDays(day, -1)), before(addDays(day, -7))]);
    const data: KpiSnapshotData = { day, openDay, kpi, prevDay, weekAgo };
    return makeResult(ctx, env, data, { sources: [env.src("demo_kpi_daily")], window: { from: day, to: day } });
  },
});

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
  description:
    "Two periods side by side: week over week, month over month (A = the last full days, B just before it) or custom dates (A the later).",
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
      // "Было" is the earlier period: the later one is compared with it, whichever was named first.
      if (b.from > a.to) [a, b] = [b, a];
    } else {
      const days = input.days ?? (input.preset === "wow" ? 7 : 30);
      a = windowEnding(lastFullDay(env), days);
      b = windowEnding(addDays(a.from, -1), days);
    }
    const from = a.from < b.from ? a.from : b.from;
    const to = a.to > b.to ? a.to : b.to;
    let rows = await env.provider.kpiDays(from, to);
    const today = env.clock.today;
    const open = a.from <= today && today <= a.to;
    // A period ending today (custom dates) is set against B with B's last day cut to the same hours.
    const sameHours = open && a.to === today && b.to < a.from;
    if (sameHours) rows = await withCounterpartCut(env, rows, b.to);
    const wa = windowOf(a.from, a.to, rows);
    const wb = windowOf(b.from, b.to, rows);
    const d = (k: keyof KpiTotals) => ({ abs: round2(wa.totals[k] - wb.totals[k]), pct: pctChange(wa.totals[k], wb.totals[k]) });
    const data: KpiCompareData = {
      preset: input.preset,
      openDay: open ? { day: today, at: env.clock.now.toISOString(), sameHours } : null,
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
});

/** The reference capped days at 60, which broke its own 90-day template; a year is allowed here. */
export const TREND_MAX_DAYS = 365;

export const revenueTrend = defineTool({
  name: "revenue_trend",
  version: "1.1",
  kind: "read",
  title: "Динамика выручки",
  description:
    "Daily revenue and paid orders over N days ending on end_day (default: the last full day, yesterday), with totals and change vs the previous N days.",
  input: z.object({ days: intParam(1, TREND_MAX_DAYS).default(7), end_day: dayParam().optional() }),
  async run(input, ctx) {
    const env = await toolEnv(ctx);
    const today = env.clock.today;
    const end = input.end_day ? env.day(input.end_day, "end_day") : lastFullDay(env);
    const w = windowEnding(end, input.days);
    const prevW = windowEnding(addDays(w.from, -1), input.days);
    let rows = await env.provider.kpiDays(prevW.from, input.end_day ? w.to : today);
    const todayRow = input.end_day ? null : (rows.find((r) => r.day === today) ?? null);
    rows = rows.filter((r) => r.day <= w.to);
    // A window asked to end today meets the previous window's last day cut to the same hours.
    const sameHours = w.to === today;
    if (sameHours) rows = await withCounterpartCut(env, rows, prevW.to);
    const byDay = new Map(rows.map((r) => [r.day, r]));
    const series = eachDay(w.from, w.to).map((d) => byDay.get(d) ?? zeroDay(d));
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
          aovPct: pctChange(totals.aov, pt.aov),
        };
      }
    }
    const at = env.clock.now.toISOString();
    const openDay: OpenDay = w.from <= today && today <= w.to ? { day: today, at, sameHours } : null;
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
      today: todayRow ? { day: today, at, kpi: todayRow } : null,
    };
    return makeResult(ctx, env, data, { sources: [env.src("demo_kpi_daily")], window: w }, warnings);
  },
});
