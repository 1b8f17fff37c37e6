import { sql } from "kysely";
import type { Db } from "../../db/pool.ts";
import { addDays, dayDiff, type LocalDay } from "../format/dates.ts";
import type { InventorySection, ProductDemand, ProductRow, RefundBreakdown, SalesGroupBy, SalesRanking } from "./provider.ts";

// Products, sales and refunds for the DEMO provider. Period questions read the daily rollups
// (demo_product_sales_daily), never the raw order items, so they stay fast at 1M orders.

/** Windows at least this long read whole months from demo_product_sales_monthly. */
export const MONTHLY_FROM_DAYS = 45;

type RankingQuery = {
  from: LocalDay;
  to: LocalDay;
  groupBy: SalesGroupBy;
  metric: "revenue" | "qty";
  direction: "top" | "bottom";
  limit: number;
  offset: number;
};

/** The full calendar months inside [from, to] as [first month start, day after the last month). */
export function fullMonths(from: LocalDay, to: LocalDay): { start: LocalDay; end: LocalDay } | null {
  const start = from.endsWith("-01") ? from : `${addMonths(from.slice(0, 7), 1)}-01`;
  const nextAfterTo = addDays(to, 1);
  const end = nextAfterTo.endsWith("-01") ? nextAfterTo : `${to.slice(0, 7)}-01`;
  return start < end ? { start, end } : null;
}

function addMonths(ym: string, n: number): string {
  const [y, m] = ym.split("-").map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 + n, 1));
  return d.toISOString().slice(0, 7);
}

export async function salesRanking(db: Db, q: RankingQuery, useMonthly: () => Promise<boolean>): Promise<SalesRanking> {
  const months = dayDiff(q.from, q.to) + 1 >= MONTHLY_FROM_DAYS ? fullMonths(q.from, q.to) : null;
  const monthly = months !== null && (await useMonthly());
  // The rows to sum: whole months from the monthly view, the ragged edges from the daily rollup.
  const src = monthly
    ? sql`SELECT product_id, qty, revenue FROM demo_product_sales_daily
            WHERE day >= ${q.from}::date AND day < ${months.start}::date
          UNION ALL
          SELECT product_id, qty, revenue FROM demo_product_sales_monthly
            WHERE month >= ${months.start}::date AND month < ${months.end}::date
          UNION ALL
          SELECT product_id, qty, revenue FROM demo_product_sales_daily
            WHERE day >= ${months.end}::date AND day <= ${q.to}::date`
    : sql`SELECT product_id, qty, revenue FROM demo_product_sales_daily WHERE day BETWEEN ${q.from}::date AND ${q.to}::date`;
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
    WITH s AS (SELECT product_id, sum(qty)::bigint AS qty, sum(revenue) AS revenue FROM (${src}) x GROUP BY product_id),
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

/**
 * Refreshes the monthly view when the demo shop was re-seeded after its last refresh; false when
 * there is no generated shop (hand-made fixtures), in which case callers stay on the daily rollup.
 * The advisory lock keeps two workers from refreshing at once; the loser finds the mark current.
 */
export async function ensureMonthlyFresh(db: Db): Promise<boolean> {
  const check = sql<{ generated_at: Date; mark: Date | null }>`
    SELECT m.generated_at, r.source_generated_at AS mark
    FROM demo_meta m LEFT JOIN demo_rollup_marks r ON r.name = 'demo_product_sales_monthly'`;
  const row = (await check.execute(db)).rows[0];
  if (!row) return false;
  if (row.mark && row.mark.getTime() === row.generated_at.getTime()) return true;
  await db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(hashtext('demo_product_sales_monthly'))`.execute(trx);
    const again = (await check.execute(trx)).rows[0];
    if (!again || (again.mark && again.mark.getTime() === again.generated_at.getTime())) return;
    await sql`REFRESH MATERIALIZED VIEW demo_product_sales_monthly`.execute(trx);
    await sql`INSERT INTO demo_rollup_marks (name, source_generated_at) VALUES ('demo_product_sales_monthly', ${again.generated_at})
              ON CONFLICT (name) DO UPDATE SET source_generated_at = EXCLUDED.source_generated_at, refreshed_at = now()`.execute(trx);
  });
  return true;
}

/**
 * Daily rows of [from, to] for sum/count aggregates, with whole months taken from the monthly view
 * when the range is long and the view is current. Columns: product_id, qty, sale_days, in_window.
 */
async function salesRows(db: Db, from: LocalDay, to: LocalDay, inWindow: boolean, useMonthly: () => Promise<boolean>) {
  const flag = sql.raw(inWindow ? "true" : "false");
  const daily = (a: LocalDay, b: LocalDay, bEx: boolean) =>
    sql`SELECT product_id, qty, 1 AS sale_days, ${flag} AS in_window FROM demo_product_sales_daily
        WHERE day >= ${a}::date AND ${bEx ? sql`day < ${b}::date` : sql`day <= ${b}::date`}`;
  const months = dayDiff(from, to) + 1 >= MONTHLY_FROM_DAYS ? fullMonths(from, to) : null;
  if (!months || !(await useMonthly())) return daily(from, to, false);
  return sql`${daily(from, months.start, true)}
    UNION ALL SELECT product_id, qty, sale_days, ${flag} FROM demo_product_sales_monthly
      WHERE month >= ${months.start}::date AND month < ${months.end}::date
    UNION ALL ${daily(months.end, to, false)}`;
}

/**
 * Totals, days with sales, the last window and (when `alpha` is given) the SES level per product.
 * SMA needs only sums, so the part of the history before the window may come from whole months;
 * SES weighs every day, so it reads the daily rows of the whole history.
 */
export async function demandStats(
  db: Db,
  q: { from: LocalDay; to: LocalDay; windowDays: number; alpha?: number; categories?: string[] },
  useMonthly: () => Promise<boolean>,
): Promise<ProductDemand[]> {
  const cats = q.categories && q.categories.length > 0 ? q.categories : null;
  const span = dayDiff(q.from, q.to);
  const windowFrom = addDays(q.to, -(Math.min(q.windowDays, span + 1) - 1));
  let agg;
  if (q.alpha !== undefined) {
    // SES unrolled: s_T = (1−α)^T·x_0 + Σ_{t≥1} α(1−α)^(T−t)·x_t, with T = to − from and t = day − from.
    const a = q.alpha;
    agg = sql`
      SELECT product_id, sum(qty)::bigint AS total_qty, count(*)::int AS sale_days,
             coalesce(sum(qty) FILTER (WHERE day >= ${windowFrom}::date), 0)::bigint AS window_qty,
             sum(qty * CASE WHEN day = ${q.from}::date THEN power(1 - ${a}::float8, ${span}::int)
                            ELSE ${a}::float8 * power(1 - ${a}::float8, (${q.to}::date - day)) END) AS ses
      FROM demo_product_sales_daily WHERE day BETWEEN ${q.from}::date AND ${q.to}::date
      GROUP BY product_id`;
  } else {
    const older = windowFrom > q.from ? await salesRows(db, q.from, addDays(windowFrom, -1), false, useMonthly) : null;
    const recent = sql`SELECT product_id, qty, 1 AS sale_days, true AS in_window FROM demo_product_sales_daily
                       WHERE day >= ${windowFrom}::date AND day <= ${q.to}::date`;
    agg = sql`
      SELECT product_id, sum(qty)::bigint AS total_qty, sum(sale_days)::int AS sale_days,
             coalesce(sum(qty) FILTER (WHERE in_window), 0)::bigint AS window_qty, 0::float8 AS ses
      FROM (${recent} ${older ? sql`UNION ALL ${older}` : sql``}) x GROUP BY product_id`;
  }
  const { rows } = await sql<{
    product_id: string;
    title: string;
    category: string;
    stock_qty: number;
    total_qty: number;
    sale_days: number;
    window_qty: number;
    ses: number;
  }>`
    SELECT p.product_id, p.title, p.category, p.stock_qty, s.total_qty, s.sale_days, s.window_qty, s.ses
    FROM (${agg}) s JOIN demo_products p ON p.product_id = s.product_id
    ${cats ? sql`WHERE p.category = ANY(${cats}::text[])` : sql``}`.execute(db);
  return rows.map((r) => ({
    productId: r.product_id,
    title: r.title,
    category: r.category,
    stockQty: r.stock_qty,
    totalQty: Number(r.total_qty),
    saleDays: r.sale_days,
    windowQty: Number(r.window_qty),
    sesLevel: q.alpha !== undefined ? Number(r.ses) : null,
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
): Promise<RefundBreakdown[]> {
  if (q.by === "reason") {
    const { rows } = await sql<{ key: string; count: number; amount: number }>`
      SELECT reason AS key, count(*)::int AS count, sum(amount) AS amount
      FROM demo_refunds WHERE created_at >= ${q.start} AND created_at < ${q.end}
      GROUP BY reason ORDER BY count DESC, amount DESC, reason LIMIT ${q.limit}`.execute(db);
    return rows.map((r) => ({ key: r.key, title: r.key, count: r.count, amount: Number(r.amount) }));
  }
  const { rows } = await sql<{ key: string; title: string | null; count: number; amount: number }>`
    WITH r AS (SELECT refund_id, order_id, amount FROM demo_refunds WHERE created_at >= ${q.start} AND created_at < ${q.end}),
    i AS (
      SELECT r.refund_id, r.amount, it.product_id, it.qty * it.unit_price AS v,
             sum(it.qty * it.unit_price) OVER (PARTITION BY r.refund_id) AS order_v
      FROM r JOIN demo_order_items it ON it.order_id = r.order_id
    )
    SELECT i.product_id AS key, max(p.title) AS title, count(DISTINCT i.refund_id)::int AS count,
           round(sum(i.amount * i.v / nullif(i.order_v, 0)), 2) AS amount
    FROM i LEFT JOIN demo_products p ON p.product_id = i.product_id
    GROUP BY i.product_id ORDER BY count DESC, amount DESC NULLS LAST, i.product_id LIMIT ${q.limit}`.execute(db);
  return rows.map((r) => ({ key: r.key, title: r.title ?? r.key, count: r.count, amount: Number(r.amount ?? 0) }));
}
