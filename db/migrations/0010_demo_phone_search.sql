-- Cheaper 1M-order seeds, same answers. Measured on a 1M-order shop (docs/benchmarks.md):
--   * the trigram index over demo_orders' phone digits took ~12 s of each seed's index rebuild (1M
--     rows). Every order carries its customer's phone (the generator copies it; nothing else writes
--     it), so the phone search now finds customers by phone (384k rows at 1M orders, ~1.5 s to
--     build) and their orders through demo_orders_customer;
--   * demo_orders_phone (btree) served no query;
--   * demo_order_items_order duplicated demo_order_items_order_cover (same key, plus INCLUDE).
DROP INDEX IF EXISTS demo_orders_phone_digits_trgm;
DROP INDEX IF EXISTS demo_orders_phone;
DROP INDEX IF EXISTS demo_order_items_order;
CREATE INDEX demo_customers_phone_digits_trgm ON demo_customers
  USING gin (regexp_replace(phone, '\D', '', 'g') gin_trgm_ops);
