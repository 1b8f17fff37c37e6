// Every anomaly the read tools must find is present at the smallest scale, measured against
// demo_meta.as_of with the definitions from the reference (stuck ≥ 6 h, payment issues in 2 h, …).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestEnv, type TestEnv } from "@ownerbot/testkit/harness";
import { seedDemo } from "./seed.ts";

const TZ = "Europe/Moscow";
let env: TestEnv;
const one = async <T>(sql: string, params: unknown[] = []): Promise<T> => (await env.pool.query(sql, params)).rows[0] as T;

beforeAll(async () => {
  env = await createTestEnv();
  await seedDemo(env.pool, { scale: 1000, anchorDay: "2026-01-15", timeZone: TZ, currency: "RUB" });
});
afterAll(async () => env.close());

describe("planted anomalies at 1 000 orders", () => {
  it("a refund spike three days before the anchor, at least 4× the usual day", async () => {
    const r = await one<{ spike: number; usual: number }>(
      `WITH m AS (SELECT anchor_day FROM demo_meta),
      d AS (SELECT (created_at AT TIME ZONE $1)::date AS day, count(*) AS n FROM demo_refunds GROUP BY 1)
      SELECT coalesce((SELECT n FROM d, m WHERE d.day = m.anchor_day - 3), 0)::int AS spike,
             (SELECT coalesce(sum(n), 0) FROM d, m WHERE d.day BETWEEN m.anchor_day - 31 AND m.anchor_day - 4)::float8 / 28 AS usual`,
      [TZ],
    );
    expect(r.spike).toBeGreaterThanOrEqual(6);
    expect(r.spike).toBeGreaterThanOrEqual(4 * r.usual);
  });

  it("a revenue dip day nine days before the anchor", async () => {
    const r = await one<{ dip: number; median: number }>(`WITH m AS (SELECT anchor_day FROM demo_meta)
      SELECT (SELECT revenue_gross FROM demo_kpi_daily, m WHERE day = m.anchor_day - 9) AS dip,
             (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY revenue_gross) FROM demo_kpi_daily, m
               WHERE day BETWEEN m.anchor_day - 30 AND m.anchor_day - 1 AND day <> m.anchor_day - 9) AS median`);
    expect(r.dip).toBeLessThan(0.6 * r.median);
  });

  it("catalogue problems among published products, plus unpublished and return-flagged ones", async () => {
    const c = await one<Record<string, number>>(`SELECT
      count(*) FILTER (WHERE published AND stock_qty = 0)::int AS out_of_stock,
      count(*) FILTER (WHERE published AND stock_qty BETWEEN 1 AND 5)::int AS low_stock,
      count(*) FILTER (WHERE published AND NOT has_photo)::int AS no_photo,
      count(*) FILTER (WHERE published AND NOT has_video)::int AS no_video,
      count(*) FILTER (WHERE published AND price <= 0)::int AS zero_price,
      count(*) FILTER (WHERE NOT published)::int AS unpublished,
      count(*) FILTER (WHERE return_flagged)::int AS return_flagged FROM demo_products`);
    expect(c.out_of_stock).toBeGreaterThanOrEqual(2);
    expect(c.low_stock).toBeGreaterThanOrEqual(3);
    expect(c.no_photo).toBeGreaterThanOrEqual(1);
    expect(c.no_video).toBeGreaterThanOrEqual(1);
    expect(c.zero_price).toBeGreaterThanOrEqual(1);
    expect(c.unpublished).toBeGreaterThanOrEqual(2);
    expect(c.return_flagged).toBeGreaterThanOrEqual(2);
    // The zeroed price is a recent accident: the product sold at a real price before.
    const sold = await one<{ n: number }>(`SELECT count(*)::int AS n FROM demo_order_items i JOIN demo_products p USING (product_id)
      WHERE p.price = 0 AND i.unit_price = 0`);
    expect(sold.n).toBe(0);
  });

  it("stuck orders, late shipments and payment failures relative to as_of", async () => {
    const o = await one<Record<string, number>>(`SELECT
      count(*) FILTER (WHERE status = 'stuck' OR (payment_status = 'pending' AND created_at <= m.as_of - interval '6 hours'))::int AS stuck,
      count(*) FILTER (WHERE payment_status = 'paid' AND shipping_status IN ('none', 'pending') AND ship_due_at < m.as_of)::int AS late,
      count(*) FILTER (WHERE payment_status = 'failed' AND created_at >= m.as_of - interval '2 hours')::int AS failed_recent,
      count(*) FILTER (WHERE payment_status = 'failed' AND created_at < m.as_of - interval '2 hours')::int AS failed_older,
      count(*) FILTER (WHERE payment_status = 'pending' AND created_at > m.as_of - interval '1 hour')::int AS fresh_pending
      FROM demo_orders, demo_meta m`);
    expect(o.stuck).toBeGreaterThanOrEqual(3);
    expect(o.late).toBeGreaterThanOrEqual(3);
    expect(o.failed_recent).toBeGreaterThanOrEqual(2);
    expect(o.failed_older).toBeGreaterThanOrEqual(5);
    expect(o.fresh_pending).toBeGreaterThanOrEqual(1);
  });

  it("several flagged orders with reasons", async () => {
    const f = await one<{ n: number; without_reason: number; bad_time: number }>(`SELECT count(*)::int AS n,
      count(*) FILTER (WHERE coalesce(flag_reason, '') = '')::int AS without_reason,
      count(*) FILTER (WHERE flagged_at IS NULL OR flagged_at < created_at OR flagged_at > m.as_of)::int AS bad_time
      FROM demo_orders, demo_meta m WHERE flagged`);
    expect(f.n).toBeGreaterThanOrEqual(5);
    expect(f).toMatchObject({ without_reason: 0, bad_time: 0 });
  });

  it("unanswered customer chats assigned to team members", async () => {
    const t = await one<{ unanswered: number; unassigned: number; team: number; roles: number }>(`SELECT
      count(*) FILTER (WHERE open AND last_customer_message_at BETWEEN m.as_of - interval '30 hours' AND m.as_of - interval '1 hour'
        AND (last_manager_reply_at IS NULL OR last_manager_reply_at < last_customer_message_at))::int AS unanswered,
      count(*) FILTER (WHERE open AND NOT EXISTS (SELECT 1 FROM demo_team tm WHERE tm.member_id = t.assigned_to))::int AS unassigned,
      (SELECT count(*)::int FROM demo_team) AS team, (SELECT count(DISTINCT role)::int FROM demo_team) AS roles
      FROM demo_chat_threads t, demo_meta m`);
    expect(t.unanswered).toBeGreaterThanOrEqual(4);
    expect(t.unassigned).toBe(0);
    expect(t.team).toBeGreaterThanOrEqual(3);
    expect(t.team).toBeLessThanOrEqual(5);
    expect(t.roles).toBeGreaterThanOrEqual(2);
    const orphans = await one<{ n: number }>(`SELECT count(*)::int AS n FROM demo_chat_threads t
      LEFT JOIN demo_customers c USING (customer_id) WHERE c.customer_id IS NULL OR c.created_at > t.created_at`);
    expect(orphans.n).toBe(0);
  });

  it("looks and FX rates for every history day", async () => {
    const x = await one<{ looks: number; fx: number; days: number; bases: number; bad: number }>(`SELECT
      (SELECT count(*)::int FROM demo_looks) AS looks, count(*)::int AS fx,
      (SELECT count(*)::int FROM demo_kpi_daily) AS days, count(DISTINCT base)::int AS bases,
      count(*) FILTER (WHERE rate <= 0 OR quote <> 'RUB')::int AS bad FROM demo_fx_rates`);
    expect(x.looks).toBeGreaterThanOrEqual(10);
    expect(x.looks).toBeLessThanOrEqual(40);
    expect(x).toMatchObject({ fx: 3 * x.days, bases: 3, bad: 0 });
    // A gentle walk: no day moves a rate by more than 5 %.
    const jumps = await one<{ n: number }>(`SELECT count(*)::int AS n FROM (
      SELECT rate / lag(rate) OVER (PARTITION BY base ORDER BY day) AS r FROM demo_fx_rates) t WHERE r NOT BETWEEN 0.95 AND 1.05`);
    expect(jumps.n).toBe(0);
  });
});
