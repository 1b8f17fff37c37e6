-- orders_search preset=stuck asks for "status stuck, or payment pending" newest first. With only a
-- few dozen such orders among a million, Postgres otherwise walks demo_orders_created backwards
-- through the whole table (≈ 300 ms at 1M); this partial index holds just those rows in time order.
CREATE INDEX demo_orders_attention ON demo_orders (created_at) WHERE status = 'stuck' OR payment_status = 'pending';
