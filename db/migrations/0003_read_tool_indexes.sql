-- What the read tools need to stay under 50 ms p95 on a 1M-order demo shop (bench/tools-queries.ts,
-- docs/benchmarks.md "Read tools"). The demo generator drops and rebuilds every secondary index of
-- the demo_* tables around its load, so these survive a re-seed.

-- Substring search: owners type the last digits of a phone or part of a name (orders_search q).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX demo_orders_phone_digits_trgm ON demo_orders
  USING gin (regexp_replace(customer_phone, '\D', '', 'g') gin_trgm_ops);
CREATE INDEX demo_customers_name_trgm ON demo_customers USING gin (name gin_trgm_ops);
CREATE INDEX demo_customers_email_trgm ON demo_customers USING gin (email gin_trgm_ops);

-- Period rankings and forecasts read whole days of the sales rollup; the generator does not write
-- it in day order, so without the covering index each day's rows are spread over the whole heap.
CREATE INDEX demo_product_sales_daily_day_cover ON demo_product_sales_daily (day) INCLUDE (product_id, qty, revenue);

-- Refund breakdowns by product walk refunded orders' items.
CREATE INDEX demo_order_items_order_cover ON demo_order_items (order_id) INCLUDE (product_id, qty, unit_price);

-- Long windows (a quarter, a year) of top_products sum whole months from here instead of ~2 000
-- daily rows per day. Refreshed by the DEMO provider when demo_meta.generated_at moves past the
-- mark below, i.e. once after each seed.
CREATE MATERIALIZED VIEW demo_product_sales_monthly AS
  SELECT date_trunc('month', day::timestamp)::date AS month, product_id,
         sum(qty)::bigint AS qty, sum(revenue) AS revenue, count(*)::int AS sale_days
  FROM demo_product_sales_daily GROUP BY 1, 2;
CREATE UNIQUE INDEX demo_product_sales_monthly_pk ON demo_product_sales_monthly (month, product_id);

CREATE TABLE demo_rollup_marks (
  name                 text PRIMARY KEY,
  source_generated_at  timestamptz NOT NULL,
  refreshed_at         timestamptz NOT NULL DEFAULT now()
);
