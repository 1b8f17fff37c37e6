import type { Reply, ToolContext, ToolResult } from "../contract.ts";
import { formatDayShort } from "../format/dates.ts";
import { formatDelta, formatNumber, formatPercent } from "../format/numbers.ts";
import { FX_CHANGE_DIGITS, type FxStatusData } from "../tools/results/fx.ts";
import { blocks, footer } from "./common.ts";

// Rates to 4 decimals, as the reference's digest showed them: shop prices move on the 3rd–4th digit.
const RATE_DIGITS = 4;

/** "▼ -0,46 %": an FX change already rounded by shownFxChange, at its digits. */
export function formatFxChange(shownPct: number | null, locale: string): string {
  return formatDelta(shownPct, locale, FX_CHANGE_DIGITS);
}

export function presentFxStatus(result: ToolResult<FxStatusData>, ctx: ToolContext): Reply[] {
  const d = result.data;
  const locale = ctx.shop.locale;
  const rate = (v: number): string => formatNumber(v, locale, RATE_DIGITS);
  const rows = d.rates.map((r) => {
    const prev =
      r.prevRate !== null && r.prevDay ? ` · было ${rate(r.prevRate)} (${formatDayShort(r.prevDay)})` : " · предыдущего курса нет";
    const mark = r.overThreshold ? " ❗" : "";
    return `• ${r.base}: ${rate(r.rate)} ${d.shopCurrency} (${formatDayShort(r.day)})${prev} · ${formatFxChange(r.changeShownPct, locale)}${mark}`;
  });
  const threshold = formatPercent(d.thresholdPct, locale, { sign: false, digits: FX_CHANGE_DIGITS });
  const moved = d.rates.filter((r) => r.overThreshold).map((r) => r.base);
  const verdict = d.wouldApply ? `Переоценка цен: нужна — изменились ${moved.join(", ")}.` : "Переоценка цен: не нужна.";
  return [
    {
      text: blocks(
        `💱 Курсы валют к ${d.shopCurrency}`,
        rows.length === 0 ? "Курсов нет." : rows,
        [verdict, `Правило: переоценка нужна, если курс хотя бы одной валюты изменился к предыдущему на ${threshold} или больше.`],
        footer(result),
      ),
    },
  ];
}
