import type { Reply, ShopSettings, ToolContext, ToolResult } from "../contract.ts";
import { addDays, formatDateTime, formatDay, formatDayShort, formatPeriod, isoWeekday, type LocalDay } from "../format/dates.ts";
import { formatDelta, formatNumber, pctChange } from "../format/numbers.ts";
import { countOf, ORDERS, REFUNDS } from "../format/plural.ts";
import type { KpiDay } from "../tools/provider.ts";
import type { KpiCompareData, KpiSnapshotData, KpiTotals, OpenDay, TrendData } from "../tools/results/kpi.ts";
import { blocks, footer, money, toolButton } from "./common.ts";

const WEEKDAYS = ["пн", "вт", "ср", "чт", "пт", "сб", "вс"];
export const weekdayRu = (d: LocalDay): string => WEEKDAYS[isoWeekday(d) - 1] ?? "";

/** "18:00" of an ISO instant in the shop's zone. */
export function clockTime(at: string, ctx: ToolContext): string {
  return formatDateTime(new Date(at), ctx.shop.timeZone).split(", ")[1] ?? "";
}

/** "Сегодня день ещё идёт: данные на 18:00." — so a half day is not read as a slump. */
export function openDayNote(open: OpenDay, ctx: ToolContext): string {
  if (!open) return "";
  const hm = clockTime(open.at, ctx);
  const same = open.sameHours ? ` Сравнение — за те же часы (до ${hm}).` : "";
  return `⏱ ${formatDayShort(open.day)} ещё не закончился: данные на ${hm}.${same}`;
}

function vs(cur: number, prev: number | undefined | null, locale: string): string {
  if (prev === undefined || prev === null) return "";
  return ` ${formatDelta(pctChange(cur, prev), locale)}`;
}

export function presentKpiSnapshot(result: ToolResult<KpiSnapshotData>, ctx: ToolContext): Reply[] {
  const { day, kpi, prevDay, weekAgo } = result.data;
  const shop = ctx.shop;
  const loc = shop.locale;
  const lines = [
    `Выручка: ${money(kpi.revenueGross, shop, true)}${vs(kpi.revenueGross, prevDay?.revenueGross, loc)}`,
    `Чистая (после возвратов): ${money(kpi.revenueNet, shop, true)}`,
    `Оплачено: ${countOf(kpi.ordersPaid, ORDERS)}${vs(kpi.ordersPaid, prevDay?.ordersPaid, loc)} · создано ${formatNumber(kpi.ordersCreated, loc)}`,
    `Средний чек: ${money(kpi.aov, shop, true)}`,
  ];
  if (kpi.refundsCount > 0) lines.push(`Возвраты: ${countOf(kpi.refundsCount, REFUNDS)} на ${money(kpi.refundsAmount, shop, true)}`);
  const compare: string[] = [];
  const open = result.data.openDay;
  // Today is compared with the same hours of those days, and the text says up to when.
  const until = open ? ` до ${clockTime(open.at, ctx)}` : "";
  if (prevDay) compare.push(`▲▼ — к предыдущему дню, ${formatDayShort(prevDay.day)} (${weekdayRu(prevDay.day)})${until}.`);
  if (weekAgo) {
    compare.push(
      `К ${formatDayShort(weekAgo.day)} (${weekdayRu(weekAgo.day)})${until}: выручка ${formatDelta(pctChange(kpi.revenueGross, weekAgo.revenueGross), loc)}, заказы ${formatDelta(pctChange(kpi.ordersPaid, weekAgo.ordersPaid), loc)}`,
    );
  }
  return [
    {
      text: blocks(
        `📊 KPI за ${formatDay(day)} (${weekdayRu(day)})`,
        lines,
        compare,
        open ? `⏱ ${formatDayShort(day)} ещё не закончился: данные на ${clockTime(open.at, ctx)}.` : "",
        footer(result, { period: false }),
      ),
      buttons: [
        [
          toolButton("◀️ Предыдущий день", "kpi_snapshot", { day: addDays(day, -1) }),
          toolButton("📈 7 дней", "revenue_trend", { days: 7, end_day: day }),
        ],
      ],
    },
  ];
}

function totalsLines(a: KpiTotals, b: KpiTotals, shop: ShopSettings): string[] {
  const loc = shop.locale;
  return [
    `Выручка: ${money(a.revenueGross, shop, true)} ${formatDelta(pctChange(a.revenueGross, b.revenueGross), loc)} (было ${money(b.revenueGross, shop, true)})`,
    `Чистая: ${money(a.revenueNet, shop, true)} ${formatDelta(pctChange(a.revenueNet, b.revenueNet), loc)} (было ${money(b.revenueNet, shop, true)})`,
    `Оплачено: ${countOf(a.ordersPaid, ORDERS)} ${formatDelta(pctChange(a.ordersPaid, b.ordersPaid), loc)} (было ${formatNumber(b.ordersPaid, loc)})`,
    `Создано: ${formatNumber(a.ordersCreated, loc)} ${formatDelta(pctChange(a.ordersCreated, b.ordersCreated), loc)} (было ${formatNumber(b.ordersCreated, loc)})`,
    `Средний чек: ${money(a.aov, shop, true)} ${formatDelta(pctChange(a.aov, b.aov), loc)} (было ${money(b.aov, shop, true)})`,
  ];
}

export function presentKpiCompare(result: ToolResult<KpiCompareData>, ctx: ToolContext): Reply[] {
  const { preset, a, b } = result.data;
  const title =
    preset === "wow" && a.days === 7
      ? "Неделя к неделе"
      : preset === "mom" && a.days === 30
        ? "30 дней к предыдущим 30"
        : `${formatPeriod(a.from, a.to)} к ${formatPeriod(b.from, b.to)}`;
  const period = `A: ${formatPeriod(a.from, a.to)} · B: ${formatPeriod(b.from, b.to)}`;
  return [
    {
      text: blocks(
        `⚖️ ${title}`,
        totalsLines(a.totals, b.totals, ctx.shop),
        openDayNote(result.data.openDay, ctx),
        footer(result, { periodLabel: period }),
      ),
      buttons: [
        [
          toolButton("Неделя", "kpi_compare", { preset: "wow" }),
          toolButton("Месяц", "kpi_compare", { preset: "mom" }),
          toolButton("📈 Тренд", "revenue_trend", { days: preset === "wow" ? 14 : 60 }),
        ],
      ],
    },
  ];
}

type Bucket = { label: string; gross: number; paid: number };

/** Days for short windows, weeks (ending on the last day) up to ten weeks, calendar months beyond. */
export function trendBuckets(series: KpiDay[]): Bucket[] {
  if (series.length <= 10) {
    return series.map((d) => ({ label: `${formatDayShort(d.day)} ${weekdayRu(d.day)}`, gross: d.revenueGross, paid: d.ordersPaid }));
  }
  const out: Bucket[] = [];
  if (series.length <= 70) {
    for (let end = series.length; end > 0; end -= 7) {
      const chunk = series.slice(Math.max(0, end - 7), end);
      const first = chunk[0];
      const last = chunk[chunk.length - 1];
      if (!first || !last) continue;
      out.unshift({
        label: `${formatDayShort(first.day)}–${formatDayShort(last.day)}`,
        gross: chunk.reduce((s, d) => s + d.revenueGross, 0),
        paid: chunk.reduce((s, d) => s + d.ordersPaid, 0),
      });
    }
    return out;
  }
  const months = new Map<string, Bucket>();
  for (const d of series) {
    const key = d.day.slice(0, 7);
    const b = months.get(key) ?? { label: `${key.slice(5, 7)}.${key.slice(0, 4)}`, gross: 0, paid: 0 };
    b.gross += d.revenueGross;
    b.paid += d.ordersPaid;
    months.set(key, b);
  }
  return [...months.values()];
}

export function presentRevenueTrend(result: ToolResult<TrendData>, ctx: ToolContext): Reply[] {
  const d = result.data;
  const shop = ctx.shop;
  const loc = shop.locale;
  const t = d.totals;
  const delta = d.deltaVsPrevWindow;
  const head = [
    `Выручка: ${money(t.revenueGross, shop, true)}${delta ? ` ${formatDelta(delta.revenueGrossPct, loc)}` : ""}`,
    `Чистая: ${money(t.revenueNet, shop, true)}${delta ? ` ${formatDelta(delta.revenueNetPct, loc)}` : ""}`,
    `Оплачено: ${countOf(t.ordersPaid, ORDERS)}${delta ? ` ${formatDelta(delta.ordersPaidPct, loc)}` : ""} · средний чек ${money(t.aov, shop, true)}`,
    `В среднем за день: ${money(t.revenueGross / d.days, shop, true)}`,
  ];
  if (delta && d.prev) head.push(`Сравнение с ${formatPeriod(d.prev.from, d.prev.to)}`);
  const best = d.series.reduce<KpiDay | null>((m, x) => (m === null || x.revenueGross > m.revenueGross ? x : m), null);
  if (best && d.days > 1 && best.revenueGross > 0)
    head.push(`Лучший день: ${formatDay(best.day)} — ${money(best.revenueGross, shop, true)}`);
  // No text bars: Telegram draws the text in a proportional font, where ▇ runs do not line up.
  const rows = trendBuckets(d.series).map((b) => `${b.label} — ${money(b.gross, shop, true)} · ${countOf(b.paid, ORDERS)}`);
  const today = d.today
    ? `⏱ Сегодня, ${formatDayShort(d.today.day)}, в период не входит — день ещё идёт. К ${clockTime(d.today.at, ctx)}: ${money(d.today.kpi.revenueGross, shop, true)} · ${countOf(d.today.kpi.ordersPaid, ORDERS)}.`
    : "";
  return [
    {
      text: blocks(`📈 Выручка за ${d.days} дн.`, head, rows, openDayNote(d.openDay, ctx), today, footer(result)),
      buttons: [
        [7, 30, 90]
          .filter((n) => n !== d.days)
          .map((n) => toolButton(`${n} дней`, "revenue_trend", { days: n, end_day: d.endDay }))
          .concat([toolButton("⚖️ Сравнить", "kpi_compare", { preset: d.days >= 30 ? "mom" : "wow" })]),
      ],
    },
  ];
}
