import { z } from "zod";
import type { ToolWarning } from "../contract.ts";
import { roundHalfAway } from "../format/numbers.ts";
import { defineTool } from "./registry.ts";
import { makeResult, toolEnv, warning } from "./runtime.ts";
import { FX_CHANGE_DIGITS, type FxStatusRow, type FxStatusData } from "./results/fx.ts";

// The reference's sis_fx_status answered from SIS /fx/status (canned in DEMO). OwnerBot's DEMO shop
// has a real rate history, so the status is computed from it: latest rate per base currency, the
// rate before it, and whether the move is big enough for an FX reprice.

/**
 * The reference's default reprice threshold (min_rate_delta_percent 0.5 %): a reprice is due when
 * any base currency moved at least this much since the previous rate.
 */
export const FX_APPLY_THRESHOLD_PCT = 0.5;

/**
 * The one rounding of an FX change for display: to hundredths, except that a move just under the
 * threshold is never rounded up onto it (0.4996 % is shown as 0,49 %, because the rule, judged on
 * the real value, says it is not 0.5 %). Status, digest and dashboards all show this number.
 */
export function shownFxChange(pct: number, thresholdPct = FX_APPLY_THRESHOLD_PCT): number {
  const shown = roundHalfAway(pct, FX_CHANGE_DIGITS);
  if (Math.abs(pct) < thresholdPct && Math.abs(shown) >= thresholdPct) return Math.sign(pct) * (thresholdPct - 10 ** -FX_CHANGE_DIGITS);
  return shown;
}

export const sisFxStatus = defineTool({
  name: "sis_fx_status",
  version: "1.0",
  kind: "read",
  title: "Курсы валют",
  description: `Latest rate of each base currency to the shop currency, the previous rate and change; would_apply when any |change| >= ${FX_APPLY_THRESHOLD_PCT} %.`,
  input: z.object({}),
  async run(_input, ctx) {
    const env = await toolEnv(ctx);
    const today = env.clock.today;
    const all = await env.provider.fxRates(today);
    const rates = all
      .filter((r) => r.quote === env.shop.currency)
      .map((r): FxStatusRow => {
        const changePct = r.prevRate !== null && r.prevRate !== 0 ? ((r.rate - r.prevRate) / r.prevRate) * 100 : null;
        return {
          ...r,
          changePct,
          changeShownPct: changePct === null ? null : shownFxChange(changePct),
          overThreshold: changePct !== null && Math.abs(changePct) >= FX_APPLY_THRESHOLD_PCT,
        };
      })
      .sort((a, b) => a.base.localeCompare(b.base));
    const data: FxStatusData = {
      shopCurrency: env.shop.currency,
      today,
      thresholdPct: FX_APPLY_THRESHOLD_PCT,
      rates,
      wouldApply: rates.some((r) => r.overThreshold),
    };
    const warnings: ToolWarning[] = [];
    if (rates.length === 0) warnings.push(warning("FX_NO_RATES", `Нет курсов к ${env.shop.currency}`));
    const stale = rates.filter((r) => r.day < today).map((r) => r.base);
    if (stale.length > 0) warnings.push(warning("FX_STALE", `Курс ${stale.join(", ")} не обновлялся сегодня`));
    const days = rates.flatMap((r) => (r.prevDay ? [r.prevDay, r.day] : [r.day])).sort();
    const window = { from: days[0] ?? today, to: days.at(-1) ?? today };
    return makeResult(ctx, env, data, { sources: [env.src("demo_fx_rates")], window }, warnings);
  },
});
