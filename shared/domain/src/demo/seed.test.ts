// The demo shop checked against independent SQL: rollups re-aggregated from the raw rows, order
// arithmetic, status/timestamp coherence and every planted anomaly.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestEnv, type TestEnv } from "@ownerbot/testkit/harness";
import { customerCount } from "./plan.ts";
import { seedDemo, type SeedResult } from "./seed.ts";

const SCALE = 2000;
const ANCHOR = "2026-03-10";
const TZ = "Europe/Moscow";

let env: TestEnv;
let res: SeedResult;
const one = async <T>(sql: string, params: unknown[] = []): Promise<T> => (await env.pool.query(sql, params)).rows[0] as T;
const all = async <T>(sql: string, params: unknown[] = []): Promise<T[]> => (await env.pool.query(sql, params)).rows as T[];

beforeAll(async () => {
  env = await createTestEnv();
  res = await seedDemo(env.pool, { scale: SCALE, seed: 7, anchorDay: ANCHOR, timeZone: TZ, currency: "RUB" });
});
afterAll(async () => env.close());

describe("seedDemo at a small scale", () => {
  it("writes exactly `scale` orders numbered OB-1001… in time order, over ~4 months ending on the anchor day", async () => {
    const o = await one<{ n: number; min: number; max: number; bad_ids: number; first_day: string; last_day: string }>(
      `SELECT count(*)::int AS n, min(order_no) AS min, max(order_no) AS max,
              count(*) FILTER (WHERE order_id <> 'OB-' || order_no)::int AS bad_ids,
              to_char(min((created_at AT TIME ZONE $1)::date), 'YYYY-MM-DD') AS first_day,
              to_char(max((created_at AT TIME ZONE $1)::date), 'YYYY-MM-DD') AS last_day FROM demo_orders`,
      [TZ],
    );
    expect(o).toEqual({ n: SCALE, min: 1001, max: 1000 + SCALE, bad_ids: 0, first_day: o.first_day, last_day: ANCHOR });
    expect(res.orders).toBe(SCALE);
    const span = await one<{ d: number }>(`SELECT ($1::date - $2::date) + 1 AS d`, [ANCHOR, o.first_day]);
    expect(span.d).toBeGreaterThanOrEqual(120);
    expect(span.d).toBeLessThan(250);
    const disorder = await one<{ n: number }>(`SELECT count(*)::int AS n FROM (
      SELECT created_at < lag(created_at) OVER (ORDER BY order_no) AS back FROM demo_orders) t WHERE back`);
    expect(disorder.n).toBe(0);
  });

  it("never writes a timestamp after demo_meta.as_of", async () => {
    const late = await one<{ n: number }>(`WITH m AS (SELECT as_of FROM demo_meta) SELECT (
      (SELECT count(*) FROM demo_orders, m WHERE greatest(created_at, paid_at, shipped_at, updated_at, flagged_at) > m.as_of) +
      (SELECT count(*) FROM demo_payments, m WHERE created_at > m.as_of) +
      (SELECT count(*) FROM demo_refunds, m WHERE created_at > m.as_of) +
      (SELECT count(*) FROM demo_customers, m WHERE created_at > m.as_of) +
      (SELECT count(*) FROM demo_products, m WHERE greatest(created_at, updated_at) > m.as_of) +
      (SELECT count(*) FROM demo_chat_threads, m WHERE greatest(created_at, last_customer_message_at, last_manager_reply_at) > m.as_of))::int AS n`);
    expect(late.n).toBe(0);
    const meta = await one<{ scale: number; seed: number; anchor: string; pending: string[] }>(
      `SELECT scale, seed, to_char(anchor_day, 'YYYY-MM-DD') AS anchor, pending_indexes AS pending FROM demo_meta`,
    );
    expect(meta).toEqual({ scale: SCALE, seed: 7, anchor: ANCHOR, pending: [] });
  });

  it("demo_kpi_daily equals the re-aggregation of orders and refunds by shop-local day", async () => {
    const diff = await all(
      `WITH days AS (SELECT generate_series(min(day), max(day), '1 day')::date AS day FROM demo_kpi_daily),
      p AS (SELECT (paid_at AT TIME ZONE $1)::date AS day, sum(amount) AS g, count(*) AS n FROM demo_orders WHERE paid_at IS NOT NULL GROUP BY 1),
      c AS (SELECT (created_at AT TIME ZONE $1)::date AS day, count(*) AS n FROM demo_orders GROUP BY 1),
      r AS (SELECT (created_at AT TIME ZONE $1)::date AS day, sum(amount) AS a, count(*) AS n FROM demo_refunds GROUP BY 1),
      expected AS (SELECT d.day, coalesce(p.g, 0) AS gross, coalesce(p.g, 0) - coalesce(r.a, 0) AS net, coalesce(p.n, 0)::int AS paid,
          coalesce(c.n, 0)::int AS created, round((coalesce(p.g, 0) - coalesce(r.a, 0)) / greatest(coalesce(p.n, 0), 1), 2) AS aov,
          coalesce(r.n, 0)::int AS rc, coalesce(r.a, 0) AS ra
        FROM days d LEFT JOIN p USING (day) LEFT JOIN c USING (day) LEFT JOIN r USING (day)),
      actual AS (SELECT day, revenue_gross, revenue_net, orders_paid, orders_created, aov, refunds_count, refunds_amount FROM demo_kpi_daily)
      (SELECT * FROM expected EXCEPT SELECT * FROM actual) UNION ALL (SELECT * FROM actual EXCEPT SELECT * FROM expected)`,
      [TZ],
    );
    expect(diff).toEqual([]);
    const range = await one<{ first: string; last: string; n: number }>(
      `SELECT to_char(min(day), 'YYYY-MM-DD') AS first, to_char(max(day), 'YYYY-MM-DD') AS last, count(*)::int AS n FROM demo_kpi_daily`,
    );
    expect(range.last).toBe(ANCHOR);
    const orderSpan = await one<{ first: string }>(
      `SELECT to_char(min((created_at AT TIME ZONE $1)::date), 'YYYY-MM-DD') AS first FROM demo_orders`,
      [TZ],
    );
    expect(range.first).toBe(orderSpan.first);
  });

  it("demo_product_sales_daily equals paid orders' items by paid day", async () => {
    const diff = await all(
      `WITH expected AS (
        SELECT (o.paid_at AT TIME ZONE $1)::date AS day, i.product_id, sum(i.qty)::int AS qty, sum(i.qty * i.unit_price) AS revenue
        FROM demo_order_items i JOIN demo_orders o USING (order_id) WHERE o.paid_at IS NOT NULL GROUP BY 1, 2),
      actual AS (SELECT day, product_id, qty, revenue FROM demo_product_sales_daily)
      (SELECT * FROM expected EXCEPT SELECT * FROM actual) UNION ALL (SELECT * FROM actual EXCEPT SELECT * FROM expected)`,
      [TZ],
    );
    expect(diff).toEqual([]);
  });

  it("demo_funnel_daily narrows at every stage and matches the day's orders", async () => {
    const bad = await all(
      `SELECT f.day FROM demo_funnel_daily f JOIN demo_kpi_daily k USING (day)
      WHERE NOT (f.visits >= f.product_views AND f.product_views >= f.add_to_cart AND f.add_to_cart >= f.checkout_started
        AND f.checkout_started >= f.orders_created AND f.orders_created >= f.orders_paid AND f.orders_created = k.orders_created
        AND f.orders_paid = (SELECT count(*) FROM demo_orders o WHERE (o.created_at AT TIME ZONE $1)::date = f.day AND o.paid_at IS NOT NULL)
        AND f.visits > f.orders_created)`,
      [TZ],
    );
    expect(bad).toEqual([]);
    expect((await one<{ n: number }>(`SELECT count(*)::int AS n FROM demo_funnel_daily`)).n).toBe(res.kpiDays);
  });

  it("order amount is Σ qty·unit_price minus the coupon discount, and used_count counts the orders", async () => {
    const bad =
      await all(`WITH s AS (SELECT order_id, sum(qty * unit_price) AS sub, count(*) AS lines, count(DISTINCT product_id) AS products,
        min(qty) AS min_qty FROM demo_order_items GROUP BY 1)
      SELECT o.order_id FROM demo_orders o JOIN s USING (order_id) LEFT JOIN demo_coupons c ON c.code = o.coupon_code
      WHERE o.amount <> s.sub - CASE WHEN c.percent_off IS NOT NULL THEN round(s.sub * c.percent_off / 100, 2)
          WHEN c.amount_off IS NOT NULL THEN least(c.amount_off, s.sub) ELSE 0 END
        OR s.lines NOT BETWEEN 1 AND 4 OR s.products <> s.lines OR s.min_qty < 1 OR (o.coupon_code IS NOT NULL AND c.code IS NULL)`);
    expect(bad).toEqual([]);
    const noItems = await one<{ n: number }>(
      `SELECT count(*)::int AS n FROM demo_orders o WHERE NOT EXISTS (SELECT 1 FROM demo_order_items i WHERE i.order_id = o.order_id)`,
    );
    expect(noItems.n).toBe(0);
    const coupons = await all<{ code: string; used_count: number; n: number }>(`SELECT c.code, c.used_count,
      (SELECT count(*)::int FROM demo_orders o WHERE o.coupon_code = c.code) AS n FROM demo_coupons c`);
    for (const c of coupons) expect(c.used_count, c.code).toBe(c.n);
    const byCode = Object.fromEntries(
      (
        await all<{
          code: string;
          percent_off: number | null;
          amount_off: number | null;
          active: boolean;
          max_uses: number | null;
          used_count: number;
        }>(`SELECT code, percent_off, amount_off, active, max_uses, used_count FROM demo_coupons`)
      ).map((c) => [c.code, c]),
    );
    expect(byCode.WELCOME10).toMatchObject({ percent_off: 10, active: true });
    expect(byCode.VIP25).toMatchObject({ percent_off: 25, active: true });
    expect(byCode.SHIP5?.amount_off).toBeGreaterThan(0);
    expect(byCode.SPRING15).toMatchObject({ percent_off: 15, active: false, max_uses: byCode.SPRING15?.used_count });
    expect(byCode.SPRING15!.used_count).toBeGreaterThan(0);
    expect(Object.keys(byCode).length).toBeGreaterThanOrEqual(6);
  });

  it("keeps statuses, payments, refunds and timestamps coherent", async () => {
    const incoherent = await all<{ order_id: string; status: string }>(`SELECT o.order_id, o.status FROM demo_orders o WHERE NOT (
      CASE o.status
        WHEN 'delivered' THEN payment_status = 'paid' AND shipping_status = 'delivered' AND shipped_at >= paid_at
        WHEN 'shipped' THEN payment_status = 'paid' AND shipping_status = 'shipped' AND shipped_at >= paid_at
        WHEN 'paid' THEN payment_status = 'paid' AND shipping_status = 'pending' AND shipped_at IS NULL
        WHEN 'refunded' THEN payment_status = 'refunded' AND paid_at IS NOT NULL AND shipping_status IN ('none', 'delivered')
        WHEN 'pending' THEN payment_status = 'pending' AND paid_at IS NULL AND shipping_status = 'none'
        WHEN 'stuck' THEN payment_status = 'pending' AND paid_at IS NULL AND shipping_status = 'none'
        WHEN 'failed' THEN payment_status = 'failed' AND paid_at IS NULL AND shipping_status = 'none'
        WHEN 'cancelled' THEN payment_status = 'failed' AND paid_at IS NULL AND shipping_status = 'none'
        ELSE false END
      AND (paid_at IS NULL OR (paid_at >= created_at AND ship_due_at = paid_at + interval '48 hours'))
      AND (paid_at IS NOT NULL OR ship_due_at IS NULL)
      AND updated_at >= greatest(created_at, paid_at, shipped_at)
      AND (o.status = 'refunded') = EXISTS (SELECT 1 FROM demo_refunds r WHERE r.order_id = o.order_id AND r.created_at >= o.paid_at AND r.amount = o.amount))`);
    expect(incoherent).toEqual([]);
    const refundsWithoutOrder = await one<{ n: number }>(`SELECT count(*)::int AS n FROM demo_refunds r
      LEFT JOIN demo_orders o USING (order_id) WHERE o.status IS DISTINCT FROM 'refunded'`);
    expect(refundsWithoutOrder.n).toBe(0);
    // The latest attempt carries the order's payment status; cancelled orders' sessions expired as failed.
    const payments = await all(`SELECT o.order_id FROM demo_orders o LEFT JOIN LATERAL (
        SELECT status, amount FROM demo_payments p WHERE p.order_id = o.order_id ORDER BY payment_id DESC LIMIT 1) p ON true
      WHERE p.status IS DISTINCT FROM o.payment_status OR p.amount <> o.amount`);
    expect(payments).toEqual([]);
    const history = await one<{ old_open: number; delivered_share: number }>(`SELECT
      count(*) FILTER (WHERE status IN ('pending', 'paid', 'shipped') AND created_at < m.as_of - interval '30 days')::int AS old_open,
      avg((status IN ('delivered', 'refunded'))::int) FILTER (WHERE created_at < m.as_of - interval '30 days')::float8 AS delivered_share
      FROM demo_orders, demo_meta m`);
    expect(history.old_open).toBe(0);
    expect(history.delivered_share).toBeGreaterThan(0.9);
  });

  it("has Russian customers with unique +7 phones, each older than their orders", async () => {
    const c = await one<{ n: number; bad_name: number; bad_phone: number; phones: number }>(`SELECT count(*)::int AS n,
      count(*) FILTER (WHERE name !~ '^[А-ЯЁ][а-яё]+ [А-ЯЁ][а-яё]+$')::int AS bad_name,
      count(*) FILTER (WHERE phone !~ '^\\+79[0-9]{9}$')::int AS bad_phone, count(DISTINCT phone)::int AS phones FROM demo_customers`);
    expect(c).toEqual({ n: customerCount(SCALE), bad_name: 0, bad_phone: 0, phones: customerCount(SCALE) });
    const orphans = await one<{ n: number }>(`SELECT count(*)::int AS n FROM demo_orders o LEFT JOIN demo_customers c USING (customer_id)
      WHERE c.customer_id IS NULL OR c.phone <> o.customer_phone OR c.created_at > o.created_at`);
    expect(orphans.n).toBe(0);
  });

  it("prices products in realistic RUB magnitudes across 6–10 categories", async () => {
    const p = await one<{ n: number; cats: number; min: number; max: number; missing: number }>(`SELECT count(*)::int AS n,
      count(DISTINCT category)::int AS cats, min(price) FILTER (WHERE price > 0) AS min, max(price) AS max,
      (SELECT count(*)::int FROM demo_order_items i LEFT JOIN demo_products p USING (product_id) WHERE p.product_id IS NULL) AS missing
      FROM demo_products`);
    expect(p.n).toBe(res.products);
    expect(p.cats).toBeGreaterThanOrEqual(6);
    expect(p.cats).toBeLessThanOrEqual(10);
    expect(p.min).toBeGreaterThanOrEqual(100);
    expect(p.max).toBeLessThanOrEqual(60_000);
    expect(p.missing).toBe(0);
  });
});
