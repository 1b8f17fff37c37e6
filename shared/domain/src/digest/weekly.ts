import type { ToolContext } from "../contract.ts";
import { addDays, formatDateTime, formatDay, formatPeriod, type LocalDay } from "../format/dates.ts";
import { formatDelta, formatNumber, formatPercent } from "../format/numbers.ts";
import { countOf, ORDERS } from "../format/plural.ts";
import { describeEvent } from "../presenters/audit-labels.ts";
import { money } from "../presenters/common.ts";
import type { ReportBlock, ReportDoc } from "@ownerbot/core/queue";
import type { KpiCompareData, KpiSnapshotData, TrendData } from "../tools/results/kpi.ts";
import type { ChatsUnansweredData } from "../tools/results/ops.ts";
import type { OrdersSearchData } from "../tools/results/orders.ts";
import type { TopProductsData } from "../tools/results/sales.ts";
import type { AuditListData } from "../tools/results/system.ts";
import { toolEnv } from "../tools/runtime.ts";
import { docBase, kpi, periodFooter, trendChart } from "./common.ts";
import { part, Unavailable } from "./parts.ts";
import { CHAT_COLUMNS, chatLine, chatRow, ORDER_ALIGN, ORDER_COLUMNS, orderLine, orderRow } from "./rows.ts";

// The weekly report (reference §8 "Weekly" and §7 build_weekly_report_pdf): the week against the
// week before, the latest day, a 30-day trend, stuck orders and waiting chats with their first ten,
// the week's top products and the latest errors. Parts that fail are listed as unavailable.

export type WeeklyOptions = { tz?: string; title?: string };
export type WeeklyReport = { text: string; doc: ReportDoc; sources: string[]; window: { from: LocalDay; to: LocalDay } };

export const WEEKLY_TREND_DAYS = 30;
/** Chats wait this long before the weekly report counts them (the reference's weekly used 2 h). */
export const WEEKLY_CHAT_HOURS = 2;
const DETAIL_ROWS = 10;
/** Rows of each list in the text message; the PDF carries up to ten. Keeps the message under ~16 list lines. */
const TEXT_ROWS = 3;

export async function buildWeeklyReport(ctx: ToolContext, opts: WeeklyOptions = {}): Promise<WeeklyReport> {
  const env = await toolEnv(ctx);
  const shop = ctx.shop;
  const loc = shop.locale;
  const tz = opts.tz ?? shop.timeZone;
  const today = env.clock.today;
  const now = env.clock.now;
  const missing = new Unavailable();
  const sources = new Set<string>();
  const [cmp, last, trend, chats, stuck, top, errors] = await Promise.all([
    part<KpiCompareData>("kpi_compare", { preset: "wow", days: 7 }, ctx, "неделя к неделе", missing, sources),
    // The last full day: today is still going and would read as a slump next to whole days.
    part<KpiSnapshotData>("kpi_snapshot", { day: addDays(today, -1) }, ctx, "последний день", missing, sources),
    part<TrendData>("revenue_trend", { days: WEEKLY_TREND_DAYS }, ctx, "динамика за 30 дней", missing, sources),
    part<ChatsUnansweredData>(
      "chats_unanswered",
      { threshold_hours: WEEKLY_CHAT_HOURS, limit: DETAIL_ROWS },
      ctx,
      "чаты без ответа",
      missing,
      sources,
    ),
    part<OrdersSearchData>("orders_search", { preset: "stuck", limit: DETAIL_ROWS }, ctx, "зависшие заказы", missing, sources),
    part<TopProductsData>("top_products", { days: 7, limit: 5 }, ctx, "топ товаров", missing, sources),
    part<AuditListData>("sys_last_errors", { limit: 5 }, ctx, "журнал ошибок", missing, sources),
  ]);

  const text: string[] = [];
  const blocks: ReportBlock[] = [];
  const week = cmp ? { from: cmp.data.a.from, to: cmp.data.a.to } : { from: today, to: today };
  const title = opts.title ?? "Недельный отчёт";
  text.push(`🗓 ${title}: ${formatPeriod(week.from, week.to)}`);

  if (cmp) {
    const { a, b, delta } = cmp.data;
    text.push(
      [
        `Выручка: ${money(a.totals.revenueGross, shop, true)} ${formatDelta(delta.revenueGross.pct, loc)}`,
        `Чистая: ${money(a.totals.revenueNet, shop, true)} ${formatDelta(delta.revenueNet.pct, loc)}`,
        `Оплачено: ${countOf(a.totals.ordersPaid, ORDERS)} ${formatDelta(delta.ordersPaid.pct, loc)} · средний чек ${money(a.totals.aov, shop, true)} ${formatDelta(delta.aov.pct, loc)}`,
        `▲▼ — к ${formatPeriod(b.from, b.to)}`,
      ].join("\n"),
    );
    blocks.push({
      kind: "kpis",
      items: [
        kpi("Выручка", money(a.totals.revenueGross, shop, true), delta.revenueGross.pct, loc),
        kpi("Чистая выручка", money(a.totals.revenueNet, shop, true), delta.revenueNet.pct, loc),
        kpi("Оплаченные заказы", formatNumber(a.totals.ordersPaid, loc), delta.ordersPaid.pct, loc),
        kpi("Средний чек", money(a.totals.aov, shop, true), delta.aov.pct, loc),
      ],
    });
  }
  if (last) {
    const k = last.data.kpi;
    const line = `Последний полный день, ${formatDay(last.data.day)}: выручка ${money(k.revenueGross, shop, true)}, оплачено ${countOf(k.ordersPaid, ORDERS)}, средний чек ${money(k.aov, shop, true)}`;
    text.push(line);
    blocks.push({ kind: "paragraph", text: line });
  }
  if (trend) {
    const t = trend.data;
    const pct = t.deltaVsPrevWindow?.revenueNetPct;
    const line = `За ${WEEKLY_TREND_DAYS} дней: чистая выручка ${money(t.totals.revenueNet, shop, true)}${pct === undefined || pct === null ? "" : ` ${formatDelta(pct, loc)} к предыдущим ${WEEKLY_TREND_DAYS}`}`;
    text.push(line);
    blocks.push({
      kind: "chart",
      chart: trendChart(t, `Выручка и заказы за ${WEEKLY_TREND_DAYS} дней`, { orders: true, tz: shop.timeZone }),
    });
    blocks.push({ kind: "paragraph", text: line });
  }

  if (stuck) {
    const s = stuck.data;
    const n = `${formatNumber(s.count, loc)}${s.countCapped ? "+" : ""}`;
    text.push([`🧊 Зависшие заказы: ${n}`, ...s.items.slice(0, TEXT_ROWS).map((o) => `• ${orderLine(o, shop)}`)].join("\n"));
    blocks.push({ kind: "heading", text: `Зависшие заказы: ${n}` });
    if (s.items.length > 0)
      blocks.push({ kind: "table", columns: ORDER_COLUMNS, rows: s.items.map((o) => orderRow(o, shop)), align: ORDER_ALIGN });
  }
  if (chats) {
    const c = chats.data;
    const head = `💬 Чаты без ответа > ${WEEKLY_CHAT_HOURS} ч: ${formatNumber(c.count, loc)}`;
    text.push([head, ...c.threads.slice(0, TEXT_ROWS).map((t) => `• ${chatLine(t, now)}`)].join("\n"));
    blocks.push({ kind: "heading", text: head.replace(/^💬 /u, "") });
    if (c.threads.length > 0) blocks.push({ kind: "table", columns: CHAT_COLUMNS, rows: c.threads.map((t) => chatRow(t, now)) });
  }
  if (top) {
    const rows = top.data.rows;
    text.push(
      [
        "🏆 Топ товаров за 7 дней (по ценам товаров, до скидок по купонам):",
        ...(rows.length === 0 ? ["продаж не было"] : rows.map((r) => `${r.rank}. ${r.title} — ${money(r.revenue, shop, true)}`)),
      ].join("\n"),
    );
    blocks.push({ kind: "heading", text: "Топ товаров за 7 дней" });
    blocks.push({
      kind: "table",
      columns: ["#", "Товар", "Шт.", "По ценам товаров", "Доля"],
      rows: rows.map((r) => [
        String(r.rank),
        r.title,
        formatNumber(r.qty, loc),
        money(r.revenue, shop, true),
        formatPercent(r.sharePct, loc, { sign: false }),
      ]),
      align: ["right", "left", "right", "right", "right"],
    });
  }
  if (errors) {
    const ev = errors.data.events;
    const lines = ev.map((e) => `${formatDateTime(e.occurredAt, tz)} · ${describeEvent(e.eventType, e.detail)}`);
    text.push(
      ev.length === 0 ? "🚨 Ошибок в журнале нет" : ["🚨 Последние ошибки:", ...lines.slice(0, TEXT_ROWS).map((l) => `• ${l}`)].join("\n"),
    );
    blocks.push({ kind: "heading", text: "Последние ошибки" }, { kind: "list", items: lines.length > 0 ? lines : ["Ошибок нет"] });
  }
  if (missing.items.length > 0) blocks.push({ kind: "warnings", items: missing.lines().map((l) => l.replace(/^⚠️ /u, "")) });
  text.push([periodFooter(week.from, week.to, sources), ...missing.lines()].join("\n"));

  const from = trend ? trend.data.from : week.from;
  const to = trend ? trend.data.endDay : week.to;
  const doc: ReportDoc = {
    title: `${title}: ${formatPeriod(week.from, week.to)}`,
    ...(cmp ? { subtitle: `К неделе ${formatPeriod(cmp.data.b.from, cmp.data.b.to)}` } : {}),
    ...docBase(ctx.now, now, shop, tz),
    blocks,
    footer: periodFooter(from, to, sources),
  };
  return { text: text.join("\n\n"), doc, sources: [...sources], window: { from, to } };
}
