import type { ToolContext } from "../contract.ts";
import { AppError } from "@ownerbot/core/errors";
import { formatNumber } from "../format/numbers.ts";
import { fxBases, rateOfBase, watchedFxRate, type FxRateLike } from "../notify/fx-rate.ts";
import { toolEnv } from "./runtime.ts";

// Which base currency ntf_fx_delta_subscribe watches and the rate it seeds: the one the owner names
// (it must be quoted against the shop currency), else the one already stored while it is still
// quoted, else the base that moved most (notify/fx-rate.ts). The subscription does not depend on
// the rates being readable right now: without a seed the first alert comes with the first rate the
// scheduler reads, for the named or stored base if any.

export type FxDeltaWatch = { base: string | null; rate: number | null; note: string };

async function readRates(ctx: ToolContext): Promise<FxRateLike[] | null> {
  try {
    const env = await toolEnv(ctx);
    return await env.provider.fxRates(env.clock.today);
  } catch {
    return null;
  }
}

export async function fxDeltaWatch(asked: string | undefined, stored: string | null, ctx: ToolContext): Promise<FxDeltaWatch> {
  const cur = ctx.shop.currency;
  const rates = await readRates(ctx);
  const wanted = asked ?? stored;
  if (rates === null) {
    const what = wanted === null ? "первое уведомление" : `слежу за курсом ${wanted} → ${cur}, первое уведомление`;
    return { base: wanted, rate: null, note: `Курсы сейчас не прочитать: ${what} придёт с первым доступным курсом.` };
  }
  const bases = fxBases(rates, cur);
  if (asked !== undefined && !bases.includes(asked)) {
    const choice = bases.length > 0 ? `есть ${bases.join(", ")}` : "курсов пока нет";
    throw new AppError("VALIDATION_ERROR", `Параметр base: курса ${asked} к ${cur} нет; ${choice}`);
  }
  const w = asked !== undefined ? { ...rateOfBase(rates, cur, asked)!, switched: false } : watchedFxRate(rates, cur, stored);
  if (w === null)
    return { base: stored, rate: null, note: `Курсов к ${cur} пока нет: первое уведомление придёт с первым доступным курсом.` };
  const rate = formatNumber(w.rate, ctx.shop.locale, 4);
  const others = bases.filter((b) => b !== w.base);
  const why = !w.switched
    ? ""
    : stored !== null
      ? ` Курса ${stored} к ${cur} больше нет, поэтому выбран курс, который изменился сильнее других за последний день.`
      : w.changePct !== null && others.length > 0
        ? " Он изменился сильнее других за последний день."
        : "";
  const choose = w.switched && others.length > 0 ? ` Можно выбрать другую валюту: ${others.join(", ")}.` : "";
  return { base: w.base, rate: w.rate, note: `Слежу за курсом ${w.base} → ${cur}: сейчас ${rate} ${cur}.${why}${choose}` };
}
