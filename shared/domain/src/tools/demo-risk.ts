import { sql } from "kysely";
import type { Db } from "@ownerbot/core/db";
import type { RiskSignals, RiskQuery } from "./provider.ts";

// Trust-and-safety signals over the demo orders (truststack_signals). Each signal is one indexed
// query over the window, run concurrently:
//   flagged        — orders flagged in the window (partial index on flagged_at);
//   failed phones  — phones with several failed payments in the window (partial index of open/failed payments);
//   refunders      — customers with several refunds in the window (refunds carry the customer, 0011);
//   big new orders — not yet shipped orders far above the window's average paid order, placed by a
//                    first-time customer (the moment to check before goods leave).

type Row<T> = { rows: T[] };

export async function riskSignals(db: Db, q: RiskQuery): Promise<RiskSignals> {
  const [flagged, phones, refunders, big] = await Promise.all([
    sql<{
      order_id: string;
      order_no: number;
      amount: number;
      status: string;
      flag_reason: string | null;
      flagged_at: Date;
      total: number;
    }>`
      SELECT order_id, order_no, amount, status, flag_reason, flagged_at, count(*) OVER ()::int AS total
      FROM demo_orders WHERE flagged AND flagged_at >= ${q.start} AND flagged_at < ${q.end}
      ORDER BY flagged_at DESC, order_no DESC LIMIT ${q.limit}`.execute(db),
    sql<{ phone: string; failed: number; last_at: Date; orders: string[]; total: number }>`
      SELECT customer_phone AS phone, count(*)::int AS failed, max(created_at) AS last_at,
             (array_agg(order_id ORDER BY created_at DESC))[1:3] AS orders, count(*) OVER ()::int AS total
      FROM demo_orders
      WHERE payment_status = 'failed'
        AND created_at >= ${q.start} AND created_at < ${q.end}
      GROUP BY customer_phone HAVING count(*) >= ${q.minFailed}
      ORDER BY failed DESC, last_at DESC LIMIT ${q.limit}`.execute(db),
    sql<{ customer_id: string; name: string | null; refunded: number; refund_amount: number; orders: number; total: number }>`
      WITH h AS (
        SELECT customer_id, count(*)::int AS refunded, sum(amount) AS refund_amount, count(*) OVER ()::int AS total
        FROM demo_refunds WHERE created_at >= ${q.start} AND created_at < ${q.end}
        GROUP BY customer_id HAVING count(*) >= ${q.minRefunds}
        ORDER BY refunded DESC, refund_amount DESC, customer_id LIMIT ${q.limit}
      )
      SELECT h.*, c.name, (SELECT count(*)::int FROM demo_orders o WHERE o.customer_id = h.customer_id) AS orders
      FROM h LEFT JOIN demo_customers c ON c.customer_id = h.customer_id
      ORDER BY h.refunded DESC, h.refund_amount DESC, h.customer_id`.execute(db),
    bigNewOrders(db, q),
  ]);
  return {
    flagged: {
      total: flagged.rows[0]?.total ?? 0,
      items: flagged.rows.map((r) => ({
        orderId: r.order_id,
        orderNo: r.order_no,
        amount: r.amount,
        status: r.status,
        reason: r.flag_reason,
        flaggedAt: r.flagged_at,
      })),
    },
    failedPaymentPhones: {
      total: phones.rows[0]?.total ?? 0,
      items: phones.rows.map((r) => ({ phone: r.phone, failed: r.failed, lastAt: r.last_at, orderIds: r.orders })),
    },
    repeatRefunders: {
      total: refunders.rows[0]?.total ?? 0,
      items: refunders.rows.map((r) => ({
        customerId: r.customer_id,
        name: r.name,
        refunded: r.refunded,
        refundAmount: r.refund_amount,
        orders: r.orders,
      })),
    },
    bigNewOrders: big,
  };
}

async function bigNewOrders(db: Db, q: RiskQuery): Promise<RiskSignals["bigNewOrders"]> {
  // The average paid order of the window from the daily rollup (cheap), then the orders above the bar.
  const avg: Row<{ avg: number | null }> = await sql<{ avg: number | null }>`
    SELECT (sum(revenue_gross) / nullif(sum(orders_paid), 0))::float8 AS avg
    FROM demo_kpi_daily WHERE day >= ${q.fromDay}::date AND day <= ${q.toDay}::date`.execute(db);
  const average = avg.rows[0]?.avg ?? null;
  if (average === null) return { averageOrder: null, threshold: null, total: 0, items: [] };
  const threshold = average * q.bigOrderFactor;
  const { rows } = await sql<{
    order_id: string;
    order_no: number;
    amount: number;
    status: string;
    payment_status: string;
    customer_id: string;
    created_at: Date;
    total: number;
  }>`
    SELECT o.order_id, o.order_no, o.amount, o.status, o.payment_status, o.customer_id, o.created_at, count(*) OVER ()::int AS total
    FROM demo_orders o
    WHERE o.created_at >= ${q.start} AND o.created_at < ${q.end} AND o.amount >= ${threshold}
      AND o.status IN ('pending', 'paid', 'stuck')
      AND NOT EXISTS (SELECT 1 FROM demo_orders e WHERE e.customer_id = o.customer_id AND e.created_at < o.created_at)
    ORDER BY o.amount DESC, o.order_no DESC LIMIT ${q.limit}`.execute(db);
  return {
    averageOrder: average,
    threshold,
    total: rows[0]?.total ?? 0,
    items: rows.map((r) => ({
      orderId: r.order_id,
      orderNo: r.order_no,
      amount: r.amount,
      status: r.status,
      paymentStatus: r.payment_status,
      customerId: r.customer_id,
      createdAt: r.created_at,
    })),
  };
}
