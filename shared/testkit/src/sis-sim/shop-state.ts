import type { SimAnswer } from "./read-routes.ts";

// The simulator's own shop behind the Actions API: a catalogue (price, compare-at price, published,
// stock), looks, an FX rate with its snapshot id and settings, and the reprice jobs a rollback
// undoes. It is loaded once from the options on first use and then changed only by applies, so a
// test reads back exactly what SIS did.

export type SimProduct = { productId: string; price: number; compareAt?: number | null; published?: boolean; stock?: number };
export type SimLook = { lookId: string; active: boolean };
export type SimItem = { price: number; compareAt: number | null; published: boolean; stock: number };

export type SimFxSettings = {
  reprice_schedule_mode: string;
  reprice_schedule_interval_hours: number;
  reprice_schedule_notify_on_success: boolean;
  reprice_schedule_notify_on_failure: boolean;
  min_rate_delta_abs: string | null;
  min_rate_delta_percent: string;
  min_apply_cooldown_hours: number;
  provider: string;
};

export type SimFx = {
  base: string;
  quote: string;
  rate: number;
  prevRate: number;
  /** The day of the current rate, and of the one before it (null before the first change). */
  day: string;
  prevDay: string | null;
  /** The rate every product's cost is counted from (its price / firstRate), fixed at start. */
  firstRate: number;
  snapshot: number;
  lastApply: { rate: number; at: Date; jobId: number } | null;
  settings: SimFxSettings;
};

export type SimJob = { id: number; backup: Map<string, { price: number; compareAt: number | null }>; rolledBack: boolean };

export type SimShop = {
  items: Map<string, SimItem>;
  looks: Map<string, boolean>;
  /** Each product's price at start: its cost at the first rate, the base of every FX reprice. */
  costs: Map<string, number>;
  fx: SimFx;
  jobs: SimJob[];
};

export type SimShopOptions = {
  products?: () => Promise<SimProduct[]>;
  looks?: () => Promise<SimLook[]>;
  fx?: { base: string; quote: string; rate: number };
};

export function createShopLoader(o: SimShopOptions): () => Promise<SimShop> {
  let shop: Promise<SimShop> | null = null;
  const rate = o.fx?.rate ?? 92.5;
  return () =>
    (shop ??= (async () => {
      const products = (await o.products?.()) ?? [];
      const looks = (await o.looks?.()) ?? [];
      return {
        items: new Map(
          products.map((p) => [
            p.productId,
            { price: p.price, compareAt: p.compareAt ?? null, published: p.published ?? true, stock: p.stock ?? 10 },
          ]),
        ),
        looks: new Map(looks.map((l) => [l.lookId, l.active])),
        costs: new Map(products.map((p) => [p.productId, p.price])),
        fx: {
          base: o.fx?.base ?? "USD",
          quote: o.fx?.quote ?? "RUB",
          rate,
          prevRate: rate,
          day: new Date().toISOString().slice(0, 10),
          prevDay: null,
          firstRate: rate,
          snapshot: 1,
          lastApply: null,
          settings: {
            reprice_schedule_mode: "manual",
            reprice_schedule_interval_hours: 12,
            reprice_schedule_notify_on_success: true,
            reprice_schedule_notify_on_failure: true,
            min_rate_delta_abs: null,
            min_rate_delta_percent: "0.5",
            min_apply_cooldown_hours: 0,
            provider: "sim",
          },
        },
        jobs: [],
      };
    })());
}

export const rateSetId = (fx: SimFx): string => `snap-${fx.snapshot}`;

/** What a handler decided: refused (an HTTP error), or an answer and, for an apply, whether it acted. */
export type Outcome =
  | { fail: SimAnswer }
  | { status: string; data: Record<string, unknown>; warnings?: { code: string; message: string }[]; acted: number | null };

export const refuse = (status: number, code: string, message: string): Outcome => ({
  fail: { status, body: { ok: false, status: "error", error: { code, message } } },
});

export const ROUNDING = new Set(["CEIL_INT", "CEIL_0_50", "CEIL_0_99", "CEIL_STEP"]);

export function roundSis(v: number, mode: string, step?: number): number {
  const c = (x: number): number => Math.round(x * 100) / 100;
  if (mode === "CEIL_INT") return Math.ceil(v - 1e-9);
  if (mode === "CEIL_0_50") return Math.ceil(v * 2 - 1e-9) / 2;
  if (mode === "CEIL_0_99") return c(Math.ceil(v + 0.01 - 1e-9) - 0.01);
  const s = step && step > 0 ? step : 1;
  return c(Math.ceil(v / s - 1e-9) * s);
}

/** Decimals must arrive as strings ("5", "-3.5"): a JSON number is a 422, as at SIS. */
export const decimalOf = (v: unknown): number | null => (typeof v === "string" && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : null);

export const money = (n: number): string => String(Math.round(n * 100) / 100);

/** Over this many rows at once a change needs force (SIS's MASS_CHANGE_OVER_20). */
export const MASS_LIMIT = 20;

export const massWarning = (n: number): { code: string; message: string }[] =>
  n > MASS_LIMIT ? [{ code: `MASS_CHANGE_OVER_${MASS_LIMIT}`, message: `force required for apply: ${n} rows at once` }] : [];

export function idList(v: unknown): string[] | null | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || !v.every((x) => typeof x === "string")) return null;
  return v;
}
