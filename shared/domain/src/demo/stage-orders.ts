// Stage 1 of the orders: one temporary table (_x) with a row per order holding its time, customer,
// coupon, basket total and the events of its life that have happened by as_of. Times are epoch
// seconds and money is minor units, so the 1M-row passes do integer arithmetic only.

import type { SeedContext } from "./context.ts";
import { PLANTED, type CouponPlan, type PlanDay } from "./plan.ts";
import { roundAmountOff } from "./products.ts";
import { intradaySql, lit, rnd } from "./sql-rand.ts";

/**
 * The basket line `li` of an order in _x (alias x): lines take consecutive product numbers going
 * down from x.pick (modulo the products available then), so an order never lists a product twice.
 */
export function lineSql(ctx: SeedContext, li: string): { pno: string; qty: string } {
  const qtyDraw = rnd(`x.k * 4 + ${li}`, ctx.seed, 23);
  return {
    pno: `(x.avail - 1 - ((x.pick + ${li} - 1) % x.avail))`,
    qty: `(CASE WHEN ${qtyDraw} < 0.86 THEN 1 WHEN ${qtyDraw} < 0.97 THEN 2 ELSE 3 END)`,
  };
}

export async function stageOrders(ctx: SeedContext, days: PlanDay[], coupons: CouponPlan[], salePrices: number[]): Promise<void> {
  const q = (sql: string, params?: unknown[]) => ctx.client.query(sql, params);
  const r = (key: string, salt: number): string => rnd(key, ctx.seed, salt);
  const T = ctx.asOfEpoch;

  await q(
    `CREATE TEMP TABLE _plan ON COMMIT DROP AS
    SELECT day, first_k, cnt, fmax, extract(epoch FROM day::timestamp AT TIME ZONE ${lit(ctx.timeZone)})::bigint AS start_s,
      extract(epoch FROM (day + 1)::timestamp AT TIME ZONE ${lit(ctx.timeZone)})::bigint
        - extract(epoch FROM day::timestamp AT TIME ZONE ${lit(ctx.timeZone)})::bigint AS len_s
    FROM unnest($1::date[], $2::int[], $3::int[], $4::float8[]) AS t(day, first_k, cnt, fmax)`,
    [days.map((d) => d.day), days.map((d) => d.firstK), days.map((d) => d.count), days.map((d) => d.fmax)],
  );

  // A coupon applies when the draw lands in its slice of [0, 1) and the order is in its window.
  let acc = 0;
  const couponCases = coupons
    .filter((c) => c.share > 0)
    .map((c) => {
      const conds = [`u.coupon >= ${acc}`, `u.coupon < ${(acc += c.share)}`];
      if (c.startDaysAgo !== undefined) conds.push(`n.created >= ${ctx.midnight(c.startDaysAgo)}`);
      if (c.endDaysAgo !== undefined) conds.push(`n.created < ${ctx.midnight(c.endDaysAgo)}`);
      return `WHEN ${conds.join(" AND ")} THEN ${lit(c.code)}`;
    })
    .join(" ");
  // Percent discounts round half up to the minor unit; fixed ones never exceed the basket.
  const discount = coupons
    .map((c) =>
      c.percentOff !== undefined
        ? `WHEN ${lit(c.code)} THEN (b.subtotal * ${c.percentOff} + 50) / 100`
        : `WHEN ${lit(c.code)} THEN least(${roundAmountOff(c.amountOffRub ?? 0, ctx.currency)}, b.subtotal)`,
    )
    .join(" ");

  // Customers: ~45 % of orders come from the newest customer (a first purchase), the rest from
  // earlier ones, skewed to recent. Customer c joins at order ceil(c·N/C), so c ≤ k·C/N keeps every
  // customer older than their orders. Planted orders (placed out of k order) draw from customers
  // of the first 80 % of orders, who all joined before them.
  const N = ctx.scale;
  const C = ctx.customers;
  const cmax = `greatest(1, CASE WHEN n.kind IS NULL THEN (n.k::bigint * ${C}) / ${N} ELSE (${Math.floor(ctx.regular * 0.8)}::bigint * ${C}) / ${N} END)`;
  // A basket draws from the products that existed when the order was placed (product numbers are
  // in creation order), favouring the newest, because fashion sells on novelty.
  const late = ctx.products - ctx.establishedProducts;
  const span = ctx.asOfEpoch - ctx.historyStartEpoch;
  const avail = `least(${ctx.products}, ${ctx.establishedProducts} + (greatest(0, n.created - ${ctx.historyStartEpoch}) * ${late}) / ${span})::int`;
  const lines = [1, 2, 3, 4].map((li) => {
    const l = lineSql(ctx, String(li));
    return `CASE WHEN c.n_items >= ${li} THEN ${l.qty.replaceAll("x.k", "c.k")} * ($3::bigint[])[${l.pno.replaceAll("x.", "c.")} + 1] ELSE 0 END`;
  });
  // Each draw gets its own salt; the lateral subqueries end in OFFSET 0 so Postgres computes every
  // column once per order instead of inlining (and re-hashing) it at each reference.
  const draws = Object.entries({
    cust_new: 3,
    cust_old: 4,
    items: 5,
    coupon: 6,
    method: 7,
    fate: 10,
    pay: 11,
    pay_slow: 12,
    pay_slow_by: 13,
    fail: 14,
    ship_late: 16,
    ship: 17,
    deliver: 18,
    refund_after: 19,
    refund: 15,
    retry: 20,
    reason: 21,
    pick: 22,
  })
    .map(([name, salt]) => `${r("n.k", salt)} AS ${name}`)
    .join(", ");

  // Delays: payment within minutes (5 % take 1–3 h more), shipping 3–44 h after payment (7 %
  // 50–110 h, past the 48 h promise), delivery 20–140 h after shipping. 3 % of paid orders are
  // refunded 12 h–14 days after delivery, 0.7 % before shipping. No regular order stays unpaid 6 h.
  await q(
    `CREATE TEMP TABLE _x ON COMMIT DROP AS
    WITH raw AS (
      SELECT p.first_k + i - 1 AS k, NULL::text AS kind, p.day - ${lit(ctx.historyFrom)}::date AS cday, p.start_s + p.len_s AS day_end,
        p.start_s + floor(${intradaySql(`p.fmax * ((i - 1) + ${r("p.first_k + i - 1", 1)}) / p.cnt`)} * p.len_s)::bigint AS created
      FROM _plan p CROSS JOIN LATERAL generate_series(1, p.cnt) i
      UNION ALL
      SELECT k, kind, width_bucket(created, $4::bigint[]) - 1, ($4::bigint[])[width_bucket(created, $4::bigint[]) + 1], created
      FROM (SELECT ${ctx.regular} + n::int AS k, kind, ${T} - secs - floor(240 * ${r(`${ctx.regular} + n`, 2)})::bigint AS created
            FROM unnest($1::text[], $2::int[]) WITH ORDINALITY AS t(kind, secs, n)) planted),
    numbered AS (SELECT k, kind, created, cday, day_end, 1000 + row_number() OVER (ORDER BY created, k) AS order_no FROM raw)
    SELECT c.k, c.kind, c.order_no, c.created, c.cust, c.n_items, c.avail, c.pick, c.coupon, c.method, c.retry, c.reason, c.fate,
      b.subtotal, b.subtotal - coalesce(CASE c.coupon ${discount} END, 0) AS amount,
      e.paid, e.shipped, e.delivered, e.refunded, e.failed, NULL::text AS flag_reason, NULL::bigint AS flagged,
      -- The shop-local day of payment, as days after history_from: payment comes within hours.
      CASE WHEN e.paid >= n.day_end THEN n.cday + 1 ELSE n.cday END AS paid_day
    FROM numbered n
    CROSS JOIN LATERAL (SELECT ${draws}, ${avail} AS avail, ${cmax} AS cmax OFFSET 0) u
    CROSS JOIN LATERAL (SELECT n.k, n.kind, n.order_no, n.created, u.avail, floor(u.avail * power(u.pick, 1.7))::int AS pick,
        CASE WHEN n.kind IS NULL AND u.cust_new < 0.45 THEN u.cmax ELSE greatest(1, ceil(u.cmax * sqrt(u.cust_old))::bigint) END AS cust,
        CASE WHEN u.items < 0.55 THEN 1 WHEN u.items < 0.82 THEN 2 WHEN u.items < 0.95 THEN 3 ELSE 4 END AS n_items,
        CASE ${couponCases} END AS coupon,
        CASE WHEN u.method < 0.58 THEN 'card' WHEN u.method < 0.96 THEN 'sbp' ELSE 'cash' END AS method,
        u.retry < 0.05 AS retry,
        (ARRAY['size','size','size','defect','defect','changed_mind','changed_mind','late','other'])[1 + floor(u.reason * 9)::int] AS reason,
        CASE n.kind WHEN 'stuck' THEN 'stuck' WHEN 'pay_pending' THEN 'pending' WHEN 'pending_fresh' THEN 'pending'
          WHEN 'late_ship' THEN 'paid' WHEN 'fail_recent' THEN 'failed'
          ELSE CASE WHEN u.fate < 0.02 THEN 'failed' WHEN u.fate < 0.035 THEN 'cancelled' ELSE 'paid' END END AS fate,
        n.created + CASE WHEN n.kind = 'late_ship' THEN 300
          ELSE floor(60 + 2400 * power(u.pay, 3) + CASE WHEN u.pay_slow < 0.05 THEN 3600 + 7200 * u.pay_slow_by ELSE 0 END)::bigint END AS pay,
        n.created + CASE WHEN n.kind IS NULL THEN floor(60 + 240 * u.fail)::bigint ELSE 60 END AS fail,
        n.created + floor(600 + 4800 * u.fail)::bigint AS cancel,
        floor(3600 * CASE WHEN u.ship_late < 0.07 THEN 50 + 60 * u.ship ELSE 3 + 41 * u.ship END)::bigint AS ship_s,
        floor(3600 * (20 + 120 * u.deliver))::bigint AS deliver_s,
        floor(3600 * (12 + 324 * u.refund_after))::bigint AS refund_s,
        CASE WHEN n.kind IS NOT NULL THEN NULL WHEN u.refund < 0.03 THEN 'after_delivery' WHEN u.refund < 0.037 THEN 'before_shipping' END AS refund,
        n.kind = 'late_ship' AS never_ships
      OFFSET 0) c
    CROSS JOIN LATERAL (SELECT (${lines.join(" + ")})::bigint AS subtotal OFFSET 0) b
    CROSS JOIN LATERAL (SELECT CASE WHEN c.fate = 'paid' AND c.pay <= ${T} THEN c.pay END AS paid,
      CASE WHEN c.never_ships OR c.refund = 'before_shipping' THEN NULL ELSE c.pay + c.ship_s END AS ship,
      CASE c.refund WHEN 'after_delivery' THEN c.pay + c.ship_s + c.deliver_s + c.refund_s
                    WHEN 'before_shipping' THEN c.pay + 3600 + c.refund_s / 17 END AS refund) p
    CROSS JOIN LATERAL (SELECT p.paid,
      CASE WHEN p.paid IS NOT NULL AND p.ship <= ${T} THEN p.ship END AS shipped,
      CASE WHEN p.paid IS NOT NULL AND p.ship + c.deliver_s <= ${T} THEN p.ship + c.deliver_s END AS delivered,
      CASE WHEN p.paid IS NOT NULL AND p.refund <= ${T} THEN p.refund END AS refunded,
      CASE WHEN c.fate = 'failed' AND c.fail <= ${T} THEN c.fail WHEN c.fate = 'cancelled' AND c.cancel <= ${T} THEN c.cancel END AS failed) e`,
    [
      PLANTED.map((p) => p.kind),
      PLANTED.map((p) => p.secondsBeforeAsOf),
      salePrices,
      Array.from({ length: ctx.historyDays + 1 }, (_, i) => ctx.midnight(ctx.historyDays - 1 - i)),
    ],
  );
}

/** SQL for the order's status columns from the _x event columns (alias x). */
export const STATUS_SQL = {
  status: `CASE WHEN x.fate = 'stuck' THEN 'stuck' WHEN x.refunded IS NOT NULL THEN 'refunded'
    WHEN x.delivered IS NOT NULL THEN 'delivered' WHEN x.shipped IS NOT NULL THEN 'shipped' WHEN x.paid IS NOT NULL THEN 'paid'
    WHEN x.failed IS NOT NULL AND x.fate = 'failed' THEN 'failed' WHEN x.failed IS NOT NULL THEN 'cancelled' ELSE 'pending' END`,
  payment: `CASE WHEN x.refunded IS NOT NULL THEN 'refunded' WHEN x.paid IS NOT NULL THEN 'paid'
    WHEN x.failed IS NOT NULL THEN 'failed' ELSE 'pending' END`,
  shipping: `CASE WHEN x.delivered IS NOT NULL THEN 'delivered' WHEN x.shipped IS NOT NULL THEN 'shipped'
    WHEN x.paid IS NOT NULL AND x.refunded IS NULL THEN 'pending' ELSE 'none' END`,
};

/** Minor units (a bigint SQL expression) as a numeric with two decimals. */
export function moneySql(minor: string): string {
  return `((${minor})::numeric / 100)::numeric(14,2)`;
}
