import { addDays } from "../format/dates.ts";
import { findLimit, findPhone, findStockLte, findThresholdHours } from "./extract.ts";
import { clamp, DEFAULTS, LIMITS } from "./limits.ts";
import type { Message } from "./message.ts";
import { dateMentions, daysBackTo, type Period } from "./period.ts";
import { invalidPeriod, kpiOrTrendChoice, compareChoice } from "./replies.ts";
import { rx } from "./text.ts";
import type { Intent, Presentation, ToolIntent } from "./types.ts";

// Input builders for the read tools. Commands and free text both end here, so "/top месяц" and
// "топ товаров за месяц" cannot drift apart.

export function tool(name: string, input: Record<string, unknown>, notes: string[] = [], presentation?: Presentation): ToolIntent {
  const out: ToolIntent = { kind: "tool", tool: name, input };
  if (presentation) out.presentation = presentation;
  if (notes.length > 0) out.notes = notes;
  return out;
}

type Dated = Period & { kind: "day" | "range" };

/**
 * Days for a tool that only looks back from its last day (today, or yesterday for the tools that
 * count full days only); says so when the period ends earlier.
 */
function lookbackDays(
  m: Message,
  p: Dated | undefined,
  fallback: number,
  range: readonly [number, number],
  notes: string[],
  fullDays = false,
): number {
  if (!p) return fallback;
  // "за 30 дней" is the last 30 days whatever the tool's last day is.
  if (p.kind === "range" && p.rolling) return clamp(p.days, range, "Дней в отчёте", notes);
  const last = fullDays ? addDays(m.today, -1) : m.today;
  const start = p.kind === "day" ? p.day : p.start;
  const end = p.kind === "day" ? p.day : p.end;
  const days = Math.max(1, daysBackTo({ kind: "day", day: start }, last));
  if (end < last) notes.push(`Этот отчёт считает от ${fullDays ? "вчерашнего" : "сегодняшнего"} дня назад: беру последние ${days} дн.`);
  return clamp(days, range, "Дней в отчёте", notes);
}

/** The message's period, or the reply that says the date could not be read. */
function dated(m: Message): { p: Dated | undefined } | { error: Intent } {
  const p = m.period;
  if (p?.kind === "invalid") return { error: invalidPeriod(p.raw, m.today) };
  return { p };
}

export function revenueTrend(m: Message, p: Dated | undefined, presentation?: Presentation): ToolIntent {
  const notes: string[] = [];
  const fallback = presentation === "chart" ? DEFAULTS.chartDays : DEFAULTS.trendDays;
  let days = p?.kind === "range" ? p.days : fallback;
  days = clamp(days, LIMITS.trendDays, "Дней в тренде", notes);
  const end = p === undefined ? m.today : p.kind === "range" ? p.end : p.day;
  const input: Record<string, unknown> = { days };
  // Without end_day the tool reads the last full days; a named period that reaches today keeps today.
  const rolling = p === undefined || (p.kind === "range" && p.rolling === true);
  if (end !== m.today || !rolling) input.end_day = end;
  return tool("revenue_trend", input, notes, presentation);
}

/**
 * A metric question with a period: one day is a KPI snapshot, several days a trend. Without a
 * period a KPI word means today; a bare "выручка"/"продажи" is ambiguous and asks.
 */
export function kpiOrTrend(m: Message, o: { trend: boolean; kpi: boolean; presentation?: Presentation }): Intent {
  const d = dated(m);
  if ("error" in d) return d.error;
  const p = d.p;
  if (o.trend || o.presentation) return revenueTrend(m, p, o.presentation);
  if (p?.kind === "day") return tool("kpi_snapshot", { day: p.day });
  if (p?.kind === "range") return revenueTrend(m, p);
  if (o.kpi) return tool("kpi_snapshot", { day: m.today });
  return kpiOrTrendChoice(m.today, addDays(m.today, -1));
}

const MONTHISH = rx("\\bмесяц|\\bmonth|\\bmom\\b|\\bмес\\b");
const WEEKISH = rx("\\bнедел|\\bweek|\\bwow\\b|\\bнед\\b");

export function compare(m: Message, askWhenUnsure: boolean): Intent {
  const ms = dateMentions(m.norm, m.today);
  const bad = ms.find((x) => "bad" in x);
  if (bad && "bad" in bad) return invalidPeriod(bad.bad, m.today);
  const spans = ms.filter((x): x is { start: string; end: string } => !("bad" in x));
  const pairs =
    spans.length === 4 && spans.every((s) => s.start === s.end)
      ? [
          { start: spans[0]?.start, end: spans[1]?.end },
          { start: spans[2]?.start, end: spans[3]?.end },
        ]
      : spans.length === 2
        ? spans
        : undefined;
  if (pairs) {
    const [a, b] = pairs;
    return tool("kpi_compare", { preset: "custom", a_start: a?.start, a_end: a?.end, b_start: b?.start, b_end: b?.end });
  }
  const notes: string[] = [];
  const month = m.has(MONTHISH);
  const week = m.has(WEEKISH);
  const p = m.period;
  const input: Record<string, unknown> = {};
  if (p?.kind === "range" && p.end === m.today && p.days !== 7 && p.days !== 30) {
    input.preset = p.days >= 28 ? "mom" : "wow";
    input.days = clamp(p.days, LIMITS.compareDays, "Дней в окне сравнения", notes);
    return tool("kpi_compare", input, notes);
  }
  if (month) return tool("kpi_compare", { preset: "mom" });
  if (week || !askWhenUnsure) return tool("kpi_compare", { preset: "wow" });
  return compareChoice();
}

const BOTTOM = rx(
  "\\bхудш|\\bхуже|\\bworst|\\bbottom|\\bаутсайдер|\\bплохо прода|\\bне продают|\\bантитоп|\\bantitop|\\bменьше всего|\\bleast",
);
const CATEGORY = rx("\\bкатегор|\\bcategor|\\bразделам");
const QTY = rx("\\bпо количеств|\\bпо штук|\\bв штуках|\\bштук|\\bqty\\b|\\bquantity|\\bunits\\b|\\bby count|\\bколичеств");

export type TopOverrides = { direction?: "top" | "bottom"; group_by?: "product" | "category" };

export function topProducts(m: Message, force: TopOverrides = {}): Intent {
  const d = dated(m);
  if ("error" in d) return d.error;
  const p = d.p;
  const notes: string[] = [];
  // top_products counts full days, like the revenue it is set beside.
  const days = lookbackDays(m, p, DEFAULTS.topDays, LIMITS.topDays, notes, true);
  const asked = findLimit(m.norm);
  const limit = asked === undefined ? DEFAULTS.topLimit : clamp(asked, LIMITS.topLimit, "Строк в топе", notes);
  return tool(
    "top_products",
    {
      days,
      metric: m.has(QTY) ? "qty" : "revenue",
      direction: force.direction ?? (m.has(BOTTOM) ? "bottom" : "top"),
      group_by: force.group_by ?? (m.has(CATEGORY) ? "category" : "product"),
      limit,
    },
    notes,
  );
}

export type InventorySection =
  "all" | "out_of_stock" | "low_stock" | "missing_photo" | "missing_price" | "missing_video" | "return_flags" | "unpublished";

export function inventory(m: Message, section: InventorySection): ToolIntent {
  const notes: string[] = [];
  let lte: number = DEFAULTS.lowStockLte;
  const asked = section === "low_stock" ? findStockLte(m.norm) : undefined;
  if (asked) lte = clamp(asked.exclusive ? asked.value - 1 : asked.value, LIMITS.lowStockLte, "Порог остатка", notes);
  const limit = findLimit(m.norm);
  return tool(
    "inventory_status",
    {
      section,
      low_stock_lte: lte,
      limit: limit === undefined ? DEFAULTS.inventoryLimit : clamp(limit, LIMITS.inventoryLimit, "Строк в списке", notes),
    },
    notes,
  );
}

export function chats(m: Message): ToolIntent {
  const notes: string[] = [];
  const h = findThresholdHours(m.norm);
  return tool(
    "chats_unanswered",
    {
      threshold_hours: h === undefined ? 0 : clamp(h, LIMITS.chatThresholdHours, "Порог ожидания, ч", notes),
      limit: DEFAULTS.chatLimit,
    },
    notes,
  );
}

/** Tools with an optional look-back window in days: funnel, refunds. */
export function windowed(m: Message, name: string): Intent {
  const d = dated(m);
  if ("error" in d) return d.error;
  const p = d.p;
  if (!p) return tool(name, {});
  const notes: string[] = [];
  return tool(name, { days: lookbackDays(m, p, 7, LIMITS.windowDays, notes) }, notes);
}

export function horizon(m: Message, name: "demand_forecast" | "reorder_plan"): ToolIntent {
  const notes: string[] = [];
  const p = m.period;
  if (name === "demand_forecast") {
    const days = p?.kind === "range" ? p.days : DEFAULTS.forecastHorizon;
    return tool(name, { horizon_days: clamp(days, LIMITS.forecastHorizon, "Горизонт прогноза, дн", notes) }, notes);
  }
  if (p?.kind !== "range") return tool(name, {});
  return tool(name, { horizon_days: clamp(p.days, LIMITS.reorderHorizon, "Горизонт закупки, дн", notes) }, notes);
}

const STATUS: [RegExp, string][] = [
  [rx("\\bоплаченн|\\bpaid\\b"), "paid"],
  [rx("\\bв ожидании|\\bожидают|\\bpending\\b|\\bновы\\p{L}* заказ"), "pending"],
  [rx("\\bотмен\\p{L}*н|\\bcancel\\p{L}*"), "cancelled"],
  [rx("\\bвозвращ|\\brefunded\\b"), "refunded"],
  [rx("\\bотправленн|\\bshipped\\b"), "shipped"],
  [rx("\\bдоставленн|\\bdelivered\\b"), "delivered"],
  [rx("\\bнеудачн|\\bfailed\\b"), "failed"],
];
const CUSTOMER = rx("\\b(?:клиент\\p{L}*|покупател\\p{L}*|customer)\\s+([\\p{L}\\d@.+-]{2,40}(?:\\s+[\\p{L}]{2,40})?)");
const FLAGGED = rx("\\bпомечен|\\bотмечен|\\bс флаг|\\bфлагнут|\\bflagged\\b|\\bс пометк");

export type OrderPreset = "stuck" | "late_ship" | "payment_issues";

export function ordersSearch(m: Message, preset?: OrderPreset, period?: Period): ToolIntent {
  const notes: string[] = [];
  const input: Record<string, unknown> = {};
  if (preset) input.preset = preset;
  if (period?.kind === "day") input.from_day = input.to_day = period.day;
  else if (period?.kind === "range") Object.assign(input, { from_day: period.start, to_day: period.end });
  const phone = findPhone(m.norm);
  if (phone) input.q = phone;
  else {
    const c = CUSTOMER.exec(m.norm);
    if (c?.[1]) {
      const at = c.index + c[0].length - c[1].length;
      input.q = m.clean.slice(at, at + c[1].length);
    }
  }
  if (!preset) {
    for (const [re, status] of STATUS) {
      if (m.has(re)) {
        input.status = status;
        break;
      }
    }
  }
  if (m.has(FLAGGED)) input.flagged = true;
  if (preset === "payment_issues") {
    const h = findThresholdHours(m.norm);
    if (h !== undefined) input.since_hours = clamp(h, LIMITS.sinceHours, "Часов ожидания оплаты", notes);
  }
  const limit = findLimit(m.norm);
  input.limit = limit === undefined ? DEFAULTS.ordersLimit : clamp(limit, LIMITS.ordersLimit, "Заказов в списке", notes);
  return tool("orders_search", input, notes);
}
