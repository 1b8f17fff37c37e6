-- The SES forecast (demand_forecast / reorder_plan, method ses) weighs every day of its history, so
-- it summed ~200 000 daily rows for a 120-day history at 1M orders (~45 ms even on two cores). For
-- the default smoothing α = 0.35 the running totals now also carry the exponentially smoothed sum
--   E_d = Σ_{s ≤ d} α (1 − α)^(d − s) x_s      (x = units sold on day s, from the first day of history)
-- and a window's SES level is exact from three rows per product (demo-catalog.ts):
--   s_T = E_T + (1 − α)^(T − from) · (x_from − E_from).
-- E_d = (1 − α)^t · Σ α (1 − α)^(−s) x_s with t = days since the start; (1 − α)^(−t) stays finite in
-- float8 for t ≤ 1500 (0.65^−1500 ≈ 1e281), so longer histories store NULL and the tools fall back
-- to summing the daily rows. Other α values always sum the daily rows.
DROP MATERIALIZED VIEW demo_product_sales_cum;

CREATE MATERIALIZED VIEW demo_product_sales_cum AS
  WITH b AS (SELECT min(day) AS d0, max(day) AS d1 FROM demo_product_sales_daily),
  grid AS (
    SELECT p.product_id, g.day::date AS day, (g.day::date - b.d0) AS t, (b.d1 - b.d0) <= 1500 AS fits
    FROM demo_products p CROSS JOIN b CROSS JOIN generate_series(b.d0, b.d1, interval '1 day') AS g(day)
  )
  SELECT grid.day, grid.product_id,
         sum(coalesce(s.qty, 0)) OVER w AS cum_qty,
         sum(coalesce(s.revenue, 0)) OVER w AS cum_revenue,
         count(s.qty) OVER w AS cum_days,
         CASE WHEN grid.fits THEN power(0.65::float8, grid.t)
                                  * sum(0.35::float8 * power(0.65::float8, -grid.t) * coalesce(s.qty, 0)) OVER w END AS ses_a35
  FROM grid LEFT JOIN demo_product_sales_daily s ON s.product_id = grid.product_id AND s.day = grid.day
  WINDOW w AS (PARTITION BY grid.product_id ORDER BY grid.day);
CREATE UNIQUE INDEX demo_product_sales_cum_pk ON demo_product_sales_cum (day, product_id)
  INCLUDE (cum_qty, cum_revenue, cum_days, ses_a35);
-- The view is new and empty of meaning until refreshed: make the tools rebuild it.
DELETE FROM demo_rollup_marks WHERE name = 'demo_product_sales_cum';
