-- Running totals per product and day, so any window's sales are two index lookups per product
-- (value at the last day minus value the day before the first) instead of summing ~2 000 daily rows
-- per day of the window: top_products and the SMA forecasts become O(products) at any period.
-- Dense (every product × every day of history: ~2.2M rows at 1M orders). Filled by the DEMO
-- provider after each seed (demo_meta.generated_at past demo_rollup_marks); until then the tools
-- read the daily rollup. It supersedes the monthly view of 0003.
DROP MATERIALIZED VIEW demo_product_sales_monthly;

CREATE MATERIALIZED VIEW demo_product_sales_cum AS
  WITH b AS (SELECT min(day) AS d0, max(day) AS d1 FROM demo_product_sales_daily),
  grid AS (
    SELECT p.product_id, g.day::date AS day
    FROM demo_products p CROSS JOIN b CROSS JOIN generate_series(b.d0, b.d1, interval '1 day') AS g(day)
  )
  SELECT grid.day, grid.product_id,
         sum(coalesce(s.qty, 0)) OVER w AS cum_qty,
         sum(coalesce(s.revenue, 0)) OVER w AS cum_revenue,
         count(s.qty) OVER w AS cum_days
  FROM grid LEFT JOIN demo_product_sales_daily s ON s.product_id = grid.product_id AND s.day = grid.day
  WINDOW w AS (PARTITION BY grid.product_id ORDER BY grid.day);
CREATE UNIQUE INDEX demo_product_sales_cum_pk ON demo_product_sales_cum (day, product_id) INCLUDE (cum_qty, cum_revenue, cum_days);
