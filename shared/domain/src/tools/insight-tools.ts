import { z } from "zod";
import type { ToolWarning } from "../contract.ts";
import { addDays, dayRangeInstants, eachDay, windowEnding, type LocalDay } from "../format/dates.ts";
import { pctChange, round2 } from "../format/numbers.ts";
import { dayParam, enumParam, intParam, numParam } from "./params.ts";
import type { FunnelDay, KpiDay } from "./provider.ts";
import { defineTool } from "./registry.ts";
import { makeResult, toolEnv, warning } from "./runtime.ts";
import {
  FUNNEL_STAGES,
  type FunnelStage,
  type FunnelStageRow,
  type FunnelData,
  type RefundDay,
  type RefundsAnomaliesData,
} from "./results/insights.ts";

// The two tools the reference left as stubs: the conversion funnel and refund spikes.

const rate = (num: number, den: number): number | null => (den > 0 ? round2((num / den) * 100) : null);
const diff = (a: number | null, b: number | null): number | null => (a === null || b === null ? null : round2(a - b));

function sumStages(rows: FunnelDay[]): Record<FunnelStage, number> {
  const s = Object.fromEntries(FUNNEL_STAGES.map((k) => [k, 0])) as Record<FunnelStage, number>;
  for (const r of rows) for (const k of FUNNEL_STAGES) s[k] += r[k];
  return s;
}

export const funnelSnapshot = defineTool({
  name: "funnel_snapshot",
  version: "1.0",
  kind: "read",
  title: "Воронка продаж",
  description: "Visits → product views → cart → checkout → orders → paid over N days: step conversions and change vs the previous N days.",
  input: z.object({ days: intParam(1, 90).default(7), end_day: dayParam().optional() }),
  async run(input, ctx) {
    const env = await toolEnv(ctx);
    const end = input.end_day ? env.day(input.end_day, "end_day") : env.clock.today;
    const w = windowEnding(end, input.days);
    const pw = windowEnding(addDays(w.from, -1), input.days);
    const rows = await env.provider.funnelDays(pw.from, w.to);
    const cur = rows.filter((r) => r.day >= w.from);
    const prevRows = rows.filter((r) => r.day < w.from);
    const warnings: ToolWarning[] = [];
    if (cur.length < input.days)
      warnings.push(warning("INSUFFICIENT_DATA", `Нет данных воронки за ${input.days - cur.length} из ${input.days} дн.`));
    const hasPrev = prevRows.length === input.days;
    if (!hasPrev) warnings.push(warning("PREV_WINDOW_MISSING", "Нет полных данных за предыдущий период — изменения не показаны."));
    const a = sumStages(cur);
    const b = hasPrev ? sumStages(prevRows) : null;
    const stages = FUNNEL_STAGES.map((k, i): FunnelStageRow => {
      const up = i > 0 ? FUNNEL_STAGES[i - 1] : undefined;
      const r = up ? rate(a[k], a[up]) : null;
      const pr = up && b ? rate(b[k], b[up]) : null;
      return { stage: k, count: a[k], prevCount: b ? b[k] : null, ratePct: r, prevRatePct: pr, deltaPp: diff(r, pr) };
    });
    const overallRate = rate(a.ordersPaid, a.visits);
    const prevOverall = b ? rate(b.ordersPaid, b.visits) : null;
    let weakest: FunnelData["weakest"] = null;
    const steps = stages.slice(1).map((s, i) => ({ s, from: FUNNEL_STAGES[i] as FunnelStage }));
    const drops = steps.filter((x) => x.s.deltaPp !== null && x.s.deltaPp < 0).sort((x, y) => (x.s.deltaPp ?? 0) - (y.s.deltaPp ?? 0));
    const worstDrop = drops[0];
    if (worstDrop && worstDrop.s.ratePct !== null) {
      weakest = { from: worstDrop.from, to: worstDrop.s.stage, ratePct: worstDrop.s.ratePct, deltaPp: worstDrop.s.deltaPp, why: "drop" };
    } else {
      const lowest = steps.filter((x) => x.s.ratePct !== null).sort((x, y) => (x.s.ratePct ?? 0) - (y.s.ratePct ?? 0))[0];
      if (lowest && lowest.s.ratePct !== null) {
        weakest = { from: lowest.from, to: lowest.s.stage, ratePct: lowest.s.ratePct, deltaPp: lowest.s.deltaPp, why: "lowest" };
      }
    }
    const data: FunnelData = {
      days: input.days,
      ...w,
      prev: hasPrev ? pw : null,
      stages,
      overall: { ratePct: overallRate, prevRatePct: prevOverall, deltaPp: diff(overallRate, prevOverall) },
      weakest,
    };
    return makeResult(ctx, env, data, { sources: [env.src("demo_funnel_daily")], window: w }, warnings);
  },
});

/**
 * Products are ranked over the most recent month only: what is being returned now is what the owner
 * can act on, and walking every refunded order's items for a whole quarter costs more than the rest.
 */
export const PRODUCTS_DAYS = 30;

/** A baseline needs at least this many days, or the day is not judged. */
export const MIN_BASELINE_DAYS = 7;

/** Judges each day against the trailing `baselineDays` before it (z-score and ratio to the mean). */
export function scoreRefundDays(
  rows: KpiDay[],
  window: { from: LocalDay; to: LocalDay },
  p: { metric: "amount" | "count"; baselineDays: number; zThreshold: number; minRatio: number; minCount: number },
): RefundDay[] {
  const byDay = new Map(rows.map((r) => [r.day, r]));
  const val = (r: KpiDay): number => (p.metric === "amount" ? r.refundsAmount : r.refundsCount);
  return eachDay(window.from, window.to).map((day): RefundDay => {
    const r = byDay.get(day);
    const count = r?.refundsCount ?? 0;
    const amount = r?.refundsAmount ?? 0;
    const x = r ? val(r) : 0;
    const base: number[] = [];
    for (let i = p.baselineDays; i >= 1; i--) {
      const b = byDay.get(addDays(day, -i));
      if (b) base.push(val(b));
    }
    if (base.length < MIN_BASELINE_DAYS)
      return { day, count, amount, baselineMean: null, baselineStd: null, z: null, ratio: null, spike: false };
    const mean = base.reduce((s, v) => s + v, 0) / base.length;
    const std = Math.sqrt(base.reduce((s, v) => s + (v - mean) ** 2, 0) / base.length);
    const z = std > 0 ? (x - mean) / std : null;
    const ratio = mean > 0 ? x / mean : null;
    const unusual = z !== null ? z >= p.zThreshold : x > mean;
    const spike = count >= p.minCount && unusual && (ratio === null || ratio >= p.minRatio);
    return {
      day,
      count,
      amount,
      baselineMean: round2(mean),
      baselineStd: round2(std),
      z: z === null ? null : round2(z),
      ratio: ratio === null ? null : round2(ratio),
      spike,
    };
  });
}

export const refundsAnomalies = defineTool({
  name: "refunds_anomalies",
  version: "1.0",
  kind: "read",
  title: "Всплески возвратов",
  description: "Days whose refunds jump above the trailing baseline (z-score and ratio), with refund rate, top reasons and products.",
  input: z.object({
    days: intParam(7, 120).default(30),
    baseline_days: intParam(7, 90).default(28),
    metric: enumParam(["amount", "count"]).default("amount"),
    z_threshold: numParam(1, 10).default(2.5),
    min_ratio: numParam(1, 10).default(1.5),
    min_count: intParam(1, 1000).default(3),
  }),
  async run(input, ctx) {
    const env = await toolEnv(ctx);
    const w = windowEnding(env.clock.today, input.days);
    const pw = windowEnding(addDays(w.from, -1), input.days);
    const earliest = addDays(w.from, -Math.max(input.baseline_days, input.days));
    const rows = await env.provider.kpiDays(earliest, w.to);
    const p = {
      metric: input.metric,
      baselineDays: input.baseline_days,
      zThreshold: input.z_threshold,
      minRatio: input.min_ratio,
      minCount: input.min_count,
    };
    const series = scoreRefundDays(rows, w, p);
    const spikes = series.filter((d) => d.spike).sort((a, b) => (b.z ?? Infinity) - (a.z ?? Infinity) || b.day.localeCompare(a.day));
    const inW = rows.filter((r) => r.day >= w.from && r.day <= w.to);
    const inPrev = rows.filter((r) => r.day >= pw.from && r.day <= pw.to);
    const amount = round2(inW.reduce((s, r) => s + r.refundsAmount, 0));
    const gross = round2(inW.reduce((s, r) => s + r.revenueGross, 0));
    const prevAmount = inPrev.length === input.days ? round2(inPrev.reduce((s, r) => s + r.refundsAmount, 0)) : null;
    const range = dayRangeInstants(w.from, w.to, env.tz);
    const productsFrom = windowEnding(w.to, Math.min(PRODUCTS_DAYS, input.days)).from;
    const worst = spikes[0];
    const [reasons, products, spikeReasons] = await Promise.all([
      env.provider.refundBreakdown({ ...range, by: "reason", limit: 5 }),
      env.provider.refundBreakdown({ ...dayRangeInstants(productsFrom, w.to, env.tz), by: "product", limit: 5 }),
      worst
        ? env.provider.refundBreakdown({ ...dayRangeInstants(worst.day, worst.day, env.tz), by: "reason", limit: 3 })
        : Promise.resolve([]),
    ]);
    const warnings: ToolWarning[] = [];
    const unjudged = series.filter((d) => d.baselineMean === null).length;
    if (unjudged > 0)
      warnings.push(warning("INSUFFICIENT_BASELINE", `${unjudged} дн. без базы сравнения (нужно ≥ ${MIN_BASELINE_DAYS} дн. истории).`));
    const data: RefundsAnomaliesData = {
      days: input.days,
      ...w,
      metric: input.metric,
      baselineDays: input.baseline_days,
      zThreshold: input.z_threshold,
      minRatio: input.min_ratio,
      minCount: input.min_count,
      series,
      spikes: spikes.slice(0, 10),
      totals: {
        count: inW.reduce((s, r) => s + r.refundsCount, 0),
        amount,
        revenueGross: gross,
        refundRatePct: gross > 0 ? round2((amount / gross) * 100) : null,
        prevAmount,
        amountDeltaPct: prevAmount === null ? null : pctChange(amount, prevAmount),
      },
      reasons,
      products,
      productsFrom,
      spikeReasons,
    };
    return makeResult(
      ctx,
      env,
      data,
      { sources: [env.src("demo_kpi_daily"), env.src("demo_refunds"), env.src("demo_order_items")], window: w },
      warnings,
    );
  },
});
