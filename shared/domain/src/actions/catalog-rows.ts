import { sql } from "kysely";
import type { Db } from "@ownerbot/core/db";
import type { ShopSettings, ToolWarning } from "../contract.ts";
import { AppError } from "@ownerbot/core/errors";
import { countOf, ITEMS } from "../format/plural.ts";
import { changePct, money, pctChange, productId } from "./common.ts";
import type { ChangeRow, ForceOffer } from "./types.ts";

// Reading and repricing demo_products for the price and discount actions. Previews read plainly;
// commits read the same rows FOR UPDATE inside the ledger's transaction, so what is written is
// computed from the prices as they are at that moment.

export type ProductRow = {
  product_id: string;
  title: string;
  price: number;
  compare_at_price: number | null;
  published: boolean;
  stock_qty: number;
};

export async function productsByIds(db: Db, rawIds: readonly string[], lock = false): Promise<{ rows: ProductRow[]; missing: string[] }> {
  const ids = [...new Set(rawIds.map(productId))];
  const q = lock
    ? sql<ProductRow>`SELECT product_id, title, price, compare_at_price, published, stock_qty FROM demo_products
        WHERE product_id = ANY(${ids}::text[]) ORDER BY product_id FOR UPDATE`
    : sql<ProductRow>`SELECT product_id, title, price, compare_at_price, published, stock_qty FROM demo_products
        WHERE product_id = ANY(${ids}::text[]) ORDER BY product_id`;
  const rows = (await q.execute(db)).rows;
  const found = new Set(rows.map((r) => r.product_id));
  return { rows, missing: ids.filter((id) => !found.has(id)) };
}

/** Products found, or NOT_FOUND naming the ids that are not in the catalogue. */
export async function requireProducts(
  db: Db,
  rawIds: readonly string[],
  lock = false,
): Promise<{ rows: ProductRow[]; warnings: ToolWarning[] }> {
  const { rows, missing } = await productsByIds(db, rawIds, lock);
  if (rows.length === 0) throw new AppError("NOT_FOUND", `Таких товаров нет в каталоге: ${missing.slice(0, 5).join(", ")}.`);
  const warnings: ToolWarning[] =
    missing.length > 0 ? [{ code: "NOT_FOUND", message: `Не найдены и пропущены: ${missing.slice(0, 10).join(", ")}` }] : [];
  return { rows, warnings };
}

export type Repriced = ProductRow & { next: number; anomaly: boolean };

export type PriceChange = {
  changed: Repriced[];
  unchanged: number;
  over: number;
  before: number;
  after: number;
  force: ForceOffer;
};

/** New prices for rows; a change over `thresholdPct` of the old price is an anomaly. */
export function reprice(rows: readonly ProductRow[], next: (r: ProductRow) => number, thresholdPct: number): PriceChange {
  const changed: Repriced[] = [];
  let unchanged = 0;
  for (const r of rows) {
    const n = next(r);
    if (Math.abs(n - r.price) < 0.005) unchanged++;
    else changed.push({ ...r, next: n, anomaly: changePct(r.price, n) > thresholdPct });
  }
  const over = changed.filter((c) => c.anomaly).length;
  const force: ForceOffer = over === 0 ? "none" : over === changed.length ? "required" : "partial";
  const before = changed.reduce((s, c) => s + c.price, 0);
  const after = changed.reduce((s, c) => s + c.next, 0);
  return { changed, unchanged, over, before, after, force };
}

export function priceRows(changed: readonly Repriced[], shop: ShopSettings, limit = 10): ChangeRow[] {
  // Anomalies first: they are what the owner must look at before pressing ⚠️.
  const ordered = [...changed].sort((a, b) => Number(b.anomaly) - Number(a.anomaly) || a.product_id.localeCompare(b.product_id));
  return ordered.slice(0, limit).map((c) => ({
    id: c.product_id,
    title: c.title,
    before: money(c.price, shop),
    after: `${money(c.next, shop)}${pctChange(c.price, c.next, shop)}`,
    ...(c.anomaly ? { anomaly: true } : {}),
  }));
}

export function priceSummary(p: PriceChange, shop: ShopSettings): string[] {
  const lines = [`Товаров с новой ценой: ${p.changed.length}${p.unchanged > 0 ? ` (без изменений: ${p.unchanged})` : ""}`];
  if (p.changed.length > 0)
    lines.push(`Сумма этих цен: ${money(p.before, shop)} → ${money(p.after, shop)}${pctChange(p.before, p.after, shop)}`);
  return lines;
}

export function forceNote(p: PriceChange, thresholdPct: number): string | undefined {
  if (p.force === "partial")
    return `✅ применит изменения в пределах ${thresholdPct} %, ⚠️ — все, включая ${countOf(p.over, ITEMS)} за порогом.`;
  if (p.force === "required") return `Все изменения больше ${thresholdPct} % — применить можно только кнопкой ⚠️.`;
  return undefined;
}

export function forceWarning(p: PriceChange, thresholdPct: number): ToolWarning[] {
  return p.over > 0
    ? [{ code: "FORCE_REQUIRED", message: `${countOf(p.over, ITEMS)}: цена меняется больше чем на ${thresholdPct} %` }]
    : [];
}

/** Writes the new prices of the rows that may change: anomalies only with force. */
export async function writePrices(trx: Db, p: PriceChange, force: boolean): Promise<{ applied: Repriced[]; skipped: number }> {
  const applied = force ? p.changed : p.changed.filter((c) => !c.anomaly);
  if (applied.length === 0 && p.changed.length > 0) {
    throw new AppError("ACTION_CONFLICT", "FORCE_REQUIRED: все изменения за порогом; запустите действие снова и нажмите ⚠️.");
  }
  if (applied.length > 0) {
    await sql`UPDATE demo_products p SET price = v.price, updated_at = now()
      FROM jsonb_to_recordset(${JSON.stringify(applied.map((a) => ({ id: a.product_id, price: a.next })))}::jsonb) AS v(id text, price numeric)
      WHERE p.product_id = v.id`.execute(trx);
  }
  return { applied, skipped: p.changed.length - applied.length };
}
