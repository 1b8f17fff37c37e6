-- refunds_anomalies ranks products by refunds: each refund's money is spread over its order's items
-- in proportion to their value. Doing that per question joined ~2 000 refunds to their items and did
-- the numeric arithmetic every time (≈ 35 ms of a 50 ms budget at 1M orders). This holds the spread,
-- one row per refund and product (so count(*) is the number of refunds per product), in refund time
-- order: a window is an index-only range scan. Rebuilt together with demo_product_sales_cum (same
-- mark in demo_rollup_marks) after each seed; until then the tools compute the spread from the raw rows.
-- `amount` keeps the unrounded quotients, so sums over it equal the per-item sums exactly.
CREATE MATERIALIZED VIEW demo_refund_product_shares AS
  WITH i AS (
    SELECT r.refund_id, r.created_at, r.amount, it.product_id, it.qty * it.unit_price AS v,
           sum(it.qty * it.unit_price) OVER (PARTITION BY r.refund_id) AS order_v
    FROM demo_refunds r JOIN demo_order_items it ON it.order_id = r.order_id
  )
  SELECT created_at, refund_id, product_id, sum(amount * v / nullif(order_v, 0)) AS amount
  FROM i GROUP BY refund_id, created_at, product_id;
CREATE INDEX demo_refund_product_shares_created ON demo_refund_product_shares (created_at) INCLUDE (product_id, amount);
