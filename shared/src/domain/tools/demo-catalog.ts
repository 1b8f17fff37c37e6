import { sql } from "kysely";
import type { Db } from "../../db/pool.ts";
import type { LocalDay } from "../format/dates.ts";
import type { InventorySection, ProductDemand, ProductRow, RefundBreakdown, SalesGroupBy, SalesRanking } from "./provider.ts";

// Products, sales and refunds for the DEMO provider. Period questions read the daily rollups
// (demo_product_sales_daily), never the raw order items, so they stay fast at 1M orders.

export async function salesRanking(
  db: Db,
  q: {
    from: LocalDay;
    to: LocalDay;
    groupBy: SalesGroupBy;
    metric: "revenue" | "qty";
    direction: "top" | "bottom";
    limit: number;
    offset: number;
  },
): Promise<SalesRanking> {
  const keyExpr = q.groupBy === "product" ? sql`s.product_id` : sql`coalesce(p.category, '—')`;
  const order = sql.raw(`${q.metric === "revenue" ? "revenue" : "qty"} ${q.direction === "top" ? "DESC" : "ASC"}, key ASC`);
  const { rows } = await sql<{
    key: string;
    title: string;
    category: string | null;
    qty: number;
    revenue: number;
    total_qty: number;
    total_revenue: number;
    keys: number;
  }>`
    WITH g AS (
      SELECT ${keyExpr} AS key,
             ${q.groupBy === "product" ? sql`max(p.title)` : sql`min(${keyExpr})`} AS title,
             ${q.groupBy === "product" ? sql`max(p.category)` : sql`NULL::text`} AS category,
             sum(s.qty)::bigint AS qty, sum(s.revenue) AS revenue
      FROM demo_product_sales_daily s
      LEFT JOIN demo_products p ON p.product_id = s.product_id
      WHERE s.day BETWEEN ${q.from}::date AND ${q.to}::date
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
      .filter((r) => r.key !== null)
      .map((r) => ({ key: r.key, title: r.title ?? r.key, category: r.category, qty: Number(r.qty), revenue: Number(r.revenue) })),
    totals: {
      qty: Number(first?.total_qty ?? 0),
      revenue: Number(first?.total_revenue ?? 0),
      keys: Number(first?.keys ?? 0),
    },
  };
}

export async function demandSeries(
  db: Db,
  q: { from: LocalDay; to: LocalDay; categories?: string[] },
): Promise<ProductDemand[]> {
  const cats = q.categories && q.categories.length > 0 ? q.categories : null;
  const { rows } = await sql<{
    product_id: string;
    title: string;
    category: string;
    stock_qty: number;
    offs: number[];
    qtys: number[];
  }>`
    SELECT p.product_id, p.title, p.category, p.stock_qty,
           array_agg((s.day - ${q.from}::date) ORDER BY s.day) AS offs,
           array_agg(s.qty ORDER BY s.day) AS qtys
    FROM demo_product_sales_daily s
    JOIN demo_products p ON p.product_id = s.product_id
    WHERE s.day BETWEEN ${q.from}::date AND ${q.to}::date
      ${cats ? sql`AND p.category = ANY(${cats}::text[])` : sql``}
    GROUP BY p.product_id`.execute(db);
  return rows.map((r) => ({
    productId: r.product_id,
    title: r.title,
    category: r.category,
    stockQty: r.stock_qty,
    series: r.offs.map((o, i) => [Number(o), Number(r.qtys[i] ?? 0)] as [number, number]),
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
 * proportion to their value, so a product's share is what it contributed to the refunded money.
 */
export async function refundBreakdown(
  db: Db,
  q: { start: Date; end: Date; by: "reason" | "product"; limit: number },
): Promise<RefundBreakdown[]> {
  if (q.by === "reason") {
    const { rows } = await sql<{ key: string; count: number; amount: number }>`
      SELECT reason AS key, count(*)::int AS count, sum(amount) AS amount
      FROM demo_refunds WHERE created_at >= ${q.start} AND created_at < ${q.end}
      GROUP BY reason ORDER BY count DESC, amount DESC, reason LIMIT ${q.limit}`.execute(db);
    return rows.map((r) => ({ key: r.key, title: r.key, count: r.count, amount: Number(r.amount) }));
  }
  const { rows } = await sql<{ key: string; title: string | null; count: number; amount: number }>`
    SELECT i.product_id AS key, max(p.title) AS title, count(DISTINCT r.refund_id)::int AS count,
           round(sum(r.amount * (i.qty * i.unit_price) / nullif(o.amount, 0)), 2) AS amount
    FROM demo_refunds r
    JOIN demo_orders o ON o.order_id = r.order_id
    JOIN demo_order_items i ON i.order_id = r.order_id
    LEFT JOIN demo_products p ON p.product_id = i.product_id
    WHERE r.created_at >= ${q.start} AND r.created_at < ${q.end}
    GROUP BY i.product_id ORDER BY count DESC, amount DESC NULLS LAST, i.product_id LIMIT ${q.limit}`.execute(db);
  return rows.map((r) => ({ key: r.key, title: r.title ?? r.key, count: r.count, amount: Number(r.amount ?? 0) }));
}
