import type { Reply, ToolContext, ToolResult } from "../contract.ts";
import { formatDay, formatPeriod } from "../format/dates.ts";
import { formatDelta, formatNumber, formatPercent, formatPoints, NBSP } from "../format/numbers.ts";
import { countOf, REFUNDS } from "../format/plural.ts";
import { truncate } from "../format/text.ts";
import type { FunnelData, FunnelStage, RefundsAnomaliesData } from "../tools/results/insights.ts";
import { weekdayRu } from "./kpi.ts";
import { blocks, footer, money, refundReasonRu, toolButton } from "./common.ts";

export const STAGE_RU: Record<FunnelStage, string> = {
  visits: "Визиты",
  productViews: "Просмотры товаров",
  addToCart: "В корзину",
  checkoutStarted: "Оформление",
  ordersCreated: "Заказы",
  ordersPaid: "Оплачено",
};

const pct = (v: number | null, loc: string): string => (v === null ? "—" : formatPercent(v, loc, { sign: false }));

export function presentFunnel(result: ToolResult<FunnelData>, ctx: ToolContext): Reply[] {
  const d = result.data;
  const loc = ctx.shop.locale;
  const lines = d.stages.map((s, i) => {
    const n = formatNumber(s.count, loc);
    if (i === 0) return `${STAGE_RU[s.stage]}: ${n}${s.prevCount !== null ? ` (было ${formatNumber(s.prevCount, loc)})` : ""}`;
    const delta = s.deltaPp !== null ? ` ${formatPoints(s.deltaPp, loc)}` : "";
    return `→ ${STAGE_RU[s.stage]}: ${n} · ${pct(s.ratePct, loc)}${delta}`;
  });
  const overall = `Конверсия визит → оплата: ${pct(d.overall.ratePct, loc)}${d.overall.deltaPp !== null ? ` ${formatPoints(d.overall.deltaPp, loc)}` : ""}`;
  const weak = d.weakest
    ? d.weakest.why === "drop"
      ? `Просело: ${STAGE_RU[d.weakest.from].toLowerCase()} → ${STAGE_RU[d.weakest.to].toLowerCase()} (${pct(d.weakest.ratePct, loc)}, ${formatPoints(d.weakest.deltaPp, loc)})`
      : `Самый слабый шаг: ${STAGE_RU[d.weakest.from].toLowerCase()} → ${STAGE_RU[d.weakest.to].toLowerCase()} (${pct(d.weakest.ratePct, loc)})`
    : "";
  const cmp = d.prev ? `Сравнение с ${formatPeriod(d.prev.from, d.prev.to)}, изменения в п.п.` : "";
  return [
    {
      text: blocks(`🔻 Воронка за ${d.days} дн.`, [overall, weak].filter(Boolean), lines, cmp, footer(result)),
      buttons: [
        [7, 30]
          .filter((n) => n !== d.days)
          .map((n) => toolButton(`${n} дней`, "funnel_snapshot", { days: n }))
          .concat([toolButton("📈 Выручка", "revenue_trend", { days: d.days })]),
      ],
    },
  ];
}

export function presentRefundsAnomalies(result: ToolResult<RefundsAnomaliesData>, ctx: ToolContext): Reply[] {
  const d = result.data;
  const shop = ctx.shop;
  const loc = shop.locale;
  const t = d.totals;
  const head = [
    `Возвраты: ${formatNumber(t.count, loc)} на ${money(t.amount, shop, true)}${t.amountDeltaPct !== null ? ` ${formatDelta(t.amountDeltaPct, loc)}` : ""}`,
    `Доля от выручки: ${pct(t.refundRatePct, loc)}`,
  ];
  const spikes =
    d.spikes.length === 0
      ? ["Всплесков не найдено: каждый день в пределах обычного."]
      : [
          `Всплески (${d.spikes.length}):`,
          ...d.spikes.slice(0, 10).map((s) => {
            const value = d.metric === "amount" ? money(s.amount, shop, true) : formatNumber(s.count, loc);
            const base =
              s.baselineMean === null
                ? ""
                : d.metric === "amount"
                  ? money(s.baselineMean, shop, true)
                  : formatNumber(s.baselineMean, loc, 1);
            const z = s.z !== null ? `, z = ${formatNumber(s.z, loc, 1)}` : "";
            const ratio = s.ratio !== null ? ` (×${formatNumber(s.ratio, loc, 1)})` : "";
            return `• ${formatDay(s.day)} (${weekdayRu(s.day)}): ${value}, ${countOf(s.count, REFUNDS)} — обычно ${base}${ratio}${z}`;
          }),
        ];
  const share = (n: number): string => (t.count > 0 ? ` · ${formatNumber((n / t.count) * 100, loc)}${NBSP}%` : "");
  const reasons = d.reasons.map((r) => `• ${refundReasonRu(r.key)}: ${r.count}${share(r.count)} · ${money(r.amount, shop, true)}`);
  const products = d.products.map((p) => `• ${truncate(p.title, 36)}: ${countOf(p.count, REFUNDS)} · ${money(p.amount, shop, true)}`);
  const spikeWhy =
    d.spikeReasons.length > 0 && d.spikes[0]
      ? `${formatDay(d.spikes[0].day)} чаще всего: ${d.spikeReasons.map((r) => `${refundReasonRu(r.key)} (${r.count})`).join(", ")}`
      : "";
  const rule = `Всплеск: ≥ ${d.minCount} возвр. в день, z ≥ ${formatNumber(d.zThreshold, loc, 1)} и ≥ ×${formatNumber(d.minRatio, loc, 1)} к среднему за ${d.baselineDays} дн. до него.`;
  return [
    {
      text: blocks(
        `↩️ Возвраты за ${d.days} дн.`,
        head,
        spikes,
        spikeWhy,
        reasons.length > 0 && ["Причины:", ...reasons],
        products.length > 0 && [d.productsFrom === d.from ? "Товары:" : `Товары за ${formatPeriod(d.productsFrom, d.to)}:`, ...products],
        rule,
        footer(result),
      ),
      buttons: [[toolButton("Причины за 90 дней", "refunds_anomalies", { days: 90 }), toolButton("📊 KPI", "kpi_snapshot", {})]],
    },
  ];
}
