// Stage 1 of the orders: temporary tables holding each order's time, customer, coupon, basket and
// planned life (when it would be paid, shipped, delivered, refunded). Nothing here looks at
// as_of except the planted orders; stage 2 (finalize-orders.ts) cuts the plans at as_of.

import { asOfSql, localMidnightSql, type SeedContext } from "./context.ts";
import { PLANTED, type CouponPlan, type PlanDay } from "./plan.ts";
import { intradaySql, lit, rnd } from "./sql-rand.ts";

export async function stageOrders(ctx: SeedContext, days: PlanDay[], coupons: CouponPlan[]): Promise<void> {
  const q = (sql: string, params?: unknown[]) => ctx.client.query(sql, params);
  const r = (key: string, salt: number): string => rnd(key, ctx.seed, salt);
  const tz = lit(ctx.timeZone);

  await q(`CREATE TEMP TABLE _plan (day date, first_k int, cnt int, fmax float8) ON COMMIT DROP`);
  await q(`INSERT INTO _plan SELECT * FROM unnest($1::date[], $2::int[], $3::int[], $4::float8[])`, [
    days.map((d) => d.day), days.map((d) => d.firstK), days.map((d) => d.count), days.map((d) => d.fmax),
  ]);

  // Regular orders are spread over each day by the intraday curve, in k order, so numbering by
  // time below keeps them in place; the planted ones sit at fixed distances from as_of.
  await q(`CREATE TEMP TABLE _o ON COMMIT DROP AS
    WITH raw AS (
      SELECT p.first_k + i - 1 AS k, NULL::text AS kind,
        date_trunc('second', (p.day::timestamp + ${intradaySql(`p.fmax * ((i - 1) + ${r("p.first_k + i - 1", 1)}) / p.cnt`)} * interval '1 day') AT TIME ZONE ${tz}) AS created_at
      FROM _plan p CROSS JOIN LATERAL generate_series(1, p.cnt) i
      UNION ALL
      SELECT ${ctx.regular} + n::int, kind,
        date_trunc('second', ${asOfSql(ctx)} - (secs + 240 * ${r(`${ctx.regular} + n`, 2)}) * interval '1 second')
      FROM unnest($1::text[], $2::int[]) WITH ORDINALITY AS t(kind, secs, n)
    )
    SELECT k, kind, 1000 + row_number() OVER (ORDER BY created_at, k) AS order_no, created_at FROM raw`,
    [PLANTED.map((p) => p.kind), PLANTED.map((p) => p.secondsBeforeAsOf)]);

  // A coupon applies when the draw lands in its slice of [0, 1) and the order is in its window.
  let acc = 0;
  const couponCases = coupons
    .filter((c) => c.share > 0)
    .map((c) => {
      const from = acc;
      acc += c.share;
      const conds = [`uc >= ${from}`, `uc < ${acc}`];
      if (c.startDaysAgo !== undefined) conds.push(`o.created_at >= ${localMidnightSql(ctx, c.startDaysAgo)}`);
      if (c.endDaysAgo !== undefined) conds.push(`o.created_at < ${localMidnightSql(ctx, c.endDaysAgo)}`);
      return `WHEN ${conds.join(" AND ")} THEN ${lit(c.code)}`;
    })
    .join(" ");

  // Customers: about 45 % of orders come from the newest customer (a first purchase), the rest
  // from earlier ones, skewed to recent. Customer c joins at order ceil(c·N/C), so c ≤ k·C/N keeps
  // every customer older than their orders. Planted orders (placed out of k order) take customers
  // from the first 80 % of orders, who all joined before them.
  const N = ctx.scale;
  const C = ctx.customers;
  const cmax = `greatest(1, CASE WHEN o.kind IS NULL THEN (o.k::bigint * ${C}) / ${N} ELSE (${Math.floor(ctx.regular * 0.8)}::bigint * ${C}) / ${N} END)`;
  const h = (hours: string) => `(${hours}) * interval '1 hour'`;
  const s = (secs: string) => `(${secs}) * interval '1 second'`;

  // Delays: payment within minutes (5 % take 1–3 h more), shipping in 3–44 h (7 % in 50–110 h,
  // past the 48 h promise), delivery 20–140 h after shipping. 3 % of paid orders are refunded
  // 12 h–14 days after delivery, 0.7 % before shipping. No regular order can stay unpaid for 6 h.
  await q(`CREATE TEMP TABLE _x ON COMMIT DROP AS
    SELECT o.k, o.kind, o.order_no, o.created_at, c.cust, c.n_items, c.coupon, c.method, c.retry, c.reason,
      c.fate, date_trunc('second', c.pay_at) AS pay_at, c.fail_at, c.cancel_at, date_trunc('second', sh.ship_at) AS ship_at,
      date_trunc('second', sh.ship_at + ${h("c.deliver_h")}) AS deliver_at,
      date_trunc('second', CASE c.refund WHEN 'after_delivery' THEN sh.ship_at + ${h("c.deliver_h + c.refund_h")}
                    WHEN 'before_shipping' THEN c.pay_at + ${h(`1 + c.refund_h / 17`)} END) AS refund_at
    FROM _o o CROSS JOIN LATERAL (
      SELECT
        CASE WHEN o.kind IS NULL AND ${r("o.k", 3)} < 0.45 THEN ${cmax} ELSE greatest(1, ceil(${cmax} * sqrt(${r("o.k", 4)}))::bigint) END AS cust,
        CASE WHEN u.items < 0.55 THEN 1 WHEN u.items < 0.82 THEN 2 WHEN u.items < 0.95 THEN 3 ELSE 4 END AS n_items,
        CASE ${couponCases} END AS coupon,
        CASE WHEN u.method < 0.58 THEN 'card' WHEN u.method < 0.96 THEN 'sbp' ELSE 'cash' END AS method,
        ${r("o.k", 20)} < 0.05 AS retry,
        (ARRAY['size','size','size','defect','defect','changed_mind','changed_mind','late','other'])[1 + floor(${r("o.k", 21)} * 9)::int] AS reason,
        CASE o.kind WHEN 'stuck' THEN 'stuck' WHEN 'pay_pending' THEN 'pending' WHEN 'pending_fresh' THEN 'pending'
          WHEN 'late_ship' THEN 'paid' WHEN 'fail_recent' THEN 'failed'
          ELSE CASE WHEN u.fate < 0.02 THEN 'failed' WHEN u.fate < 0.035 THEN 'cancelled' ELSE 'paid' END END AS fate,
        CASE WHEN o.kind = 'late_ship' THEN o.created_at + interval '5 minutes'
          ELSE o.created_at + ${s(`60 + 2400 * power(${r("o.k", 11)}, 3) + CASE WHEN ${r("o.k", 12)} < 0.05 THEN 3600 + 7200 * ${r("o.k", 13)} ELSE 0 END`)} END AS pay_at,
        date_trunc('second', o.created_at + ${s(`60 + CASE WHEN o.kind IS NULL THEN 240 * ${r("o.k", 14)} ELSE 0 END`)}) AS fail_at,
        date_trunc('second', o.created_at + ${s(`600 + 4800 * ${r("o.k", 14)}`)}) AS cancel_at,
        CASE WHEN ${r("o.k", 16)} < 0.07 THEN 50 + 60 * ${r("o.k", 17)} ELSE 3 + 41 * ${r("o.k", 17)} END AS ship_h,
        20 + 120 * ${r("o.k", 18)} AS deliver_h,
        12 + 324 * ${r("o.k", 19)} AS refund_h,
        CASE WHEN o.kind IS NOT NULL THEN NULL WHEN u.refund < 0.03 THEN 'after_delivery'
          WHEN u.refund < 0.037 THEN 'before_shipping' END AS refund,
        o.kind = 'late_ship' AS never_ships
      FROM (SELECT ${r("o.k", 5)} AS items, ${r("o.k", 6)} AS uc, ${r("o.k", 7)} AS method,
                   ${r("o.k", 10)} AS fate, ${r("o.k", 15)} AS refund) u
    ) c
    CROSS JOIN LATERAL (
      SELECT CASE WHEN c.never_ships OR c.refund = 'before_shipping' THEN NULL ELSE c.pay_at + ${h("c.ship_h")} END AS ship_at
    ) sh`);

  // Baskets. A line picks among the products that existed when the order was placed, favouring
  // the newest (fashion sells on novelty); further lines take the next products, so one order
  // never lists a product twice.
  const span = (ctx.asOf.getTime() - ctx.historyStartMs) / 1000;
  const late = ctx.products - ctx.establishedProducts;
  const avail = `least(${ctx.products}, ${ctx.establishedProducts} + floor(greatest(0, extract(epoch FROM x.created_at) - ${ctx.historyStartMs / 1000}) / ${span} * ${late})::int)`;
  await q(`CREATE TEMP TABLE _i ON COMMIT DROP AS
    SELECT x.k, li AS line, p.product_id, p.sale_price AS unit_price,
      CASE WHEN ${r("x.k * 4 + li", 23)} < 0.86 THEN 1 WHEN ${r("x.k * 4 + li", 23)} < 0.97 THEN 2 ELSE 3 END AS qty
    FROM _x x CROSS JOIN LATERAL generate_series(1, x.n_items) li
    CROSS JOIN LATERAL (SELECT ${avail} AS av) a
    JOIN _p p ON p.pno = a.av - 1 - ((floor(a.av * power(${r("x.k", 22)}, 1.7))::int + li - 1) % a.av)`);
}
