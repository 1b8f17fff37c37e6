// Stage 2 of the orders: cut each planned life at as_of into statuses and timestamps, plant the
// refund spike and the flags, then write demo_orders, items, payments, refunds and customers.

import { FEMALE_NAMES, FLAG_REASONS, MALE_NAMES, SURNAMES, EMAIL_DOMAINS } from "./catalog.ts";
import { asOfSql, customerIdSql, localMidnightSql, phoneSql, type SeedContext } from "./context.ts";
import { flaggedCount, SPIKE_DAYS_AGO, type CouponPlan } from "./plan.ts";
import { minorToDecimal, roundAmountOff } from "./products.ts";
import { lit, pickSql, rnd, textArray } from "./sql-rand.ts";

export async function finalizeOrders(ctx: SeedContext, coupons: CouponPlan[]): Promise<void> {
  const q = (sql: string) => ctx.client.query(sql);
  const r = (key: string, salt: number): string => rnd(key, ctx.seed, salt);
  const T = asOfSql(ctx);

  const discount = coupons
    .map((c) =>
      c.percentOff !== undefined
        ? `WHEN ${lit(c.code)} THEN round(s.subtotal * ${c.percentOff} / 100, 2)`
        : `WHEN ${lit(c.code)} THEN least(${minorToDecimal(roundAmountOff(c.amountOffRub ?? 0, ctx.currency))}, s.subtotal)`,
    )
    .join(" ");

  // "e_" columns are the events that have happened by as_of; the statuses follow from them alone.
  await q(`CREATE TEMP TABLE _f ON COMMIT DROP AS
    SELECT x.k, x.order_no, x.kind, x.created_at, x.cust, x.coupon, x.method, x.retry, x.reason,
      s.subtotal, s.subtotal - coalesce(CASE x.coupon ${discount} END, 0) AS amount,
      e.paid_at, e.shipped_at, e.delivered_at, e.refunded_at, e.failed_at,
      CASE WHEN x.fate = 'stuck' THEN 'stuck' WHEN e.refunded_at IS NOT NULL THEN 'refunded'
        WHEN e.delivered_at IS NOT NULL THEN 'delivered' WHEN e.shipped_at IS NOT NULL THEN 'shipped'
        WHEN e.paid_at IS NOT NULL THEN 'paid' WHEN e.failed_at IS NOT NULL AND x.fate = 'failed' THEN 'failed'
        WHEN e.failed_at IS NOT NULL THEN 'cancelled' ELSE 'pending' END AS status,
      CASE WHEN e.refunded_at IS NOT NULL THEN 'refunded' WHEN e.paid_at IS NOT NULL THEN 'paid'
        WHEN e.failed_at IS NOT NULL THEN 'failed' ELSE 'pending' END AS payment_status,
      CASE WHEN e.delivered_at IS NOT NULL THEN 'delivered' WHEN e.shipped_at IS NOT NULL THEN 'shipped'
        WHEN e.paid_at IS NOT NULL AND e.refunded_at IS NULL THEN 'pending' ELSE 'none' END AS shipping_status,
      e.paid_at + interval '48 hours' AS ship_due_at,
      greatest(x.created_at, e.paid_at, e.shipped_at, e.delivered_at, e.refunded_at, e.failed_at) AS updated_at,
      false AS flagged, NULL::text AS flag_reason, NULL::timestamptz AS flagged_at
    FROM _x x
    JOIN (SELECT k, sum(qty * unit_price) AS subtotal FROM _i GROUP BY k) s USING (k)
    CROSS JOIN LATERAL (SELECT p.paid_at,
        CASE WHEN p.paid_at IS NOT NULL AND x.ship_at <= ${T} THEN x.ship_at END AS shipped_at,
        CASE WHEN p.paid_at IS NOT NULL AND x.deliver_at <= ${T} THEN x.deliver_at END AS delivered_at,
        CASE WHEN p.paid_at IS NOT NULL AND x.refund_at <= ${T} THEN x.refund_at END AS refunded_at,
        CASE WHEN x.fate = 'failed' AND x.fail_at <= ${T} THEN x.fail_at
             WHEN x.fate = 'cancelled' AND x.cancel_at <= ${T} THEN x.cancel_at END AS failed_at
      FROM (SELECT CASE WHEN x.fate = 'paid' AND x.pay_at <= ${T} THEN x.pay_at END AS paid_at) p) e`);

  // The refund spike: SPIKE_DAYS_AGO days before the anchor, delivered orders of the previous
  // month come back as defective, at least 5× the daily average of the 28 days before and ≥ 6.
  const spikeStart = localMidnightSql(ctx, SPIKE_DAYS_AGO);
  const spikeEnd = localMidnightSql(ctx, SPIKE_DAYS_AGO - 1);
  await q(`WITH normal AS (
      SELECT count(*)::float8 / 28 AS per_day FROM _f WHERE refunded_at >= ${spikeStart} - interval '28 days' AND refunded_at < ${spikeStart}),
    existing AS (SELECT count(*) AS n FROM _f WHERE refunded_at >= ${spikeStart} AND refunded_at < ${spikeEnd}),
    cand AS (
      SELECT k FROM _f WHERE status = 'delivered' AND delivered_at < ${spikeStart} AND created_at >= ${spikeStart} - interval '30 days'
      ORDER BY hashint8extended(k, ${ctx.seed * 1000 + 90}), k
      LIMIT (SELECT greatest(0, greatest(6, ceil(5 * per_day))::int - n) FROM normal, existing))
    UPDATE _f SET status = 'refunded', payment_status = 'refunded', reason = 'defect',
      refunded_at = date_trunc('second', ${spikeStart} + (9 + 11 * ${r("_f.k", 91)}) * interval '1 hour'),
      updated_at = date_trunc('second', ${spikeStart} + (9 + 11 * ${r("_f.k", 91)}) * interval '1 hour')
    FROM cand WHERE _f.k = cand.k`);

  // Flags: one stuck and one late planted order, the rest among the last two weeks' orders.
  await q(`WITH cand AS (
      SELECT k, row_number() OVER (ORDER BY pri, h, k) AS n FROM (
        (SELECT k, 1 AS pri, 0::bigint AS h FROM _f WHERE kind = 'stuck' ORDER BY k LIMIT 1)
        UNION ALL (SELECT k, 2, 0 FROM _f WHERE kind = 'late_ship' ORDER BY k LIMIT 1)
        UNION ALL (SELECT k, 3, hashint8extended(k, ${ctx.seed * 1000 + 92}) AS h FROM _f
          WHERE kind IS NULL AND created_at >= ${T} - interval '14 days' AND status NOT IN ('cancelled', 'failed')
          ORDER BY h, k LIMIT ${flaggedCount(ctx.scale) - 2})) c)
    UPDATE _f SET flagged = true,
      flag_reason = (${textArray(FLAG_REASONS)})[1 + (cand.n - 1)::int % ${FLAG_REASONS.length}],
      flagged_at = date_trunc('second', _f.created_at + (${T} - _f.created_at) * (0.2 + 0.6 * ${r("_f.k", 93)})),
      updated_at = greatest(_f.updated_at, date_trunc('second', _f.created_at + (${T} - _f.created_at) * (0.2 + 0.6 * ${r("_f.k", 93)})))
    FROM cand WHERE _f.k = cand.k`);

  const cur = lit(ctx.currency);
  await q(`INSERT INTO demo_orders (order_id, order_no, status, amount, currency, created_at, customer_id, customer_phone,
      coupon_code, payment_status, paid_at, shipping_status, ship_due_at, shipped_at, updated_at, flagged, flag_reason, flagged_at)
    SELECT 'OB-' || order_no, order_no, status, amount, ${cur}, created_at, ${customerIdSql("cust")}, ${phoneSql("cust")},
      coupon, payment_status, paid_at, shipping_status, ship_due_at, shipped_at, updated_at, flagged, flag_reason, flagged_at
    FROM _f ORDER BY order_no`);

  await q(`INSERT INTO demo_order_items (order_id, product_id, qty, unit_price, currency, created_at)
    SELECT 'OB-' || f.order_no, i.product_id, i.qty, i.unit_price, ${cur}, f.created_at
    FROM _i i JOIN _f f USING (k) ORDER BY f.order_no, i.line`);

  // One row per payment attempt; the last attempt's status is the order's payment_status.
  await q(`INSERT INTO demo_payments (payment_id, order_id, amount, method, status, created_at)
    SELECT 'PAY-' || order_no || '-' || a.n, 'OB-' || order_no, amount, method, a.status, a.at
    FROM _f CROSS JOIN LATERAL (VALUES
      (1, CASE WHEN retry AND paid_at IS NOT NULL THEN 'failed' ELSE payment_status END,
          CASE WHEN retry AND paid_at IS NOT NULL THEN created_at + interval '30 seconds'
               ELSE coalesce(paid_at, failed_at, created_at) END),
      (2, CASE WHEN retry AND paid_at IS NOT NULL THEN payment_status END, paid_at)) a(n, status, at)
    WHERE a.status IS NOT NULL`);

  await q(`INSERT INTO demo_refunds (refund_id, order_id, amount, reason, created_at)
    SELECT 'RF-' || order_no, 'OB-' || order_no, amount, reason, refunded_at FROM _f WHERE refunded_at IS NOT NULL ORDER BY order_no`);

  await insertCustomers(ctx);
}

async function insertCustomers(ctx: SeedContext): Promise<void> {
  const r = (key: string, salt: number): string => rnd(key, ctx.seed, salt);
  const female = `${r("c", 30)} < 0.78`;
  const surname = (form: number) => pickSql(SURNAMES.map((s) => s[form]!), r("c", 32));
  // Customer c joins just before order ceil(c·N/C), the first order that may belong to them.
  await ctx.client.query(`INSERT INTO demo_customers (customer_id, name, phone, email, created_at)
    SELECT ${customerIdSql("c")},
      CASE WHEN ${female} THEN ${pickSql(FEMALE_NAMES.map((n) => n[0]), r("c", 31))} || ' ' || ${surname(1)}
           ELSE ${pickSql(MALE_NAMES.map((n) => n[0]), r("c", 31))} || ' ' || ${surname(0)} END,
      ${phoneSql("c")},
      CASE WHEN ${r("c", 33)} < 0.65 THEN
        CASE WHEN ${female} THEN ${pickSql(FEMALE_NAMES.map((n) => n[1]), r("c", 31))} || '.' || ${pickSql(SURNAMES.map((s) => s[2]!), r("c", 32))} || 'a'
             ELSE ${pickSql(MALE_NAMES.map((n) => n[1]), r("c", 31))} || '.' || ${pickSql(SURNAMES.map((s) => s[2]!), r("c", 32))} END
        || (c % 1000)::text || '@' || ${pickSql(EMAIL_DOMAINS, r("c", 34))} END,
      date_trunc('second', o.created_at - (${r("c", 35)} * 72) * interval '1 hour')
    FROM generate_series(1, ${ctx.customers}) c
    JOIN _o o ON o.k = (c::bigint * ${ctx.scale} + ${ctx.customers} - 1) / ${ctx.customers}
    ORDER BY c`);
}
