import { z } from "zod";
import { AppError } from "@ownerbot/core/errors";
import { formatDayShort } from "../format/dates.ts";
import { formatNumber, formatPercent } from "../format/numbers.ts";
import { countOf, ITEMS } from "../format/plural.ts";
import { boolParam, enumParam } from "../tools/params.ts";
import type { ShopSettings, ToolWarning } from "../contract.ts";
import { decimalParam, DEMO_SOURCE, idsParam, roundSis } from "./common.ts";
import { forceNote, priceRows, priceSummary, reprice, writePrices, type PriceChange } from "./catalog-rows.ts";
import {
  costedProducts,
  fxSettings,
  lastFxJob,
  rateSet,
  recordFxJob,
  storeBases,
  firstRate,
  type RateSet,
  type CostedProduct,
} from "./fx-data.ts";
import { sisRepriceAutoBranch, sisRepriceBranch } from "./sis-fx.ts";
import { defineAction, type ActionContext, type ActionPreview, type CommitContext, type CommitResult } from "./types.ts";

// sis_fx_reprice (reference §3 #19) and sis_fx_reprice_auto (#22) on the demo shop: a product's
// price = its cost in the input currency × the rate set's rate × (1 + markup) + additive, rounded
// by the SIS rounding mode. Costs are fixed on the first reprice from each price at the history's
// first rate, so a reprice moves prices as far as the rate moved since then and repeating it
// changes nothing. Changes over anomaly_threshold_pct (25 %) need ⚠️.

const currency = z
  .string()
  .trim()
  .regex(/^[A-Za-z]{3,8}$/, { message: "код валюты из 3–8 латинских букв" })
  .transform((c) => c.toUpperCase());
const rounding = enumParam(["ceil_int", "ceil_0_50", "ceil_0_99", "ceil_step"] as const)
  .default("ceil_int")
  .transform((m) => m.toUpperCase());

const repriceInput = z
  .object({
    rate_set_id: z.string().trim().max(64).default("latest"),
    input_currency: currency,
    shop_currency: currency,
    markup_percent: decimalParam(-90, 1000).default(0),
    markup_additive: decimalParam(-1_000_000, 1_000_000).default(0),
    rounding_mode: rounding,
    rounding_step: decimalParam(0.01, 1_000_000).optional(),
    anomaly_threshold_pct: decimalParam(0.1, 1000).default(25),
    /** Pinned by the preview. */
    product_ids: idsParam(100_000).optional(),
    /** Pinned by a SIS preview: the commit goes to SIS. */
    upstream: enumParam(["demo", "sis"] as const).optional(),
  })
  .refine((v) => v.rounding_mode !== "CEIL_STEP" || v.rounding_step !== undefined, {
    message: "Для CEIL_STEP нужен rounding_step",
    path: ["rounding_step"],
  });

type Pricing = {
  set: RateSet;
  markupPercent: number;
  markupAdditive: number;
  mode: string;
  step: number | undefined;
  thresholdPct: number;
};

function repriced(rows: CostedProduct[], p: Pricing, only?: readonly string[]): { change: PriceChange; rows: CostedProduct[] } {
  const keep = only ? new Set(only) : undefined;
  const scoped = keep ? rows.filter((r) => keep.has(r.product_id)) : rows;
  const next = (r: CostedProduct): number => roundSis(r.base * p.set.rate * (1 + p.markupPercent / 100) + p.markupAdditive, p.mode, p.step);
  return { change: reprice(scoped, (r) => next(r as CostedProduct), p.thresholdPct), rows: scoped };
}

function maxDelta(c: PriceChange): number {
  return c.changed.reduce((m, r) => Math.max(m, Math.abs(((r.next - r.price) / r.price) * 100)), 0);
}

function fxSummary(p: Pricing, c: PriceChange, shop: ShopSettings): string[] {
  const lines = [
    `Курс ${p.set.base}→${p.set.quote} на ${formatDayShort(p.set.day)}: ${formatNumber(p.set.rate, shop.locale, 4)} (набор ${p.set.id})`,
  ];
  if (p.markupPercent !== 0 || p.markupAdditive !== 0) lines.push(`Наценка: ${p.markupPercent} %, ${p.markupAdditive} ${shop.currency}`);
  lines.push(...priceSummary(c, shop));
  if (c.changed.length > 0) lines.push(`Наибольшее изменение: ${formatPercent(maxDelta(c), shop.locale, { sign: false })}`);
  return lines;
}

function anomalyWarning(c: PriceChange, thresholdPct: number): ToolWarning[] {
  return c.over > 0
    ? [{ code: "FX_ANOMALY", message: `${countOf(c.over, ITEMS)}: цена меняется больше чем на ${thresholdPct} % (аномалия)` }]
    : [];
}

function repricePreview(title: string, p: Pricing, c: PriceChange, ctx: ActionContext, extra: Partial<ActionPreview>): ActionPreview {
  const note = forceNote(c, p.thresholdPct);
  return {
    title,
    summary: fxSummary(p, c, ctx.shop),
    rows: priceRows(c.changed, ctx.shop),
    affected: c.changed.length,
    unit: "товаров",
    warnings: anomalyWarning(c, p.thresholdPct),
    source: DEMO_SOURCE("demo_fx_rates, demo_products"),
    noop: c.changed.length === 0,
    noopReason: "цены уже соответствуют курсу",
    force: c.force,
    ...(note ? { forceNote: note } : {}),
    commit: {},
    ...extra,
  };
}

async function applyReprice(ctx: CommitContext, p: Pricing, only: readonly string[] | undefined): Promise<CommitResult> {
  const all = await costedProducts(ctx.trx, p.set.base, p.set.quote, true);
  const { change, rows } = repriced(all, p, only);
  const { applied, skipped } = await writePrices(ctx.trx, change, ctx.force);
  await storeBases(ctx.trx, rows, p.set.base);
  const job =
    applied.length > 0
      ? await recordFxJob(
          ctx.trx,
          ctx.idempotencyKey,
          p.set,
          applied.map((a) => ({ id: a.product_id, old: a.price, next: a.next })),
        )
      : null;
  const lines = [`Цены пересчитаны по курсу ${formatNumber(p.set.rate, ctx.shop.locale, 4)}; товаров: ${applied.length}`];
  if (skipped > 0) lines.push(`Пропущено аномалий (больше ${p.thresholdPct} %): ${countOf(skipped, ITEMS)}`);
  if (job !== null) lines.push("Откатить можно командой «откати последнее обновление цен».");
  return {
    lines,
    affected: applied.length,
    rows: priceRows(applied, ctx.shop),
    data: { job_id: job, rate: p.set.rate, rate_set_id: p.set.id },
  };
}

export const sisFxReprice = defineAction({
  name: "sis_fx_reprice",
  title: "Пересчёт цен по курсу",
  description:
    "Reprice every product from its cost in input_currency at a rate set (markup, SIS rounding); anomalies over the threshold need force.",
  input: repriceInput,
  async preview(i, ctx) {
    if (i.shop_currency !== ctx.shop.currency)
      throw new AppError("VALIDATION_ERROR", `Параметр shop_currency: магазин продаёт в ${ctx.shop.currency}, получено ${i.shop_currency}`);
    const set = await rateSet(ctx.db, i.rate_set_id, i.input_currency, i.shop_currency);
    const p: Pricing = {
      set,
      markupPercent: i.markup_percent,
      markupAdditive: i.markup_additive,
      mode: i.rounding_mode,
      step: i.rounding_step,
      thresholdPct: i.anomaly_threshold_pct,
    };
    const { change, rows } = repriced(await costedProducts(ctx.db, set.base, set.quote, false), p, i.product_ids);
    return repricePreview("Пересчёт цен по курсу", p, change, ctx, {
      commit: { ...i, rate_set_id: set.id, product_ids: rows.map((r) => r.product_id) },
    });
  },
  async commit(i, ctx) {
    const set = await rateSet(ctx.trx, i.rate_set_id, i.input_currency, i.shop_currency);
    const p: Pricing = {
      set,
      markupPercent: i.markup_percent,
      markupAdditive: i.markup_additive,
      mode: i.rounding_mode,
      step: i.rounding_step,
      thresholdPct: i.anomaly_threshold_pct,
    };
    return applyReprice(ctx, p, i.product_ids);
  },
  sis: sisRepriceBranch,
});

const autoInput = z.object({
  /** force_apply: reprice even when the rate moved less than the settings' minimum or within the cooldown. */
  force: boolParam().default(false),
  refresh_snapshot: boolParam().default(true),
  /** Pinned by the preview. */
  rate_set_id: z.string().trim().max(64).optional(),
  upstream: enumParam(["demo", "sis"] as const).optional(),
});

const AUTO_THRESHOLD_PCT = 25;

/** Whether the settings' rules call for a reprice now, and why not when they do not. */
async function autoGate(ctx: ActionContext, set: RateSet): Promise<{ due: boolean; why: string; refRate: number }> {
  const s = await fxSettings(ctx.db);
  const last = await lastFxJob(ctx.db);
  const refRate = last && last.input_currency === set.base ? last.rate : await firstRate(ctx.db, set.base, set.quote);
  const deltaPct = (Math.abs(set.rate - refRate) / refRate) * 100;
  const deltaAbs = Math.abs(set.rate - refRate);
  const since = last ? `с последнего пересчёта (${formatDayShort(last.rate_day)})` : "с начала истории";
  const moved = `Курс изменился на ${formatPercent(deltaPct, ctx.shop.locale, { sign: false, digits: 2 })} ${since}`;
  if (deltaPct < s.min_rate_delta_percent || (s.min_rate_delta_abs !== null && deltaAbs < s.min_rate_delta_abs))
    return { due: false, why: `${moved} — меньше порога ${s.min_rate_delta_percent} %`, refRate };
  if (last && s.min_apply_cooldown_hours > 0 && ctx.now.getTime() - last.created_at.getTime() < s.min_apply_cooldown_hours * 3_600_000)
    return { due: false, why: `после прошлого пересчёта не прошло ${s.min_apply_cooldown_hours} ч`, refRate };
  return { due: true, why: moved, refRate };
}

export const sisFxRepriceAuto = defineAction({
  name: "sis_fx_reprice_auto",
  title: "Пересчёт цен по курсу, если нужно",
  description: "Reprice at the latest rate when the FX settings call for it (min rate move, cooldown); force applies regardless.",
  input: autoInput,
  async preview(i, ctx) {
    const s = await fxSettings(ctx.db);
    const set = await rateSet(ctx.db, i.rate_set_id ?? "latest", s.input_currency, ctx.shop.currency);
    const gate = await autoGate(ctx, set);
    const p: Pricing = { set, markupPercent: 0, markupAdditive: 0, mode: "CEIL_INT", step: undefined, thresholdPct: AUTO_THRESHOLD_PCT };
    const { change } = repriced(await costedProducts(ctx.db, set.base, set.quote, false), p);
    const preview = repricePreview("Пересчёт цен по курсу", p, change, ctx, { commit: { ...i, rate_set_id: set.id } });
    preview.summary.unshift(gate.why + (i.force && !gate.due ? " — пересчитываю принудительно" : ""));
    if (!gate.due && !i.force) return { ...preview, noop: true, noopReason: `пересчёт не нужен: ${gate.why}` };
    return preview;
  },
  async commit(i, ctx) {
    const s = await fxSettings(ctx.trx);
    const set = await rateSet(ctx.trx, i.rate_set_id ?? "latest", s.input_currency, ctx.shop.currency);
    const p: Pricing = { set, markupPercent: 0, markupAdditive: 0, mode: "CEIL_INT", step: undefined, thresholdPct: AUTO_THRESHOLD_PCT };
    return applyReprice(ctx, p, undefined);
  },
  sis: sisRepriceAutoBranch,
});
