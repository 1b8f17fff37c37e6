// Stage 2 of the orders: plant the refund spike and the flags in _x, then write demo_orders,
// items, payments, refunds and customers from it, each in one INSERT … SELECT.

import { EMAIL_DOMAINS, FEMALE_NAMES, FLAG_REASONS, MALE_NAMES, SURNAMES } from "./people.ts";
import { customerIdSql, phoneSql, type SeedContext } from "./context.ts";
import { flaggedCount, SPIKE_DAYS_AGO } from "./plan.ts";
import { lit, rnd, textArray } from "./sql-rand.ts";
import { lineSql, moneySql, STATUS_SQL } from "./stage-orders.ts";

export async function finalizeOrders(ctx: SeedContext, salePrices: number[]): Promise<void> {
  const q = (sql: string, params?: unknown[]) => ctx.client.query(sql, params);
  const r = (key: string, salt: number): string => rnd(key, ctx.seed, salt);
  const T = ctx.asOfEpoch;

  // The refund spike: SPIKE_DAYS_AGO days before the anchor, orders delivered during the previous
  // month come back as defective: at least 5× the daily average of the 28 days before, and ≥ 6.
  const spike = ctx.midnight(SPIKE_DAYS_AGO);
  await q(`WITH counts AS (
      SELECT count(*) FILTER (WHERE refunded < ${spike})::float8 / 28 AS per_day,
             count(*) FILTER (WHERE refunded >= ${spike} AND refunded < ${ctx.midnight(SPIKE_DAYS_AGO - 1)}) AS n
      FROM _x WHERE refunded >= ${ctx.midnight(SPIKE_DAYS_AGO + 28)}),
    cand AS (
      SELECT k FROM _x WHERE delivered < ${spike} AND refunded IS NULL AND created >= ${ctx.midnight(SPIKE_DAYS_AGO + 30)}
      ORDER BY hashint8extended(k, ${ctx.seed * 1000 + 90}), k
      LIMIT (SELECT greatest(0, greatest(6, ceil(5 * per_day))::int - n) FROM counts))
    UPDATE _x SET reason = 'defect', refunded = ${spike} + floor(3600 * (9 + 11 * ${r("_x.k", 91)}))::bigint
    FROM cand WHERE _x.k = cand.k`);

  // Flags: the first stuck and the first late planted order, the rest among the last two weeks'
  // paid orders; reasons go round the list in that order.
  await q(`WITH ranked AS (
      SELECT k, kind, row_number() OVER (PARTITION BY kind ORDER BY CASE WHEN kind IS NULL THEN hashint8extended(k, ${ctx.seed * 1000 + 92}) END, k) AS rn
      FROM _x WHERE kind IN ('stuck', 'late_ship') OR (kind IS NULL AND fate = 'paid' AND created >= ${T - 14 * 86_400})),
    cand AS (
      SELECT k, row_number() OVER (ORDER BY CASE kind WHEN 'stuck' THEN 1 WHEN 'late_ship' THEN 2 ELSE 3 END, rn) AS n
      FROM ranked WHERE (kind IS NOT NULL AND rn = 1) OR (kind IS NULL AND rn <= ${flaggedCount(ctx.scale) - 2}))
    UPDATE _x SET flag_reason = (${textArray(FLAG_REASONS)})[1 + (cand.n - 1)::int % ${FLAG_REASONS.length}],
      flagged = _x.created + floor((${T} - _x.created) * (0.2 + 0.6 * ${r("_x.k", 93)}))::bigint
    FROM cand WHERE _x.k = cand.k`);

  const cur = lit(ctx.currency);
  await q(`INSERT INTO demo_orders (order_id, order_no, status, amount, currency, created_at, customer_id, customer_phone,
      coupon_code, payment_status, paid_at, shipping_status, ship_due_at, shipped_at, updated_at, flagged, flag_reason, flagged_at)
    SELECT 'OB-' || x.order_no, x.order_no, ${STATUS_SQL.status}, ${moneySql("x.amount")}, ${cur}, to_timestamp(x.created),
      ${customerIdSql("x.cust")}, ${phoneSql("x.cust")}, x.coupon, ${STATUS_SQL.payment}, to_timestamp(x.paid), ${STATUS_SQL.shipping},
      to_timestamp(x.paid + 172800), to_timestamp(x.shipped),
      to_timestamp(greatest(x.created, x.paid, x.shipped, x.delivered, x.refunded, x.failed, x.flagged)),
      x.flag_reason IS NOT NULL, x.flag_reason, to_timestamp(x.flagged)
    FROM _x x`);

  // Item ids are (order_no − 1001)·4 + line: deterministic without sorting 1M orders' lines.
  const line = lineSql(ctx, "li");
  await q(
    `INSERT INTO demo_order_items (id, order_id, product_id, qty, unit_price, currency, created_at) OVERRIDING SYSTEM VALUE
    SELECT (x.order_no - 1001) * 4 + li, 'OB-' || x.order_no, 'PRD-' || lpad((l.pno + 1)::text, 5, '0'), l.qty,
      ${moneySql("($1::bigint[])[l.pno + 1]")}, ${cur}, to_timestamp(x.created)
    FROM _x x JOIN (VALUES (1), (2), (3), (4)) v(li) ON v.li <= x.n_items
    CROSS JOIN LATERAL (SELECT ${line.pno} AS pno, ${line.qty} AS qty) l`,
    [salePrices],
  );
  await q(`SELECT setval(pg_get_serial_sequence('demo_order_items', 'id'), greatest(1, (SELECT max(id) FROM demo_order_items)))`);

  // One row per payment attempt; the last attempt (highest suffix) has the order's payment_status.
  // 5 % of paid orders failed once first: attempt 1 failed, attempt 2 carries the status.
  const retried = "x.retry AND x.paid IS NOT NULL";
  await q(`INSERT INTO demo_payments (payment_id, order_id, amount, method, status, created_at)
    SELECT 'PAY-' || x.order_no || '-1', 'OB-' || x.order_no, ${moneySql("x.amount")}, x.method,
      CASE WHEN ${retried} THEN 'failed' ELSE ${STATUS_SQL.payment} END,
      to_timestamp(CASE WHEN ${retried} THEN x.created + 30 ELSE coalesce(x.paid, x.failed, x.created) END)
    FROM _x x`);
  await q(`INSERT INTO demo_payments (payment_id, order_id, amount, method, status, created_at)
    SELECT 'PAY-' || x.order_no || '-2', 'OB-' || x.order_no, ${moneySql("x.amount")}, x.method, ${STATUS_SQL.payment}, to_timestamp(x.paid)
    FROM _x x WHERE ${retried}`);

  await q(`INSERT INTO demo_refunds (refund_id, order_id, customer_id, amount, reason, created_at)
    SELECT 'RF-' || x.order_no, 'OB-' || x.order_no, ${customerIdSql("x.cust")}, ${moneySql("x.amount")}, x.reason, to_timestamp(x.refunded)
    FROM _x x WHERE x.refunded IS NOT NULL`);

  await insertCustomers(ctx);
}

async function insertCustomers(ctx: SeedContext): Promise<void> {
  const r = (salt: number): string => rnd("j.c", ctx.seed, salt);
  const list = {
    femaleFirst: textArray(FEMALE_NAMES.map((n) => n[0])),
    femaleLatin: textArray(FEMALE_NAMES.map((n) => n[1])),
    maleFirst: textArray(MALE_NAMES.map((n) => n[0])),
    maleLatin: textArray(MALE_NAMES.map((n) => n[1])),
    surnameM: textArray(SURNAMES.map((s) => s[0])),
    surnameF: textArray(SURNAMES.map((s) => s[1])),
    surnameLatin: textArray(SURNAMES.map((s) => s[2])),
    domains: textArray(EMAIL_DOMAINS),
  };
  const N = ctx.scale;
  const C = ctx.customers;
  // Customer c joins up to three days before order ceil(c·N/C), the first order that may be theirs.
  // That order is the k with ⌊k·C/N⌋ > ⌊(k−1)·C/N⌋ (one per customer, as C < N), so one scan of _x
  // finds every customer's joining order without a join.
  await ctx.client.query(`INSERT INTO demo_customers (customer_id, name, phone, email, created_at)
    SELECT ${customerIdSql("d.c")},
      CASE WHEN d.fem THEN (${list.femaleFirst})[d.fi] || ' ' || (${list.surnameF})[d.si]
           ELSE (${list.maleFirst})[d.mi] || ' ' || (${list.surnameM})[d.si] END,
      ${phoneSql("d.c")},
      CASE WHEN d.has_email THEN
        CASE WHEN d.fem THEN (${list.femaleLatin})[d.fi] ELSE (${list.maleLatin})[d.mi] END
        || '.' || (${list.surnameLatin})[d.si] || CASE WHEN d.fem THEN 'a' ELSE '' END
        || (d.c % 1000)::text || '@' || (${list.domains})[d.di] END,
      to_timestamp(d.created - floor(d.before * 259200)::bigint)
    FROM (SELECT j.c, j.created, ${r(30)} < 0.78 AS fem, 1 + floor(${r(31)} * ${FEMALE_NAMES.length})::int AS fi,
            1 + floor(${r(31)} * ${MALE_NAMES.length})::int AS mi, 1 + floor(${r(32)} * ${SURNAMES.length})::int AS si,
            ${r(33)} < 0.65 AS has_email, 1 + floor(${r(34)} * ${EMAIL_DOMAINS.length})::int AS di, ${r(35)} AS before
          FROM (SELECT (x.k::bigint * ${C}) / ${N} AS c, x.created FROM _x x
                WHERE (x.k::bigint * ${C}) / ${N} > ((x.k - 1)::bigint * ${C}) / ${N}) j
          OFFSET 0) d`);
}
