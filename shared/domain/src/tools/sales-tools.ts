import { z } from "zod";
import type { ToolWarning } from "../contract.ts";
import { windowEnding, type LocalDay } from "../format/dates.ts";
import { round2 } from "../format/numbers.ts";
import { confidence, dailyRate, reorderLine, type ForecastMethod } from "./forecast.ts";
import { boolParam, enumParam, intParam, numParam, offsetParam } from "./params.ts";
import type { ProductDemand } from "./provider.ts";
import { lastFullDay } from "./kpi-days.ts";
import { defineTool } from "./registry.ts";
import { makeResult, toolEnv, warning, type ToolEnv } from "./runtime.ts";
import type { TopProductsData, DemandRow, DemandForecastData, ReorderItem, ReorderPlanData } from "./results/sales.ts";

// What sells: ranked products or categories, and the demand forecast with the reorder plan built on it.

export const topProducts = defineTool({
  name: "top_products",
  version: "1.1",
  kind: "read",
  title: "Топ товаров",
  description:
    "Best or worst sellers (by item value at list price or units, per product or category) over the last N full days of paid orders.",
  input: z.object({
    days: intParam(1, 365).default(7),
    metric: enumParam(["revenue", "qty"]).default("revenue"),
    direction: enumParam(["top", "bottom"]).default("top"),
    group_by: enumParam(["product", "category"]).default("product"),
    limit: intParam(1, 30).default(10),
    offset: offsetParam(),
  }),
  async run(input, ctx) {
    const env = await toolEnv(ctx);
    // Full days, as revenue_trend counts them: the same "7 days" in both answers.
    const w = windowEnding(lastFullDay(env), input.days);
    const r = await env.provider.salesRanking({
      ...w,
      groupBy: input.group_by,
      metric: input.metric,
      direction: input.direction,
      limit: input.limit,
      offset: input.offset,
    });
    const base = input.metric === "revenue" ? r.totals.revenue : r.totals.qty;
    const data: TopProductsData = {
      days: input.days,
      metric: input.metric,
      direction: input.direction,
      groupBy: input.group_by,
      offset: input.offset,
      rows: r.rows.map((row, i) => ({
        ...row,
        rank: input.offset + i + 1,
        sharePct: base > 0 ? round2(((input.metric === "revenue" ? row.revenue : row.qty) / base) * 100) : 0,
      })),
      totals: r.totals,
    };
    const warnings: ToolWarning[] = r.totals.keys === 0 ? [warning("NO_DATA", "За период нет оплаченных продаж.")] : [];
    return makeResult(ctx, env, data, { sources: [env.src("demo_product_sales_daily"), env.src("demo_products")], window: w }, warnings);
  },
});

const demandParams = {
  history_days: intParam(7, 120).default(30),
  method: enumParam(["sma", "ses"]).default("sma"),
  window_days: intParam(3, 60).default(14),
  alpha: numParam(0.05, 0.95).default(0.35),
  include_categories: z
    .preprocess(
      (v) =>
        typeof v === "string"
          ? v
              .split(",")
              .map((s) => s.trim())
              .filter(Boolean)
          : v,
      z.array(z.string().min(1)).max(50),
    )
    .optional(),
  offset: offsetParam(),
};

type DemandQuery = { historyDays: number; method: ForecastMethod; windowDays: number; alpha: number; categories?: string[] };

/** The forecast parameters both demand tools share, as the provider wants them. */
function demandQuery(input: {
  history_days: number;
  method: DemandQuery["method"];
  window_days: number;
  alpha: number;
  include_categories?: string[] | undefined;
}): DemandQuery {
  return {
    historyDays: input.history_days,
    method: input.method,
    windowDays: input.window_days,
    alpha: input.alpha,
    ...(input.include_categories ? { categories: input.include_categories } : {}),
  };
}

async function demandRows(
  env: ToolEnv,
  q: DemandQuery,
): Promise<{ rows: DemandRow[]; window: { from: LocalDay; to: LocalDay }; warnings: ToolWarning[] }> {
  // Full days only: today's few hours would read as a slow day and pull every forecast down.
  const window = windowEnding(lastFullDay(env), q.historyDays);
  const stats: ProductDemand[] = await env.provider.demandStats({
    ...window,
    windowDays: q.windowDays,
    ...(q.method === "ses" ? { alpha: q.alpha } : {}),
    ...(q.categories ? { categories: q.categories } : {}),
  });
  const rows = stats.map((p): DemandRow => ({
    productId: p.productId,
    title: p.title,
    category: p.category,
    stockQty: p.stockQty,
    avgDaily: p.totalQty / q.historyDays,
    forecastDaily: dailyRate(p, q),
    nonzeroDays: p.saleDays,
    confidence: confidence(q.historyDays, p.saleDays),
  }));
  const warnings: ToolWarning[] = [];
  if (q.method === "sma" && q.windowDays > q.historyDays) {
    warnings.push(warning("WINDOW_CLIPPED", `Окно ${q.windowDays} дн. длиннее истории — среднее взято за ${q.historyDays} дн.`));
  }
  if (rows.length === 0) warnings.push(warning("NO_DATA", "За период истории нет продаж."));
  return { rows, window, warnings };
}

export const demandForecast = defineTool({
  name: "demand_forecast",
  version: "1.0",
  kind: "read",
  title: "Прогноз спроса",
  description: "Units each product is expected to sell over the next horizon_days (SMA or SES over daily paid sales).",
  input: z.object({ horizon_days: intParam(1, 60).default(7), ...demandParams, limit: intParam(1, 50).default(10) }),
  async run(input, ctx) {
    const env = await toolEnv(ctx);
    const q = demandQuery(input);
    const { rows, window, warnings } = await demandRows(env, q);
    const ranked = rows
      .map((r) => {
        const forecastTotal = round2(r.forecastDaily * input.horizon_days);
        const notes: string[] = [];
        if (r.confidence === "LOW") notes.push("мало истории продаж");
        if (r.forecastDaily === 0) notes.push("в последнее время не продавался");
        if (forecastTotal > r.stockQty) notes.push("запаса не хватит на горизонт");
        return { ...r, forecastTotal, notes };
      })
      .sort((a, b) => b.forecastTotal - a.forecastTotal || a.productId.localeCompare(b.productId));
    const data: DemandForecastData = {
      horizonDays: input.horizon_days,
      historyDays: input.history_days,
      method: input.method,
      total: ranked.length,
      offset: input.offset,
      items: ranked.slice(input.offset, input.offset + input.limit),
    };
    return makeResult(
      ctx,
      env,
      data,
      { sources: [env.src("demo_product_sales_daily"), env.src("demo_products")], window, filters: q },
      warnings,
    );
  },
});

export const reorderPlan = defineTool({
  name: "reorder_plan",
  version: "1.0",
  kind: "read",
  title: "План закупки",
  description:
    "Which products to reorder and how many: reorder point f·(lead+safety), cover days, recommended quantity; only those to reorder unless only_needed=false.",
  input: z.object({
    horizon_days: intParam(1, 90).default(14),
    ...demandParams,
    lead_time_days: intParam(1, 90).default(14),
    safety_stock_days: intParam(0, 90).default(7),
    only_needed: boolParam().default(true),
    limit: intParam(1, 100).default(20),
  }),
  async run(input, ctx) {
    const env = await toolEnv(ctx);
    const q = demandQuery(input);
    const { rows, window, warnings } = await demandRows(env, q);
    const p = { leadDays: input.lead_time_days, safetyDays: input.safety_stock_days, horizonDays: input.horizon_days };
    const items = rows
      .filter((r) => r.forecastDaily > 0)
      .map((r): ReorderItem => ({ ...r, ...reorderLine(r.forecastDaily, r.stockQty, p) }))
      .sort(
        (a, b) =>
          Number(b.needed) - Number(a.needed) ||
          (a.coverDays ?? Infinity) - (b.coverDays ?? Infinity) ||
          a.productId.localeCompare(b.productId),
      );
    const shown = input.only_needed ? items.filter((i) => i.needed) : items;
    const data: ReorderPlanData = {
      horizonDays: input.horizon_days,
      leadTimeDays: input.lead_time_days,
      safetyStockDays: input.safety_stock_days,
      method: input.method,
      total: items.length,
      neededCount: items.filter((i) => i.needed).length,
      onlyNeeded: input.only_needed,
      listed: shown.length,
      offset: input.offset,
      items: shown.slice(input.offset, input.offset + input.limit),
    };
    return makeResult(
      ctx,
      env,
      data,
      { sources: [env.src("demo_product_sales_daily"), env.src("demo_products")], window, filters: { ...q, ...p } },
      warnings,
    );
  },
});
