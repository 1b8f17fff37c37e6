// What happens to the live demo shop's open orders and chats as time passes: payments go through
// (or fail), parcels ship and arrive, a few come back as refunds, managers answer customers. Each
// event has a time drawn from the order's (or message's) own hash, like the seed draws its delays,
// and happens in the run whose window (from, to] holds that time; so the outcome does not depend on
// how often the runner ticks. A delay that would end before the shop went live starts from then.
//
// What was already wrong when the shop went live stays wrong — payments pending for hours,
// shipments past their promise, customers left waiting: those are the demo's open problems for the
// owner, and only people fix them. New ones appear naturally (slow payers, late parcels, slow answers).

import type pg from "pg";
import { rnd } from "./sql-rand.ts";

type Window = { from: Date; to: Date; liveSince: Date; seed: number };

/** `base + delay` seconds, or `live + delay` when that would lie before the shop went live. */
const due = (base: string, delaySecs: string): string =>
  `(CASE WHEN ${base} + make_interval(secs => ${delaySecs}) > $3 THEN ${base} + make_interval(secs => ${delaySecs})
         ELSE $3::timestamptz + make_interval(secs => ${delaySecs}) END)`;

async function run(c: pg.PoolClient, w: Window, sql: string): Promise<number> {
  const r = await c.query(sql, [w.from, w.to, w.liveSince]);
  return r.rowCount ?? 0;
}

/** Events applied in one window: payments settled (paid, failed or abandoned), parcels, refunds, answers. */
export type LifecycleCounts = { settled: number; shipped: number; delivered: number; refunded: number; answered: number };

export async function advanceLifecycle(c: pg.PoolClient, w: Window): Promise<LifecycleCounts> {
  const r = (salt: number, key = "o.order_no"): string => rnd(key, w.seed, salt);
  const inWindow = (t: string): string => `${t} > $1 AND ${t} <= $2`;

  // Payment: 96.5 % pay within minutes (5 % take 1–3 h more), 2 % fail, 1.5 % are abandoned. Only
  // payments fresh at go-live or later: older pending ones are the shop's stuck orders.
  const payDelay = `(60 + 2400 * power(${r(201)}, 3) + CASE WHEN ${r(202)} < 0.05 THEN 3600 + 7200 * ${r(203)} ELSE 0 END)`;
  const failDelay = `(CASE WHEN ${r(200)} < 0.02 THEN 60 + 240 * ${r(204)} ELSE 600 + 4800 * ${r(204)} END)`;
  const settled = `WITH s AS (
      SELECT o.order_id, CASE WHEN ${r(200)} < 0.035 THEN CASE WHEN ${r(200)} < 0.02 THEN 'failed' ELSE 'cancelled' END ELSE 'paid' END AS fate,
             CASE WHEN ${r(200)} < 0.035 THEN ${due("o.created_at", failDelay)} ELSE ${due("o.created_at", payDelay)} END AS t
      FROM demo_orders o
      WHERE o.status = 'pending' AND o.payment_status = 'pending' AND o.created_at > $3::timestamptz - interval '6 hours')`;
  const settledCount = await run(
    c,
    w,
    `${settled}, u AS (
      UPDATE demo_orders o SET status = s.fate, payment_status = CASE s.fate WHEN 'paid' THEN 'paid' ELSE 'failed' END,
        paid_at = CASE s.fate WHEN 'paid' THEN s.t END, shipping_status = CASE s.fate WHEN 'paid' THEN 'pending' ELSE 'none' END,
        ship_due_at = CASE s.fate WHEN 'paid' THEN s.t + interval '48 hours' END, updated_at = s.t
      FROM s WHERE o.order_id = s.order_id AND ${inWindow("s.t")} RETURNING o.order_id, o.status, s.t)
    UPDATE demo_payments p SET status = CASE u.status WHEN 'paid' THEN 'paid' ELSE 'failed' END, created_at = u.t
    FROM u WHERE p.payment_id = 'PAY-' || substr(u.order_id, 4) || '-1'`,
  );

  // Shipping 3–44 h after payment (7 % 50–110 h, past the 48 h promise). Parcels already late at
  // go-live stay in the warehouse: that problem is the owner's to solve.
  const shipDelay = `(3600 * CASE WHEN ${r(205)} < 0.07 THEN 50 + 60 * ${r(206)} ELSE 3 + 41 * ${r(206)} END)`;
  const shipped = await run(
    c,
    w,
    `WITH s AS (SELECT o.order_id, ${due("o.paid_at", shipDelay)} AS t FROM demo_orders o
                WHERE o.status = 'paid' AND o.shipping_status = 'pending' AND o.paid_at IS NOT NULL
                  AND (o.ship_due_at >= $3 OR o.paid_at >= $3))
    UPDATE demo_orders o SET status = 'shipped', shipping_status = 'shipped', shipped_at = s.t, updated_at = s.t
    FROM s WHERE o.order_id = s.order_id AND ${inWindow("s.t")}`,
  );

  const deliverDelay = `(3600 * (20 + 120 * ${r(207)}))`;
  const delivered = await run(
    c,
    w,
    `WITH s AS (SELECT o.order_id, ${due("o.shipped_at", deliverDelay)} AS t FROM demo_orders o
                WHERE o.status = 'shipped' AND o.shipped_at IS NOT NULL)
    UPDATE demo_orders o SET status = 'delivered', shipping_status = 'delivered', updated_at = s.t
    FROM s WHERE o.order_id = s.order_id AND ${inWindow("s.t")}`,
  );

  // 3 % come back 12 h–14 days after delivery (updated_at of a delivered order is its delivery). No
  // shifting here: a delivery long before go-live whose refund would have come earlier stays kept.
  const refundDelay = `(3600 * (12 + 324 * ${r(209)}))`;
  const reason = `(ARRAY['size','size','size','defect','defect','changed_mind','changed_mind','late','other'])[1 + floor(${r(210)} * 9)::int]`;
  const refunded = await run(
    c,
    w,
    `WITH s AS (SELECT o.order_id, o.customer_id, o.amount, ${reason} AS reason,
                       o.updated_at + make_interval(secs => ${refundDelay}) AS t
                FROM demo_orders o
                WHERE o.status = 'delivered' AND o.created_at > $3::timestamptz - interval '30 days' AND ${r(208)} < 0.03),
    u AS (UPDATE demo_orders o SET status = 'refunded', payment_status = 'refunded', updated_at = s.t
          FROM s WHERE o.order_id = s.order_id AND s.t > $3 AND ${inWindow("s.t")} RETURNING s.*)
    INSERT INTO demo_refunds (refund_id, order_id, customer_id, amount, reason, created_at)
    SELECT 'RF-' || substr(u.order_id, 4), u.order_id, u.customer_id, u.amount, u.reason, u.t FROM u`,
  );

  // Managers answer a customer message written since go-live: 80 % within 5–120 min, the rest after
  // 3–30 h (the slow answers the owner's alerts are for).
  const msg = "(extract(epoch FROM t.last_customer_message_at)::bigint + substr(t.thread_id, 4)::bigint)";
  const answer = `(60 * CASE WHEN ${r(220, msg)} < 0.8 THEN 5 + 115 * ${r(221, msg)} ELSE 180 + 1620 * ${r(221, msg)} END)`;
  const answered = await run(
    c,
    w,
    `WITH s AS (SELECT t.thread_id, t.last_customer_message_at + make_interval(secs => ${answer}) AS a FROM demo_chat_threads t
                WHERE t.open AND t.last_customer_message_at >= $3
                  AND (t.last_manager_reply_at IS NULL OR t.last_manager_reply_at < t.last_customer_message_at))
    UPDATE demo_chat_threads t SET last_manager_reply_at = s.a FROM s WHERE t.thread_id = s.thread_id AND s.a > $1 AND s.a <= $2`,
  );
  return { settled: settledCount, shipped, delivered, refunded, answered };
}
