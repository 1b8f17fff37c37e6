import type { ToolContext } from "../contract.ts";
import { addDays, formatDay, formatDayShort, formatPeriod, windowEnding, type LocalDay } from "../format/dates.ts";
import { formatDelta, formatNumber, formatPercent } from "../format/numbers.ts";
import { countOf, ORDERS } from "../format/plural.ts";
import { money } from "../presenters/common.ts";
import { formatFxChange } from "../presenters/fx.ts";
import { weekdayRu } from "../presenters/kpi.ts";
import type { ReportBlock, ReportDoc } from "@ownerbot/core/queue";
import { FX_CHANGE_DIGITS, type FxStatusData } from "../tools/results/fx.ts";
import type { KpiCompareData, TrendData } from "../tools/results/kpi.ts";
import { toolEnv } from "../tools/runtime.ts";
import { countText, docBase, kpi, periodFooter, trendChart } from "./common.ts";
import { evaluateOpsRules, opsSnapshot, type OpsRuleHit, type OpsRules, type OpsSnapshot } from "./ops-snapshot.ts";
import { part, Unavailable } from "./parts.ts";

// The daily digest (reference §8 "Daily digest"): last 7 days' net revenue and paid orders week
// over week, what needs attention now, the FX rate and whether a reprice is due, and a 14-day net
// revenue chart. Each part is read on its own; one that fails becomes an "unavailable" line.

export type DigestOptions = {
  /** Ops thresholds (the owner's ops alert rules); the reference's defaults otherwise. */
  rules?: Partial<OpsRules>;
  /** owner_notify_settings.digest_include_*; all true by default. */
  includeKpi?: boolean;
  includeFx?: boolean;
  includeOps?: boolean;
  /** Time zone for the "generated at" line; the shop's otherwise. Days stay shop-local. */
  tz?: string;
  /** Document title; "Дайджест" by default (the dashboards pass their own). */
  title?: string;
};

/** The numbers the quiet-digest rules and the scheduler decide on. Null = not read. */
export type DigestFacts = {
  day: LocalDay;
  revenueNet7d: number | null;
  revenueWowPct: number | null;
  ordersPaid7d: number | null;
  ordersWowPct: number | null;
  aov: number | null;
  unansweredCount: number | null;
  stuckCount: number | null;
  paymentIssuesCount: number | null;
  outOfStockCount: number | null;
  lowStockCount: number | null;
  errorsCount: number | null;
  opsRulesFired: OpsRuleHit[];
  fxWouldApply: boolean | null;
  /** Parts that could not be read, by name. */
  unavailable: string[];
};

export type DailyDigest = {
  text: string;
  doc: ReportDoc;
  facts: DigestFacts;
  sources: string[];
  window: { from: LocalDay; to: LocalDay };
};

/** Days of the chart; the reference's digest read revenue_trend{14}. */
export const DIGEST_CHART_DAYS = 14;

const RATE_DIGITS = 4;

export async function buildDailyDigest(ctx: ToolContext, opts: DigestOptions = {}): Promise<DailyDigest> {
  const env = await toolEnv(ctx);
  const shop = ctx.shop;
  const loc = shop.locale;
  const tz = opts.tz ?? shop.timeZone;
  const today = env.clock.today;
  const missing = new Unavailable();
  const sources = new Set<string>();
  const [cmp, trend, fx, ops] = await Promise.all([
    opts.includeKpi === false
      ? null
      : part<KpiCompareData>("kpi_compare", { preset: "wow", days: 7 }, ctx, "выручка и заказы", missing, sources),
    part<TrendData>("revenue_trend", { days: DIGEST_CHART_DAYS }, ctx, "график выручки", missing, sources),
    opts.includeFx === false ? null : part<FxStatusData>("sis_fx_status", {}, ctx, "курсы валют", missing, sources),
    opts.includeOps === false ? null : readOps(ctx, opts.rules, missing, sources),
  ]);

  const facts: DigestFacts = {
    day: today,
    revenueNet7d: cmp ? cmp.data.a.totals.revenueNet : null,
    revenueWowPct: cmp ? cmp.data.delta.revenueNet.pct : null,
    ordersPaid7d: cmp ? cmp.data.a.totals.ordersPaid : null,
    ordersWowPct: cmp ? cmp.data.delta.ordersPaid.pct : null,
    aov: cmp ? cmp.data.a.totals.aov : null,
    unansweredCount: ops?.unanswered.count ?? null,
    stuckCount: ops?.stuck.count ?? null,
    paymentIssuesCount: ops?.payment.count ?? null,
    outOfStockCount: ops?.outOfStock.count ?? null,
    lowStockCount: ops?.lowStock.count ?? null,
    errorsCount: ops?.errors.count ?? null,
    opsRulesFired: ops ? evaluateOpsRules(ops) : [],
    fxWouldApply: fx && fx.data.rates.length > 0 ? fx.data.wouldApply : null,
    unavailable: missing.items.map((u) => u.part),
  };

  const sales: string[] = [];
  if (cmp) {
    const a = cmp.data.a.totals;
    const d = cmp.data.delta;
    sales.push(`Выручка за 7 дней (чистая): ${money(a.revenueNet, shop, true)} ${deltaText(d.revenueNet.pct, loc)}`);
    sales.push(`Оплачено: ${countOf(a.ordersPaid, ORDERS)} ${deltaText(d.ordersPaid.pct, loc)} · средний чек ${money(a.aov, shop, true)}`);
  }
  const opsLines: string[] = ops ? opsDigestLines(ops, loc) : [];
  const fxLines: string[] = fx ? fxDigestLines(fx.data, loc) : [];
  const fired = facts.opsRulesFired.length > 0 ? `🔥 Требует внимания: ${facts.opsRulesFired.map((h) => RULE_RU[h.rule]).join(", ")}` : "";
  // The week the numbers are for: kpi_compare's A (the last seven full days).
  const week = cmp ? { from: cmp.data.a.from, to: cmp.data.a.to } : windowEnding(addDays(today, -1), 7);
  const footerLine = periodFooter(week.from, week.to, sources);
  const title = opts.title ?? "Дайджест";
  const heading = `📰 ${title} за ${formatDay(today)} (${weekdayRu(today)})`;
  const text = [heading, sales.join("\n"), opsLines.join("\n"), fxLines.join("\n"), fired, [footerLine, ...missing.lines()].join("\n")]
    .filter((s) => s.trim().length > 0)
    .join("\n\n");

  const blocks: ReportBlock[] = [];
  if (cmp) {
    const a = cmp.data.a.totals;
    const d = cmp.data.delta;
    blocks.push({
      kind: "kpis",
      items: [
        kpi("Чистая выручка, 7 дн", money(a.revenueNet, shop, true), d.revenueNet.pct, loc),
        kpi("Оплаченные заказы", formatNumber(a.ordersPaid, loc), d.ordersPaid.pct, loc),
        kpi("Средний чек", money(a.aov, shop, true), d.aov.pct, loc),
      ],
    });
  }
  if (ops) {
    blocks.push({
      kind: "kpis",
      items: [
        kpi(`Чаты > ${ops.rules.unansweredThresholdHours} ч`, countText(ops.unanswered.count, loc)),
        kpi("Зависшие заказы", countText(ops.stuck.count, loc, ops.stuck.capped)),
        kpi(`Ошибки за ${ops.rules.errorsWindowHours} ч`, countText(ops.errors.count, loc)),
      ],
    });
  }
  if (trend)
    blocks.push({ kind: "chart", chart: trendChart(trend.data, `Чистая выручка за ${DIGEST_CHART_DAYS} дней`, { tz: shop.timeZone }) });
  if (ops) blocks.push({ kind: "heading", text: "Что требует внимания" }, { kind: "list", items: opsDigestLines(ops, loc, false) });
  if (fx) blocks.push({ kind: "heading", text: "Курсы валют" }, { kind: "list", items: fxDigestLines(fx.data, loc, false) });
  if (missing.items.length > 0) blocks.push({ kind: "warnings", items: missing.lines().map((l) => l.replace(/^⚠️ /u, "")) });

  // The chart's days: full days up to yesterday (today is still going), as revenue_trend reads them.
  const chartTo = trend ? trend.data.endDay : addDays(today, -1);
  const chartFrom = trend ? trend.data.from : addDays(chartTo, -(DIGEST_CHART_DAYS - 1));
  const doc: ReportDoc = {
    title: `${title} за ${formatDay(today)}`,
    subtitle: `7 дней ${formatPeriod(week.from, week.to)} к ${formatPeriod(addDays(week.from, -7), addDays(week.from, -1))}`,
    ...docBase(ctx.now, env.clock.now, shop, tz),
    blocks,
    footer: periodFooter(chartFrom, chartTo, sources),
  };
  return { text, doc, facts, sources: [...sources], window: { from: chartFrom, to: chartTo } };
}

async function readOps(
  ctx: ToolContext,
  rules: Partial<OpsRules> | undefined,
  missing: Unavailable,
  sources: Set<string>,
): Promise<OpsSnapshot | null> {
  const slot = missing.slot();
  try {
    const snap = await opsSnapshot(ctx, rules);
    for (const s of snap.sources) sources.add(s);
    for (const [name, label] of OPS_PARTS) {
      const err = snap[name].error;
      if (err !== undefined && !(name === "lowStock" && snap.outOfStock.error !== undefined))
        missing.add(label, "не удалось прочитать", slot);
    }
    return snap;
  } catch {
    missing.add("операционные показатели", "не удалось прочитать", slot);
    return null;
  }
}

const OPS_PARTS = [
  ["unanswered", "чаты без ответа"],
  ["stuck", "зависшие заказы"],
  ["payment", "проблемы с оплатой"],
  ["errors", "журнал ошибок"],
  ["outOfStock", "склад"],
  ["lowStock", "склад"],
] as const;

export const RULE_RU: Record<OpsRuleHit["rule"], string> = {
  unanswered: "чаты без ответа",
  stuck: "зависшие заказы",
  payment: "проблемы с оплатой",
  errors: "ошибки",
  outOfStock: "нет в наличии",
  lowStock: "мало на складе",
};

function deltaText(pct: number | null, locale: string): string {
  return pct === null ? "(прошлая неделя без данных)" : `${formatDelta(pct, locale)} к прошлой неделе`;
}

/** The digest's "what needs attention" lines: chats, stuck and payment, stock, errors. */
export function opsDigestLines(ops: OpsSnapshot, loc: string, icons = true): string[] {
  const r = ops.rules;
  // The PDF font has no emoji; documents get the lines without them.
  const i = (icon: string): string => (icons ? `${icon} ` : "");
  return [
    `${i("💬")}Чаты без ответа > ${r.unansweredThresholdHours} ч: ${countText(ops.unanswered.count, loc)}`,
    `${i("🧊")}Зависшие заказы: ${countText(ops.stuck.count, loc, ops.stuck.capped)} · проблемы с оплатой: ${countText(ops.payment.count, loc, ops.payment.capped)}`,
    `${i("📦")}Нет в наличии: ${countText(ops.outOfStock.count, loc)} · мало (≤ ${r.lowStockLte} шт.): ${countText(ops.lowStock.count, loc)}`,
    `${i("🚨")}Ошибки за ${r.errorsWindowHours} ч: ${countText(ops.errors.count, loc)}`,
  ];
}

/** "💱 USD: 92,1234 ₽ (23.11) ▲ +0,6 %", then whether a reprice is due. */
export function fxDigestLines(fx: FxStatusData, loc: string, icons = true): string[] {
  const i = icons ? "💱 " : "";
  if (fx.rates.length === 0) return [`${i}Курсов к ${fx.shopCurrency} нет`];
  const lines = fx.rates.map((r) => {
    const ch = r.changeShownPct === null ? "" : ` ${formatFxChange(r.changeShownPct, loc)}`;
    return `${i}${r.base}: ${formatNumber(r.rate, loc, RATE_DIGITS)} ${fx.shopCurrency} (${formatDayShort(r.day)})${ch}`;
  });
  const threshold = formatPercent(fx.thresholdPct, loc, { sign: false, digits: FX_CHANGE_DIGITS });
  lines.push(`Переоценка цен: ${fx.wouldApply ? "нужна" : "не нужна"} (порог ${threshold})`);
  return lines;
}
