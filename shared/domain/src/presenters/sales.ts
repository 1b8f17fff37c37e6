import type { Reply, ToolContext, ToolResult } from "../contract.ts";
import { formatPeriod } from "../format/dates.ts";
import { formatNumber, NBSP } from "../format/numbers.ts";
import { countOf, DAYS, ITEMS, PIECES } from "../format/plural.ts";
import { truncate } from "../format/text.ts";
import type { DemandForecastData, ReorderPlanData, TopProductsData } from "../tools/results/sales.ts";
import { blocks, footer, money, pageSizeOf, resultPager, toolButton } from "./common.ts";

function historyLabel(result: ToolResult): string | undefined {
  const w = result.provenance.window;
  return w ? `История продаж: ${formatPeriod(w.from, w.to)}` : undefined;
}

const CONF_RU = { HIGH: "высокая", MED: "средняя", LOW: "низкая" } as const;

export function presentTopProducts(result: ToolResult<TopProductsData>, ctx: ToolContext): Reply[] {
  const d = result.data;
  const loc = ctx.shop.locale;
  const what = d.groupBy === "category" ? "категории" : "товары";
  const by = d.metric === "revenue" ? "по сумме продаж" : "по штукам";
  const title = `${d.direction === "top" ? "🏆 Лучшие" : "🐢 Отстающие"} ${what} ${by} за ${countOf(d.days, DAYS)}`;
  const size = pageSizeOf(result);
  const rows = d.rows.slice(0, size).map((r) => {
    const main = d.metric === "revenue" ? money(r.revenue, ctx.shop, true) : `${formatNumber(r.qty, loc)}${NBSP}шт`;
    const second = d.metric === "revenue" ? `${formatNumber(r.qty, loc)}${NBSP}шт` : money(r.revenue, ctx.shop, true);
    return `${r.rank}. ${truncate(r.title, 40)} — ${main} · ${second} · ${formatNumber(r.sharePct, loc, 1)}${NBSP}%`;
  });
  const summary =
    d.totals.keys === 0
      ? "Продаж за период нет."
      : [
          `Всего по ценам товаров: ${money(d.totals.revenue, ctx.shop, true)} · ${formatNumber(d.totals.qty, loc)}${NBSP}шт · ${d.groupBy === "category" ? `${d.totals.keys} кат.` : countOf(d.totals.keys, ITEMS)}`,
          // Product sales are qty × price; coupons discount whole orders, so revenue is lower by them.
          "Суммы — по ценам товаров, до скидок по купонам; выручка за те же дни меньше на эти скидки.",
        ];
  const note = d.direction === "bottom" ? "Среди товаров, которые продавались за период." : "";
  const flip = d.direction === "top" ? "bottom" : "top";
  return [
    {
      text: blocks(title, summary, rows, note, footer(result)),
      buttons: [
        ...resultPager(result, "top_products", { offset: d.offset, pageSize: size, total: d.totals.keys }),
        [
          toolButton(d.metric === "revenue" ? "По штукам" : "По выручке", "top_products", {
            ...result.input,
            metric: d.metric === "revenue" ? "qty" : "revenue",
            offset: 0,
          }),
          toolButton(flip === "bottom" ? "Отстающие" : "Лучшие", "top_products", { ...result.input, direction: flip, offset: 0 }),
          toolButton(d.groupBy === "product" ? "Категории" : "Товары", "top_products", {
            ...result.input,
            group_by: d.groupBy === "product" ? "category" : "product",
            offset: 0,
          }),
        ],
      ],
    },
  ];
}

const num1 = (v: number, loc: string): string => formatNumber(v, loc, 1);

export function presentDemandForecast(result: ToolResult<DemandForecastData>, ctx: ToolContext): Reply[] {
  const d = result.data;
  const loc = ctx.shop.locale;
  const size = pageSizeOf(result);
  const rows = d.items.slice(0, size).map((r, i) => {
    const notes = r.notes.length > 0 ? ` (${r.notes.join(", ")})` : "";
    // Units are whole: a forecast of 11,5 шт reads as ≈ 12.
    return `${d.offset + i + 1}. ${truncate(r.title, 36)} — ≈${NBSP}${countOf(Math.round(r.forecastTotal), PIECES)} (${num1(r.forecastDaily, loc)} в день) · склад ${formatNumber(r.stockQty, loc)} · точность ${CONF_RU[r.confidence]}${notes}`;
  });
  const method = d.method === "ses" ? "экспоненциальное сглаживание" : "скользящее среднее";
  return [
    {
      text: blocks(
        `🔮 Прогноз продаж на ${countOf(d.horizonDays, DAYS)}`,
        d.total === 0 ? "Продаж в истории нет — прогнозировать нечего." : `Товаров с продажами: ${formatNumber(d.total, loc)}`,
        rows,
        `Метод: ${method}, история ${countOf(d.historyDays, DAYS)}.`,
        footer(result, { periodLabel: historyLabel(result) }),
      ),
      buttons: [
        ...resultPager(result, "demand_forecast", { offset: d.offset, pageSize: size, total: d.total }),
        [toolButton("📦 План закупки", "reorder_plan", {})],
      ],
    },
  ];
}

export function presentReorderPlan(result: ToolResult<ReorderPlanData>, ctx: ToolContext): Reply[] {
  const d = result.data;
  const loc = ctx.shop.locale;
  const size = pageSizeOf(result);
  const rows = d.items.slice(0, size).map((r, i) => {
    const mark = r.needed ? "🔴" : "🟢";
    const stock =
      r.stockQty <= 0
        ? "нет на складе"
        : `склад ${formatNumber(r.stockQty, loc)}, хватит на ${r.coverDays === null ? "—" : `${num1(r.coverDays, loc)}${NBSP}дн.`}`;
    const order = r.needed && r.recommendedQty > 0 ? `заказать ${countOf(r.recommendedQty, PIECES)}` : "хватает";
    return `${mark} ${d.offset + i + 1}. ${truncate(r.title, 36)} — ${order} · ${stock} · ${num1(r.forecastDaily, loc)} в день`;
  });
  const head =
    d.total === 0
      ? "Продаж в истории нет — заказывать нечего."
      : d.neededCount > 0
        ? `Пора заказать: ${countOf(d.neededCount, ITEMS)} из ${formatNumber(d.total, loc)} с продажами`
        : `Все ${countOf(d.total, ITEMS)} с запасом выше точки заказа — заказывать пока нечего.`;
  const toggle =
    d.total === 0
      ? []
      : d.onlyNeeded
        ? d.total > d.neededCount
          ? [toolButton(`📋 Все ${formatNumber(d.total, loc)}`, "reorder_plan", { ...result.input, only_needed: false, offset: 0 })]
          : []
        : [toolButton("🔴 Только к заказу", "reorder_plan", { ...result.input, only_needed: true, offset: 0 })];
  return [
    {
      text: blocks(
        "📦 План закупки",
        head,
        rows,
        `Поставка ${countOf(d.leadTimeDays, DAYS)} + страховой запас ${countOf(d.safetyStockDays, DAYS)}, заказ на ${countOf(d.horizonDays, DAYS)} вперёд.`,
        footer(result, { periodLabel: historyLabel(result) }),
      ),
      buttons: [
        ...resultPager(result, "reorder_plan", { offset: d.offset, pageSize: size, total: d.listed }),
        [...toggle, toolButton("🔮 Прогноз спроса", "demand_forecast", {})],
      ],
    },
  ];
}
