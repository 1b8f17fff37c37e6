// The daily rollups, computed after the rows are written so they agree with them by construction.
// The definitions are stated at the top of seed.ts; keep the two in step. The KPI and funnel rows of
// a day range are one statement each, shared by the seed (the whole history) and the live shop
// (the days its latest changes touched, after deleting them).

import type { SeedContext } from "./context.ts";
import { lit, rnd } from "./sql-rand.ts";
import { lineSql, moneySql } from "./stage-orders.ts";

/** Shop-local days [from, to] as a half-open instant range: the raw rows a day range reads. */
const inDays = (col: string, tz: string, from: string, to: string): string =>
  `${col} >= (${lit(from)}::date)::timestamp AT TIME ZONE ${lit(tz)} AND ${col} < (${lit(to)}::date + 1)::timestamp AT TIME ZONE ${lit(tz)}`;

/** demo_kpi_daily for the days [from, to], zeros included. */
export function kpiRollupSql(tz: string, from: string, to: string): string {
  const day = (ts: string) => `((${ts}) AT TIME ZONE ${lit(tz)})::date`;
  const days = `SELECT generate_series(${lit(from)}::date, ${lit(to)}::date, interval '1 day')::date AS day`;
  return `INSERT INTO demo_kpi_daily (day, revenue_gross, revenue_net, orders_paid, orders_created, aov, refunds_count, refunds_amount)
    WITH paid AS (SELECT ${day("paid_at")} AS day, sum(amount) AS gross, count(*) AS n FROM demo_orders
                  WHERE paid_at IS NOT NULL AND ${inDays("paid_at", tz, from, to)} GROUP BY 1),
      created AS (SELECT ${day("created_at")} AS day, count(*) AS n FROM demo_orders WHERE ${inDays("created_at", tz, from, to)} GROUP BY 1),
      refunds AS (SELECT ${day("created_at")} AS day, sum(amount) AS amount, count(*) AS n FROM demo_refunds
                  WHERE ${inDays("created_at", tz, from, to)} GROUP BY 1)
    SELECT d.day, coalesce(p.gross, 0), coalesce(p.gross, 0) - coalesce(r.amount, 0), coalesce(p.n, 0), coalesce(c.n, 0),
      round((coalesce(p.gross, 0) - coalesce(r.amount, 0)) / greatest(coalesce(p.n, 0), 1), 2),
      coalesce(r.n, 0), coalesce(r.amount, 0)
    FROM (${days}) d LEFT JOIN paid p USING (day) LEFT JOIN created c USING (day) LEFT JOIN refunds r USING (day)
    ORDER BY d.day`;
}

/**
 * demo_funnel_daily for the days [from, to]: built backwards from the day's orders with plausible
 * step conversions (checkout → order ~55–70 %, cart → checkout ~40–55 %, view → cart ~9–14 %,
 * visit → view ~60–70 %), so every stage is at least the next one. orders_paid here is the day's
 * cohort: orders created that day that were ever paid (now paid, shipped, delivered or refunded).
 */
export function funnelRollupSql(seed: number, tz: string, from: string, to: string): string {
  const day = (ts: string) => `((${ts}) AT TIME ZONE ${lit(tz)})::date`;
  const days = `SELECT generate_series(${lit(from)}::date, ${lit(to)}::date, interval '1 day')::date AS day`;
  const r = (salt: number) => rnd(`d.day - date '2000-01-01'`, seed, salt);
  return `INSERT INTO demo_funnel_daily (day, visits, product_views, add_to_cart, checkout_started, orders_created, orders_paid)
    WITH cohort AS (
      SELECT ${day("created_at")} AS day, count(*) AS created, count(*) FILTER (WHERE paid_at IS NOT NULL) AS paid
      FROM demo_orders WHERE ${inDays("created_at", tz, from, to)} GROUP BY 1)
    SELECT d.day, v.visits, v.views, v.cart, v.checkout, coalesce(c.created, 0), coalesce(c.paid, 0)
    FROM (${days}) d LEFT JOIN cohort c USING (day)
    CROSS JOIN LATERAL (SELECT coalesce(c.created, 0) + ceil((coalesce(c.created, 0) + 1) * (0.43 + 0.39 * ${r(40)}))::int AS checkout) s1
    CROSS JOIN LATERAL (SELECT s1.checkout + ceil((s1.checkout + 2) * (0.8 + 0.7 * ${r(41)}))::int AS cart) s2
    CROSS JOIN LATERAL (SELECT s2.cart + ceil(s2.cart * (6 + 4 * ${r(42)}))::int AS views) s3
    CROSS JOIN LATERAL (SELECT s1.checkout, s2.cart, s3.views, s3.views + ceil(s3.views * (0.42 + 0.25 * ${r(43)}))::int AS visits) v
    ORDER BY d.day`;
}

/** demo_product_sales_daily for the days [from, to], from the written items of paid orders. */
export function productSalesRollupSql(tz: string, from: string, to: string): string {
  return `INSERT INTO demo_product_sales_daily (day, product_id, qty, revenue)
    SELECT ((o.paid_at) AT TIME ZONE ${lit(tz)})::date, i.product_id, sum(i.qty), sum(i.qty * i.unit_price)
    FROM demo_orders o JOIN demo_order_items i ON i.order_id = o.order_id
    WHERE o.paid_at IS NOT NULL AND ${inDays("o.paid_at", tz, from, to)}
    GROUP BY 1, 2 ORDER BY 1, 2`;
}

export async function buildRollups(ctx: SeedContext, salePrices: number[]): Promise<void> {
  await ctx.client.query(kpiRollupSql(ctx.timeZone, ctx.historyFrom, ctx.anchorDay));

  // Product sales come from the staged basket lines that demo_order_items was written from, grouped
  // on one integer key (day of payment · 65536 + product number): the same numbers as re-aggregating the written
  // items joined to their orders (the tests check that), at a fraction of the cost for 1M orders.
  // Rows go in (day, product) order: the key's order, and what day-range reads want.
  const line = lineSql(ctx, "v.li");
  await ctx.client.query(
    `INSERT INTO demo_product_sales_daily (day, product_id, qty, revenue)
    SELECT ${lit(ctx.historyFrom)}::date + g.key / 65536, 'PRD-' || lpad((g.key % 65536 + 1)::text, 5, '0'), g.qty, ${moneySql("g.revenue")}
    FROM (SELECT x.paid_day * 65536 + l.pno AS key, sum(l.qty) AS qty, sum(l.qty * ($1::bigint[])[l.pno + 1]) AS revenue
          FROM _x x JOIN (VALUES (1), (2), (3), (4)) v(li) ON v.li <= x.n_items
          CROSS JOIN LATERAL (SELECT ${line.pno} AS pno, ${line.qty} AS qty) l
          WHERE x.paid IS NOT NULL
          GROUP BY 1) g
    ORDER BY g.key`,
    [salePrices],
  );

  await ctx.client.query(funnelRollupSql(ctx.seed, ctx.timeZone, ctx.historyFrom, ctx.anchorDay));
}
