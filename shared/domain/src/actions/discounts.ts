import { sql } from "kysely";
import { z } from "zod";
import type { Db } from "@ownerbot/core/db";
import type { ShopSettings, ToolWarning } from "../contract.ts";
import { countOf, ITEMS } from "../format/plural.ts";
import { boolParam, enumParam, intParam } from "../tools/params.ts";
import { DEMO_SOURCE, idsParam, money, pctChange, requireForce } from "./common.ts";
import { requireProducts, type ProductRow } from "./catalog-rows.ts";
import { sisDiscountsClearBranch, sisDiscountsSetBranch } from "./sis-catalog.ts";
import { defineAction, isMassChange, MASS_CHANGE_LIMIT, type ActionPreview, type ChangeRow, type ForceOffer } from "./types.ts";

// sis_discounts_set / sis_discounts_clear (reference §3 #26–27) on the demo catalogue. A discount
// keeps the full price in compare_at_price (the strike-through) and lowers price; clearing puts it
// back. The scope is what the owner named (gap #2: the reference cleared every discount when asked
// for two products); with no scope it is the whole catalogue, which is a mass change above
// MASS_CHANGE_LIMIT products and needs ⚠️, as does a discount over 50 %.

const DISCOUNT_ANOMALY_PCT = 50;

const scope = {
  product_ids: idsParam(100_000).optional(),
  only_active: boolParam().optional(),
  reason: z.string().trim().max(300).optional(),
  /** Pinned by a SIS preview: the commit goes to SIS, whatever the mode is by then. */
  upstream: enumParam(["demo", "sis"] as const).optional(),
};

type Scope = { product_ids?: string[] | undefined; only_active?: boolean | undefined; stock_lte?: number | undefined };

async function scoped(db: Db, s: Scope, lock: boolean): Promise<{ rows: ProductRow[]; warnings: ToolWarning[]; total: number }> {
  let base: { rows: ProductRow[]; warnings: ToolWarning[] };
  if (s.product_ids) base = await requireProducts(db, s.product_ids, lock);
  else {
    const q = sql<ProductRow>`SELECT product_id, title, price, compare_at_price, published, stock_qty FROM demo_products
      WHERE price > 0 ORDER BY product_id ${lock ? sql`FOR UPDATE` : sql``}`;
    base = { rows: (await q.execute(db)).rows, warnings: [] };
  }
  const rows = base.rows.filter(
    (r) => (s.only_active !== true || r.published) && (s.stock_lte === undefined || r.stock_qty <= s.stock_lte),
  );
  const total = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM demo_products WHERE price > 0`.execute(db)).rows[0]?.n ?? 0;
  return { rows, warnings: base.warnings, total };
}

function scopeLine(s: Scope): string {
  if (s.product_ids) return `Товары: ${s.product_ids.slice(0, 10).join(", ")}${s.product_ids.length > 10 ? "…" : ""}`;
  const parts = ["весь каталог"];
  if (s.stock_lte !== undefined) parts.push(`остаток ≤ ${s.stock_lte}`);
  if (s.only_active === true) parts.push("только опубликованные");
  return `Товары: ${parts.join(", ")}`;
}

type Change = { row: ProductRow; price: number; compareAt: number | null };

function rowsOf(changes: readonly Change[], shop: ShopSettings): ChangeRow[] {
  return changes.slice(0, 10).map((c) => ({
    id: c.row.product_id,
    title: c.row.title,
    before: `${money(c.row.price, shop)}${c.row.compare_at_price !== null ? ` (было ${money(c.row.compare_at_price, shop)})` : ""}`,
    after: `${money(c.price, shop)}${pctChange(c.row.price, c.price, shop)}${c.compareAt !== null ? `, зачёркнута ${money(c.compareAt, shop)}` : ""}`,
  }));
}

function massOffer(n: number, total: number, extra: ToolWarning[]): { force: ForceOffer; warnings: ToolWarning[]; forceNote?: string } {
  const warnings = [...extra];
  if (isMassChange(n, total))
    warnings.push({ code: `MASS_CHANGE_OVER_${MASS_CHANGE_LIMIT}`, message: `Массовое изменение: ${countOf(n, ITEMS)} из ${total}` });
  const required = warnings.some((w) => w.code.startsWith("MASS_CHANGE_OVER") || w.code === "DISCOUNT_OVER_50");
  return required ? { force: "required", warnings, forceNote: "Применить можно только кнопкой ⚠️." } : { force: "none", warnings };
}

async function write(trx: Db, changes: readonly Change[]): Promise<void> {
  if (changes.length === 0) return;
  const v = JSON.stringify(changes.map((c) => ({ id: c.row.product_id, price: c.price, cmp: c.compareAt })));
  await sql`UPDATE demo_products p SET price = v.price, compare_at_price = v.cmp, updated_at = now()
    FROM jsonb_to_recordset(${v}::jsonb) AS v(id text, price numeric, cmp numeric) WHERE p.product_id = v.id`.execute(trx);
}

const setInput = z.object({ ...scope, stock_lte: intParam(1, 9999).optional(), discount_percent: intParam(1, 95) });

function setChanges(rows: readonly ProductRow[], pct: number): Change[] {
  const out: Change[] = [];
  for (const r of rows) {
    const full = r.compare_at_price ?? r.price;
    const price = Math.round(full * (100 - pct)) / 100;
    if (r.compare_at_price !== null && Math.abs(r.price - price) < 0.005) continue;
    out.push({ row: r, price, compareAt: full });
  }
  return out;
}

export const sisDiscountsSet = defineAction({
  name: "sis_discounts_set",
  title: "Скидка на товары",
  description:
    "Discount products by discount_percent (ids, stock_lte, only_active, or all); full price kept as compare_at; mass changes need force.",
  input: setInput,
  async preview(i, ctx): Promise<ActionPreview> {
    const { rows, warnings, total } = await scoped(ctx.db, i, false);
    const changes = setChanges(rows, i.discount_percent);
    const extra =
      i.discount_percent > DISCOUNT_ANOMALY_PCT ? [{ code: "DISCOUNT_OVER_50", message: `Скидка больше ${DISCOUNT_ANOMALY_PCT} %` }] : [];
    return {
      title: `Скидка ${i.discount_percent} %`,
      summary: [
        scopeLine(i),
        `Товаров, где появится скидка: ${changes.length}${rows.length > changes.length ? ` (уже со скидкой ${i.discount_percent} %: ${rows.length - changes.length})` : ""}`,
      ],
      rows: rowsOf(changes, ctx.shop),
      affected: changes.length,
      unit: "товаров",
      source: DEMO_SOURCE("demo_products"),
      noop: changes.length === 0,
      noopReason: rows.length === 0 ? "под условие не попал ни один товар" : "у этих товаров уже такая скидка",
      ...massOffer(changes.length, total, [...warnings, ...extra]),
      commit: { ...i, product_ids: rows.map((r) => r.product_id) },
    };
  },
  async commit(i, ctx) {
    const { rows, total } = await scoped(ctx.trx, i, true);
    const changes = setChanges(rows, i.discount_percent);
    requireForce(
      massOffer(changes.length, total, i.discount_percent > DISCOUNT_ANOMALY_PCT ? [{ code: "DISCOUNT_OVER_50", message: "" }] : []).force,
      ctx.force,
    );
    await write(ctx.trx, changes);
    return {
      lines: [`Скидка ${i.discount_percent} % поставлена; товаров: ${changes.length}`],
      affected: changes.length,
      rows: rowsOf(changes, ctx.shop),
    };
  },
  sis: sisDiscountsSetBranch,
});

const clearInput = z.object({ ...scope, clear_compare_at: boolParam().default(true) });

function clearChanges(rows: readonly ProductRow[], restore: boolean): Change[] {
  return rows
    .filter((r) => r.compare_at_price !== null)
    .map((r) => ({ row: r, price: restore ? (r.compare_at_price ?? r.price) : r.price, compareAt: null }));
}

export const sisDiscountsClear = defineAction({
  name: "sis_discounts_clear",
  title: "Снятие скидок",
  description:
    "Remove discounts (ids, only_active, or all): price back to compare_at (clear_compare_at) or keep it; mass changes need force.",
  input: clearInput,
  async preview(i, ctx): Promise<ActionPreview> {
    const { rows, warnings, total } = await scoped(ctx.db, i, false);
    const changes = clearChanges(rows, i.clear_compare_at);
    return {
      title: "Снятие скидок",
      summary: [
        scopeLine(i),
        `Товаров, где снимется скидка: ${changes.length}`,
        i.clear_compare_at ? "Цена вернётся к зачёркнутой" : "Цена останется, зачёркнутая уберётся",
      ],
      rows: rowsOf(changes, ctx.shop),
      affected: changes.length,
      unit: "товаров",
      source: DEMO_SOURCE("demo_products"),
      noop: changes.length === 0,
      noopReason: "у этих товаров нет скидок",
      ...massOffer(changes.length, total, warnings),
      commit: { ...i, product_ids: rows.map((r) => r.product_id) },
    };
  },
  async commit(i, ctx) {
    const { rows, total } = await scoped(ctx.trx, i, true);
    const changes = clearChanges(rows, i.clear_compare_at);
    requireForce(massOffer(changes.length, total, []).force, ctx.force);
    await write(ctx.trx, changes);
    return { lines: [`Скидка снята; товаров: ${changes.length}`], affected: changes.length, rows: rowsOf(changes, ctx.shop) };
  },
  sis: sisDiscountsClearBranch,
});
