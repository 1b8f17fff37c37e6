import type { ShopSettings, ToolResult } from "../contract.ts";
import type { TrendData } from "../tools/results/kpi.ts";
import type { KpiDay } from "../tools/provider.ts";
import { formatDateTime, formatDay, formatDayShort, formatPeriod } from "../format/dates.ts";
import { formatDelta, formatMoney, formatNumber } from "../format/numbers.ts";
import { countOf, ORDERS } from "../format/plural.ts";
import { sourceKinds } from "../quality/source-labels.ts";
import type { ChartSpec, KpiItem, ReportRequest } from "@ownerbot/core/queue";

// revenue_trend as a picture (the /trend command, «график выручки за 14 дней») or a PDF: gross
// revenue and paid orders per day on two axes, like the reference's chart, with the numbers of the
// text answer in the caption.

/**
 * The tool fills days without a KPI row with zeros; when it reports missing days, a day that is
 * zero in every measure is such a day and is drawn as a gap rather than as a collapse to zero.
 */
function looksMissing(d: KpiDay, anyMissing: boolean): boolean {
  return anyMissing && d.revenueGross === 0 && d.ordersPaid === 0 && d.ordersCreated === 0;
}

export function trendChart(d: TrendData, shop: ShopSettings): ChartSpec {
  const gap = d.missingDays > 0;
  const notes = [`Часовой пояс: ${shop.timeZone}`];
  if (d.openDay)
    notes.push(`${formatDayShort(d.openDay.day)} ещё не закончился: данные на ${formatDateTime(new Date(d.openDay.at), shop.timeZone)}`);
  if (gap) notes.push(`нет данных за ${d.missingDays} дн. (разрывы линий)`);
  return {
    type: "line",
    title: `Выручка и оплаченные заказы за ${d.days} дн.`,
    x: d.series.map((s) => s.day),
    series: [
      { name: "Выручка", unit: "money", axis: "left", values: d.series.map((s) => (looksMissing(s, gap) ? null : s.revenueGross)) },
      {
        name: "Оплаченные заказы",
        unit: "count",
        axis: "right",
        values: d.series.map((s) => (looksMissing(s, gap) ? null : s.ordersPaid)),
      },
    ],
    footnote: notes.join(" · "),
  };
}

/** "Выручка за 14 дн.: 1 234 567 ₽ ▲ +12,5 % · 10.11–23.11.2026 · Данные: демо" */
export function trendCaption(d: TrendData, shop: ShopSettings, sources: string[]): string {
  const delta = d.deltaVsPrevWindow ? ` ${formatDelta(d.deltaVsPrevWindow.revenueGrossPct, shop.locale)}` : "";
  return [
    `📈 Выручка за ${d.days} дн.: ${formatMoney(d.totals.revenueGross, shop, { whole: true })}${delta}`,
    `Оплачено: ${countOf(d.totals.ordersPaid, ORDERS, shop.locale)} · ${formatPeriod(d.from, d.endDay)}`,
    `Данные: ${sourceKinds(sources)} · ${shop.currency}`,
  ].join("\n");
}

function kpis(d: TrendData, shop: ShopSettings): KpiItem[] {
  const delta = d.deltaVsPrevWindow;
  const tone = (p: number | null | undefined): KpiItem["tone"] =>
    p === null || p === undefined ? undefined : p > 0 ? "up" : p < 0 ? "down" : "flat";
  const item = (label: string, value: string, pct?: number | null): KpiItem => {
    const t = tone(pct);
    return { label, value, ...(delta && pct !== undefined ? { delta: formatDelta(pct, shop.locale) } : {}), ...(t ? { tone: t } : {}) };
  };
  return [
    item("Выручка", formatMoney(d.totals.revenueGross, shop, { whole: true }), delta?.revenueGrossPct),
    item("Чистая выручка", formatMoney(d.totals.revenueNet, shop, { whole: true }), delta?.revenueNetPct),
    item("Оплаченные заказы", formatNumber(d.totals.ordersPaid, shop.locale), delta?.ordersPaidPct),
    item("Средний чек", formatMoney(d.totals.aov, shop, { whole: true }), delta?.aovPct),
  ];
}

/** The report request for a revenue_trend result: a photo of the chart, or a PDF with the daily table. */
export function trendReport(result: ToolResult<TrendData>, shop: ShopSettings, format: "png" | "pdf"): ReportRequest {
  const d = result.data;
  const shopAsOf = d.today?.at ?? d.openDay?.at;
  const chart = trendChart(d, shop);
  const caption = trendCaption(d, shop, result.provenance.sources);
  const m = (v: number): string => formatMoney(v, shop, { whole: true });
  const compare = d.prev ? [{ kind: "paragraph" as const, text: `Изменения — к периоду ${formatPeriod(d.prev.from, d.prev.to)}.` }] : [];
  return {
    format,
    filename: `revenue_trend_${d.days}d.${format}`,
    caption,
    doc: {
      title: `Выручка за ${d.days} дн.`,
      subtitle: formatPeriod(d.from, d.endDay),
      generatedAt: result.asOf,
      ...(shopAsOf ? { dataAsOf: shopAsOf } : {}),
      locale: shop.locale,
      currency: shop.currency,
      timeZone: shop.timeZone,
      blocks: [
        { kind: "kpis", items: kpis(d, shop) },
        ...compare,
        { kind: "chart", chart },
        { kind: "heading", text: "По дням" },
        {
          kind: "table",
          columns: ["День", "Выручка", "Чистая", "Оплачено", "Средний чек"],
          align: ["left", "right", "right", "right", "right"],
          rows: d.series.map((s) => [
            formatDay(s.day),
            m(s.revenueGross),
            m(s.revenueNet),
            formatNumber(s.ordersPaid, shop.locale),
            m(s.aov),
          ]),
        },
        { kind: "warnings", items: result.warnings.map((w) => w.message) },
      ],
      footer: `Период: ${formatPeriod(d.from, d.endDay)} · Данные: ${sourceKinds(result.provenance.sources)}`,
    },
  };
}
