import { sql } from "kysely";
import type { Db } from "@ownerbot/core/db";
import { addDays, dayDiff, type LocalDay } from "../format/dates.ts";
import type { InventorySection, ProductDemand, ProductRow, RefundBreakdown, SalesRanking, ShopProvider } from "./provider.ts";

// Products, sales and refunds for the DEMO provider. Period questions read the daily rollups
// (demo_product_sales_daily), never the raw order items, so they stay fast at 1M orders.

type RankingQuery = Parameters<ShopProvider["salesRanking"]>[0];

/**
 * Per-product sales of [from, to] (products that sold only): from the running totals when they are
 * current (value at `to` minus value the day before `from`), else summed from the daily rollup.
 */
function productSales(from: LocalDay, to: LocalDay, cumulative: boolean) {
  if (!cumulative) {
    return sql`SELECT product_id, sum(qty)::bigint AS qty, sum(revenue) AS revenue, count(*)::int AS sale_days
               FROM demo_product_sales_daily WHERE day BETWEEN ${from}::date AND ${to}::date GROUP BY product_id`;
  }
  return sql`
    SELECT e.product_id, (e.cum_qty - coalesce(b.cum_qty, 0))::bigint AS qty, e.cum_revenue - coalesce(b.cum_revenue, 0) AS revenue,
           (e.cum_days - coalesce(b.cum_days, 0))::int AS sale_days
    FROM demo_product_sales_cum e
    LEFT JOIN demo_product_sales_cum b ON b.product_id = e.product_id AND b.day = ${from}::date - 1
    WHERE e.day = (SELECT max(day) FROM demo_product_sales_cum WHERE day <= ${to}::date)
      AND e.cum_days - coalesce(b.cum_days, 0) > 0`;
}

export async function salesRanking(db: Db, q: RankingQuery, cumulative: () => Promise<boolean>): Promise<SalesRanking> {
  const src = productSales(q.from, q.to, await cumulative());
  const byProduct = q.groupBy === "product";
  const order = sql.raw(`${q.metric === "revenue" ? "revenue" : "qty"} ${q.direction === "top" ? "DESC" : "ASC"}, key ASC`);
  const { rows } = await sql<{
    key: string | null;
    title: string | null;
    category: string | null;
    qty: number;
    revenue: number;
    total_qty: number;
    total_revenue: number;
    keys: number;
  }>`
    WITH s AS (${src}),
    g AS (
      SELECT ${byProduct ? sql`s.product_id` : sql`coalesce(p.category, '—')`} AS key,
             ${byProduct ? sql`max(p.title)` : sql`min(coalesce(p.category, '—'))`} AS title,
             ${byProduct ? sql`max(p.category)` : sql`NULL::text`} AS category,
             sum(s.qty)::bigint AS qty, sum(s.revenue) AS revenue
      FROM s LEFT JOIN demo_products p ON p.product_id = s.product_id
      GROUP BY 1
    )
    SELECT g.*, t.total_qty, t.total_revenue, t.keys
    FROM (SELECT coalesce(sum(qty), 0)::bigint AS total_qty, coalesce(sum(revenue), 0) AS total_revenue,
                 count(*)::int AS keys FROM g) t
    LEFT JOIN LATERAL (SELECT * FROM g ORDER BY ${order} LIMIT ${q.limit} OFFSET ${q.offset}) g ON true
    ORDER BY ${order}`.execute(db);
  const first = rows[0];
  return {
    rows: rows
      .filter((r): r is typeof r & { key: string } => r.key !== null)
      .map((r) => ({ key: r.key, title: r.title ?? r.key, category: r.category, qty: Number(r.qty), revenue: Number(r.revenue) })),
    totals: {
      qty: Number(first?.total_qty ?? 0),
      revenue: Number(first?.total_revenue ?? 0),
      keys: Number(first?.keys ?? 0),
    },
  };
}

/** The smoothing the running totals carry an SES sum for (0013): the tools' default α. */
export const CUM_SES_ALPHA = 0.35;

/**
 * Totals, days with sales, the last window and (when `alpha` is given) the SES level per product.
 * SMA needs only sums, which the running totals give per window; SES weighs every day, so it reads
 * the daily rows of the whole history. With the running totals current, the sums come from them and
 * the SES pass over the daily rows is split into two halves of the history run side by side (the
 * unrolled sum is additive over days), which roughly halves the slowest part on two cores.
 */
export async function demandStats(
  db: Db,
  q: { from: LocalDay; to: LocalDay; windowDays: number; alpha?: number; categories?: string[] },
  cumulative: () => Promise<boolean>,
): Promise<ProductDemand[]> {
  const cats = q.categories && q.categories.length > 0 ? q.categories : null;
  const span = dayDiff(q.from, q.to);
  const windowFrom = addDays(q.to, -(Math.min(q.windowDays, span + 1) - 1));
  const cum = await cumulative();
  // SES unrolled: s_T = (1−α)^T·x_0 + Σ_{t≥1} α(1−α)^(T−t)·x_t, with T = to − from and t = day − from.
  const sesTerm = (a: number) =>
    sql`sum(qty * CASE WHEN day = ${q.from}::date THEN power(1 - ${a}::float8, ${span}::int)
                       ELSE ${a}::float8 * power(1 - ${a}::float8, (${q.to}::date - day)) END)`;
  // With the running totals current and the default α, the SES level comes from them (0013) too.
  const fastSes = cum && q.alpha === CUM_SES_ALPHA;
  let agg;
  if (q.alpha !== undefined && !cum) {
    agg = sql`
      SELECT product_id, sum(qty)::bigint AS total_qty, count(*)::int AS sale_days,
             coalesce(sum(qty) FILTER (WHERE day >= ${windowFrom}::date), 0)::bigint AS window_qty,
             ${sesTerm(q.alpha)} AS ses
      FROM demo_product_sales_daily WHERE day BETWEEN ${q.from}::date AND ${q.to}::date
      GROUP BY product_id`;
  } else if (cum) {
    // Three lookups per product: the last day, the day before the history and before the window
    // (a fourth, the history's first day, for SES: s_T = E_T + (1 − α)^(T − from)·(x_from − E_from)).
    const ses = fastSes
      ? sql`e.ses_a35 * power(1 - ${CUM_SES_ALPHA}::float8, ${q.to}::date - e.day)
            + power(1 - ${CUM_SES_ALPHA}::float8, ${span}::int)
              * ((coalesce(f.cum_qty, 0) - coalesce(b.cum_qty, 0)) - coalesce(f.ses_a35, 0))`
      : sql`0::float8`;
    agg = sql`
      SELECT e.product_id, (e.cum_qty - coalesce(b.cum_qty, 0))::bigint AS total_qty,
             (e.cum_days - coalesce(b.cum_days, 0))::int AS sale_days,
             (e.cum_qty - coalesce(w.cum_qty, 0))::bigint AS window_qty, ${ses} AS ses
      FROM demo_product_sales_cum e
      LEFT JOIN demo_product_sales_cum b ON b.product_id = e.product_id AND b.day = ${q.from}::date - 1
      LEFT JOIN demo_product_sales_cum w ON w.product_id = e.product_id AND w.day = ${windowFrom}::date - 1
      ${fastSes ? sql`LEFT JOIN demo_product_sales_cum f ON f.product_id = e.product_id AND f.day = ${q.from}::date` : sql``}
      WHERE e.day = (SELECT max(day) FROM demo_product_sales_cum WHERE day <= ${q.to}::date)
        AND e.cum_days - coalesce(b.cum_days, 0) > 0`;
  } else {
    agg = sql`
      SELECT h.product_id, h.qty AS total_qty, h.sale_days, coalesce(w.qty, 0)::bigint AS window_qty, 0::float8 AS ses
      FROM (${productSales(q.from, q.to, cum)}) h LEFT JOIN (${productSales(windowFrom, q.to, cum)}) w ON w.product_id = h.product_id`;
  }
  const base = sql<{
    product_id: string;
    title: string;
    category: string;
    stock_qty: number;
    total_qty: number;
    sale_days: number;
    window_qty: number;
    ses: number | null;
  }>`
    SELECT p.product_id, p.title, p.category, p.stock_qty, s.total_qty, s.sale_days, s.window_qty, s.ses
    FROM (${agg}) s JOIN demo_products p ON p.product_id = s.product_id
    ${cats ? sql`WHERE p.category = ANY(${cats}::text[])` : sql``}`.execute(db);
  const halves = (alpha: number): Promise<{ rows: { product_id: string; ses: number }[] }>[] => {
    const mid = addDays(q.from, Math.floor(span / 2));
    const parts = [
      [q.from, mid],
      [addDays(mid, 1), q.to],
    ] as const;
    return parts
      .filter(([a, b]) => a <= b)
      .map(([a, b]) =>
        sql<{ product_id: string; ses: number }>`
          SELECT product_id, ${sesTerm(alpha)} AS ses
          FROM demo_product_sales_daily WHERE day BETWEEN ${a}::date AND ${b}::date
          ${cats ? sql`AND product_id IN (SELECT product_id FROM demo_products WHERE category = ANY(${cats}::text[]))` : sql``}
          GROUP BY product_id`.execute(db),
      );
  };
  const slowSes = q.alpha !== undefined && cum && !fastSes;
  const [{ rows }, ...first] = await Promise.all([base, ...(slowSes && q.alpha !== undefined ? halves(q.alpha) : [])]);
  // ses_a35 is NULL for histories too long for float8 (0013): then the daily rows are summed after all.
  const fallback = fastSes && rows.some((r) => r.ses === null);
  const parts = fallback ? await Promise.all(halves(CUM_SES_ALPHA)) : first;
  const ses = new Map<string, number>();
  for (const part of parts) for (const r of part.rows) ses.set(r.product_id, (ses.get(r.product_id) ?? 0) + Number(r.ses));
  const fromParts = slowSes || fallback;
  return rows.map((r) => ({
    productId: r.product_id,
    title: r.title,
    category: r.category,
    stockQty: r.stock_qty,
    totalQty: Number(r.total_qty),
    saleDays: r.sale_days,
    windowQty: Number(r.window_qty),
    sesLevel: q.alpha === undefined ? null : fromParts ? (ses.get(r.product_id) ?? 0) : Number(r.ses),
  }));
}

/** Where each catalogue bucket is defined once, for the counts and the lists alike (reference §7). */
function sectionWhere(section: InventorySection, lowStockLte: number) {
  switch (section) {
    case "out_of_stock":
      return sql`published AND stock_qty <= 0`;
    case "low_stock":
      return sql`published AND stock_qty > 0 AND stock_qty <= ${lowStockLte}`;
    case "missing_photo":
      return sql`published AND NOT has_photo`;
    case "missing_price":
      return sql`published AND price <= 0`;
    case "missing_video":
      return sql`published AND NOT has_video`;
    case "return_flags":
      return sql`return_flagged`;
    case "unpublished":
      return sql`NOT published`;
  }
}

export const INVENTORY_SECTIONS: InventorySection[] = [
  "out_of_stock",
  "low_stock",
  "missing_photo",
  "missing_price",
  "missing_video",
  "return_flags",
  "unpublished",
];

export async function inventoryCounts(db: Db, lowStockLte: number): Promise<Record<InventorySection, number>> {
  const cols = INVENTORY_SECTIONS.map((s) => sql`count(*) FILTER (WHERE ${sectionWhere(s, lowStockLte)})::int AS ${sql.ref(s)}`);
  const { rows } = await sql<Record<InventorySection, number>>`SELECT ${sql.join(cols)} FROM demo_products`.execute(db);
  const r = rows[0];
  const out = {} as Record<InventorySection, number>;
  for (const s of INVENTORY_SECTIONS) out[s] = Number(r?.[s] ?? 0);
  return out;
}

export async function inventoryList(
  db: Db,
  section: InventorySection,
  lowStockLte: number,
  limit: number,
  offset: number,
): Promise<ProductRow[]> {
  const order = section === "low_stock" ? sql`stock_qty ASC, title` : sql`title`;
  const { rows } = await sql<{
    product_id: string;
    title: string;
    category: string;
    price: number;
    currency: string;
    stock_qty: number;
    published: boolean;
  }>`
    SELECT product_id, title, category, price, currency, stock_qty, published
    FROM demo_products WHERE ${sectionWhere(section, lowStockLte)}
    ORDER BY ${order}, product_id LIMIT ${limit} OFFSET ${offset}`.execute(db);
  return rows.map((r) => ({
    productId: r.product_id,
    title: r.title,
    category: r.category,
    price: r.price,
    currency: r.currency,
    stockQty: r.stock_qty,
    published: r.published,
  }));
}

/**
 * Refunds in [start, end) by reason, or by product. A refund is spread over its order's items in
 * proportion to their value, so the shares of one refund add up to exactly its amount.
 */
export async function refundBreakdown(
  db: Db,
  q: { start: Date; end: Date; by: "reason" | "product"; limit: number },
  cumulative: () => Promise<boolean>,
): Promise<RefundBreakdown[]> {
  if (q.by === "reason") {
    const { rows } = await sql<{ key: string; count: number; amount: number }>`
      SELECT reason AS key, count(*)::int AS count, sum(amount) AS amount
      FROM demo_refunds WHERE created_at >= ${q.start} AND created_at < ${q.end}
      GROUP BY reason ORDER BY count DESC, amount DESC, reason LIMIT ${q.limit}`.execute(db);
    return rows.map((r) => ({ key: r.key, title: r.key, count: r.count, amount: Number(r.amount) }));
  }
  // One row per refund and product with its unrounded share (0007), or the same spread computed here.
  const shares = (await cumulative())
    ? sql`SELECT product_id, amount FROM demo_refund_product_shares WHERE created_at >= ${q.start} AND created_at < ${q.end}`
    : sql`
      WITH r AS (SELECT refund_id, order_id, amount FROM demo_refunds WHERE created_at >= ${q.start} AND created_at < ${q.end}),
      i AS (
        SELECT r.refund_id, r.amount, it.product_id, it.qty * it.unit_price AS v,
               sum(it.qty * it.unit_price) OVER (PARTITION BY r.refund_id) AS order_v
        FROM r JOIN demo_order_items it ON it.order_id = r.order_id
      )
      SELECT product_id, sum(amount * v / nullif(order_v, 0)) AS amount FROM i GROUP BY refund_id, product_id`;
  const { rows } = await sql<{ key: string; title: string | null; count: number; amount: number }>`
    WITH g AS (
      SELECT product_id, count(*)::int AS count, round(sum(amount), 2) AS amount
      FROM (${shares}) s GROUP BY product_id ORDER BY count DESC, amount DESC NULLS LAST, product_id LIMIT ${q.limit}
    )
    SELECT g.product_id AS key, p.title, g.count, g.amount
    FROM g LEFT JOIN demo_products p ON p.product_id = g.product_id
    ORDER BY g.count DESC, g.amount DESC NULLS LAST, g.product_id`.execute(db);
  return rows.map((r) => ({ key: r.key, title: r.title ?? r.key, count: r.count, amount: Number(r.amount ?? 0) }));
}
