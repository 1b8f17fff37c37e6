// The demo catalogue, built in TypeScript (a few thousand rows at most) so titles agree in gender
// and the planted catalogue problems are exact sets rather than probabilities.

import { CATEGORIES, COLORS, CURRENCY_PER_RUB } from "./catalog.ts";
import { productCount } from "./plan.ts";
import { shuffled, streamRng } from "./prng.ts";

export type ProductRow = {
  productId: string;
  title: string;
  category: string;
  /** Minor units (kopecks, cents). */
  price: number;
  /** What the product sold for in history; differs from price only for the "price 0" anomaly. */
  salePrice: number;
  compareAt: number | null;
  stock: number;
  hasPhoto: boolean;
  hasVideo: boolean;
  returnFlagged: boolean;
  published: boolean;
  createdAtMs: number;
  updatedAtMs: number;
};

export type ProductAnomalies = {
  outOfStock: string[];
  lowStock: string[];
  missingPhoto: string[];
  missingVideo: string[];
  zeroPrice: string[];
  returnFlagged: string[];
  unpublished: string[];
};

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export function currencyFactor(currency: string): number {
  return CURRENCY_PER_RUB[currency] ?? CURRENCY_PER_RUB.USD!;
}

/** Shop-style prices: two significant digits, then 2 490 ₽ / 149 $ / 29.99 $. Returns minor units. */
export function charmPrice(value: number): number {
  if (value <= 0) return 0;
  const step = Math.pow(10, Math.floor(Math.log10(value)) - 1);
  const rounded = Math.ceil(value / step - 1e-9) * step;
  const off = step >= 100 ? 10 : step >= 10 ? 1 : 0.01;
  return Math.round(rounded * 100) - Math.round(off * 100);
}

/** A fixed discount set in RUB, converted and rounded down to one significant digit. */
export function roundAmountOff(rub: number, currency: string): number {
  const v = rub * currencyFactor(currency);
  const step = Math.pow(10, Math.floor(Math.log10(v)));
  return Math.round(Math.floor(v / step) * step * 100);
}

/** Minor units to a numeric literal with two decimals, without floating-point formatting. */
export function minorToDecimal(minor: number): string {
  const sign = minor < 0 ? "-" : "";
  const abs = Math.abs(minor);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

export function buildProducts(opts: { scale: number; seed: number; currency: string; historyStartMs: number; asOfMs: number }): {
  rows: ProductRow[];
  anomalies: ProductAnomalies;
  establishedCount: number;
} {
  const count = productCount(opts.scale);
  const rng = streamRng(opts.seed, 2);
  const factor = currencyFactor(opts.currency);
  const combos: [number, number, number, number][] = [];
  CATEGORIES.forEach((c, ci) =>
    c.types.forEach((t, ti) => t.details.forEach((_, di) => COLORS.forEach((_, ki) => combos.push([ci, ti, di, ki])))),
  );
  const order = shuffled(rng, combos);
  // 60 % of the catalogue exists before the history starts; the rest arrives evenly over it.
  const established = Math.ceil(count * 0.6);
  const span = opts.asOfMs - opts.historyStartMs;
  const rows: ProductRow[] = [];
  for (let j = 0; j < count; j++) {
    const [ci, ti, di, ki] = order[j % order.length]!;
    const cat = CATEGORIES[ci]!;
    const type = cat.types[ti]!;
    const repeat = Math.floor(j / order.length);
    const title = `${type.noun} ${type.details[di]}, ${COLORS[ki]![type.gender]}${repeat > 0 ? `, модель ${repeat + 1}` : ""}`;
    const [lo, hi] = cat.priceRub;
    // Skewed to the cheaper end of the range, as real assortments are.
    const price = charmPrice(Math.exp(Math.log(lo) + Math.pow(rng(), 1.6) * (Math.log(hi) - Math.log(lo))) * factor);
    const discounted = rng() < 0.12;
    const createdAtMs =
      j < established
        ? opts.historyStartMs - Math.round((7 + rng() * 300) * DAY)
        : opts.historyStartMs + Math.round(((j - established + 1) / (count - established)) * span) - HOUR;
    rows.push({
      productId: `PRD-${String(j + 1).padStart(5, "0")}`,
      title,
      category: cat.name,
      price,
      salePrice: price,
      compareAt: discounted ? Math.max(price + 100, charmPrice((price / 100) * (1.2 + rng() * 0.3))) : null,
      stock: 8 + Math.floor(Math.pow(rng(), 1.5) * 143),
      hasPhoto: true,
      hasVideo: true,
      returnFlagged: false,
      published: true,
      createdAtMs,
      updatedAtMs: Math.min(opts.asOfMs, createdAtMs + Math.round(rng() * 60 * DAY)),
    });
  }

  // Planted catalogue problems: disjoint sets, each at least a few products at every scale.
  const sizes = {
    outOfStock: Math.max(2, Math.round(count * 0.03)),
    lowStock: Math.max(3, Math.round(count * 0.05)),
    missingPhoto: Math.max(2, Math.round(count * 0.02)),
    missingVideo: Math.max(2, Math.round(count * 0.05)),
    zeroPrice: Math.max(1, Math.round(count * 0.004)),
    returnFlagged: Math.max(2, Math.round(count * 0.02)),
    unpublished: Math.max(2, Math.round(count * 0.04)),
  };
  const pool = shuffled(rng, rows);
  const take = (n: number): ProductRow[] => pool.splice(0, n);
  const touch = (p: ProductRow): void => {
    p.updatedAtMs = Math.max(p.createdAtMs, opts.asOfMs - Math.round((1 + rng() * 71) * HOUR));
  };
  const anomalies: ProductAnomalies = {
    outOfStock: [],
    lowStock: [],
    missingPhoto: [],
    missingVideo: [],
    zeroPrice: [],
    returnFlagged: [],
    unpublished: [],
  };
  const mark = (n: number, list: string[], change: (p: ProductRow) => void, recent = true): void => {
    for (const p of take(n)) {
      change(p);
      if (recent) touch(p);
      list.push(p.productId);
    }
  };
  mark(sizes.outOfStock, anomalies.outOfStock, (p) => (p.stock = 0));
  mark(sizes.lowStock, anomalies.lowStock, (p) => (p.stock = 1 + Math.floor(rng() * 5)));
  mark(sizes.missingPhoto, anomalies.missingPhoto, (p) => (p.hasPhoto = false), false);
  mark(sizes.missingVideo, anomalies.missingVideo, (p) => (p.hasVideo = false), false);
  // A price wiped by a bad import: history sold at the real price, the card now shows 0.
  mark(sizes.zeroPrice, anomalies.zeroPrice, (p) => {
    p.price = 0;
    p.compareAt = null;
  });
  mark(sizes.returnFlagged, anomalies.returnFlagged, (p) => (p.returnFlagged = true), false);
  mark(sizes.unpublished, anomalies.unpublished, (p) => (p.published = false));
  for (const list of Object.values(anomalies)) list.sort();
  return { rows, anomalies, establishedCount: established };
}
