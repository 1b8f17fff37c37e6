import type { ShopSettings } from "../contract.ts";
import { formatPeriod, type LocalDay } from "../format/dates.ts";
import { formatDelta, formatNumber } from "../format/numbers.ts";
import { sourceKinds } from "../quality/source-labels.ts";
import type { ChartSpec, KpiItem } from "@ownerbot/core/queue";
import type { TrendData } from "../tools/results/kpi.ts";

// Small pieces the digest, weekly and ops documents share.

export function toneOf(pct: number | null | undefined): KpiItem["tone"] {
  if (pct === null || pct === undefined) return undefined;
  return pct > 0.05 ? "up" : pct < -0.05 ? "down" : "flat";
}

export function kpi(label: string, value: string, pct?: number | null, locale = "ru-RU"): KpiItem {
  const item: KpiItem = { label, value };
  if (pct !== undefined) {
    item.delta = formatDelta(pct, locale);
    const tone = toneOf(pct);
    if (tone) item.tone = tone;
  }
  return item;
}

/** A count, or "н/д" when that part could not be read. */
export function countText(n: number | null, locale: string, capped = false): string {
  if (n === null) return "н/д";
  return `${formatNumber(n, locale)}${capped ? "+" : ""}`;
}

/** Net revenue per day (and paid orders on the right axis when asked) from revenue_trend's series. */
export function trendChart(trend: TrendData, title: string, opts: { orders?: boolean; tz: string }): ChartSpec {
  const chart: ChartSpec = {
    type: "line",
    title,
    x: trend.series.map((d) => d.day),
    series: [{ name: "Чистая выручка", unit: "money", axis: "left", values: trend.series.map((d) => d.revenueNet) }],
    footnote: `Дни по часовому поясу ${opts.tz}`,
  };
  if (opts.orders)
    chart.series.push({ name: "Оплаченные заказы", unit: "count", axis: "right", values: trend.series.map((d) => d.ordersPaid) });
  if (trend.series.every((d) => d.revenueNet === 0 && d.ordersPaid === 0)) chart.footnote = "Нет данных за период";
  return chart;
}

/** "Период: 17.11–23.11.2026 · Данные: демо". */
export function periodFooter(from: LocalDay, to: LocalDay, sources: Iterable<string>): string {
  return `Период: ${formatPeriod(from, to)} · Данные: ${sourceKinds([...sources])}`;
}

/**
 * The document's common fields: made now (the wall clock), numbers as of the shop's clock `asOf`
 * (the demo clock in DEMO), so every PDF says «Сформировано» the same way.
 */
export function docBase(now: Date, asOf: Date, shop: ShopSettings, tz: string) {
  return { generatedAt: now.toISOString(), dataAsOf: asOf.toISOString(), locale: shop.locale, currency: shop.currency, timeZone: tz };
}
