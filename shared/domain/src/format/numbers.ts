import type { ShopSettings } from "../contract.ts";

/** The no-break space every formatter emits between digit groups and before units. */
export const NBSP = "\u00a0";

type MoneyShop = Pick<ShopSettings, "currency" | "locale">;

// Intl builds a new formatter per call otherwise; presenters format hundreds of values per message.
const cache = new Map<string, Intl.NumberFormat>();
function nf(locale: string, opts: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(opts)}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, opts);
    cache.set(key, f);
  }
  return f;
}

/**
 * ICU emits U+202F (narrow no-break space) for some locales and versions; several Telegram clients
 * draw it as a box or a wide gap, so everything becomes U+00A0, which renders like a space but keeps
 * "12 345 ₽" on one line.
 */
export function normalizeSpaces(s: string): string {
  return s.replace(/[\u202f\u2009\u2007]/g, NBSP);
}

export function formatNumber(value: number, locale: string, maxFractionDigits = 0): string {
  return normalizeSpaces(nf(locale, { maximumFractionDigits: maxFractionDigits }).format(value));
}

/**
 * Money in the shop's currency and locale: "12 345 ₽", "1 234,50 ₽", "€1,234.50".
 * Kopecks are shown only when the amount has them, unless `whole` rounds to the unit for headlines.
 */
export function formatMoney(value: number, shop: MoneyShop, opts: { whole?: boolean } = {}): string {
  const std = nf(shop.locale, { style: "currency", currency: shop.currency }).resolvedOptions().maximumFractionDigits ?? 2;
  const rounded = Math.round(value * 10 ** std) / 10 ** std;
  const digits = opts.whole || Number.isInteger(rounded) ? 0 : std;
  const f = nf(shop.locale, {
    style: "currency",
    currency: shop.currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  return normalizeSpaces(f.format(opts.whole ? Math.round(value) : rounded));
}

/** A percent given in percent units (12.5 → "+12,5 %"); sign shown unless zero. */
export function formatPercent(pct: number, locale = "ru-RU", opts: { sign?: boolean; digits?: number } = {}): string {
  const f = nf(locale, {
    style: "percent",
    maximumFractionDigits: opts.digits ?? 1,
    signDisplay: opts.sign === false ? "auto" : "exceptZero",
  });
  return normalizeSpaces(f.format(pct / 100));
}

/**
 * "▲ +12,5 %", "▼ -3,1 %", "= 0 %"; "—" when there is no base to compare with. The arrow follows
 * the number as shown (rounded to `digits`), so "= -0,1 %" or "▲ 0 %" cannot appear.
 */
export function formatDelta(pct: number | null | undefined, locale = "ru-RU", digits = 1): string {
  if (pct === null || pct === undefined || !Number.isFinite(pct)) return "—";
  const shown = roundHalfAway(pct, digits);
  const arrow = shown > 0 ? "▲" : shown < 0 ? "▼" : "=";
  return `${arrow}${NBSP}${formatPercent(shown === 0 ? 0 : shown, locale, { digits })}`;
}

/** Percentage points for rate changes ("+1,2 п.п."), where a percent of a percent would mislead. */
export function formatPoints(pp: number | null | undefined, locale = "ru-RU"): string {
  if (pp === null || pp === undefined || !Number.isFinite(pp)) return "—";
  const arrow = pp > 0.05 ? "▲" : pp < -0.05 ? "▼" : "=";
  const f = nf(locale, { maximumFractionDigits: 1, signDisplay: "exceptZero" });
  return `${arrow}${NBSP}${normalizeSpaces(f.format(pp))}${NBSP}п.п.`;
}

/** Relative change in percent, or null when the base is zero (a ratio to zero means nothing). */
export function pctChange(current: number, previous: number): number | null {
  if (previous === 0) return null;
  return Math.round(((current - previous) / Math.abs(previous)) * 10000) / 100;
}

/** Rounds half away from zero, as Intl does (Math.round(-0.5) is -0, which would hide a -0,05). */
export function roundHalfAway(v: number, digits: number): number {
  const k = 10 ** digits;
  const r = (Math.sign(v) * Math.round(Math.abs(v) * k)) / k;
  return r === 0 ? 0 : r;
}

export function round2(v: number): number {
  return Math.round(v * 100) / 100;
}
