-- The DEMO upstream: a whole shop in OwnerBot's own Postgres, filled by the deterministic
-- generator (make seed SCALE=…). Read tools see it only through the provider interface.
-- Identifiers, phones and statuses are ASCII and use COLLATE "C": byte comparison sorts them the
-- same way and builds their indexes about 3× faster than a libc locale (1M-order reseeds).
-- Every demo table uses it for these columns, so joins between demo tables agree.

CREATE TABLE demo_products (
  product_id        text COLLATE "C" PRIMARY KEY,          -- 'PRD-00001'
  title             text NOT NULL,
  category          text NOT NULL,
  price             numeric(12,2) NOT NULL,
  compare_at_price  numeric(12,2),             -- set while a discount is active
  currency          text NOT NULL,
  stock_qty         integer NOT NULL,
  has_photo         boolean NOT NULL DEFAULT true,
  has_video         boolean NOT NULL DEFAULT true,
  return_flagged    boolean NOT NULL DEFAULT false,
  published         boolean NOT NULL DEFAULT true,
  created_at        timestamptz NOT NULL,
  updated_at        timestamptz NOT NULL
);
CREATE INDEX demo_products_category ON demo_products (category);
CREATE INDEX demo_products_stock ON demo_products (stock_qty) WHERE published;

CREATE TABLE demo_customers (
  customer_id  text COLLATE "C" PRIMARY KEY,               -- 'CU-0000001'
  name         text NOT NULL,
  phone        text COLLATE "C" NOT NULL,
  email        text,
  created_at   timestamptz NOT NULL
);

CREATE TABLE demo_orders (
  order_id         text COLLATE "C" PRIMARY KEY,           -- 'OB-1001'; the number after OB- is what owners say
  order_no         bigint NOT NULL UNIQUE,
  status           text COLLATE "C" NOT NULL,              -- pending|paid|shipped|delivered|cancelled|refunded|stuck|failed
  amount           numeric(12,2) NOT NULL,
  currency         text NOT NULL,
  created_at       timestamptz NOT NULL,
  customer_id      text COLLATE "C" NOT NULL,
  customer_phone   text COLLATE "C" NOT NULL,
  coupon_code      text,
  payment_status   text NOT NULL,              -- pending|paid|failed|refunded
  paid_at          timestamptz,
  shipping_status  text NOT NULL,              -- none|pending|shipped|delivered
  ship_due_at      timestamptz,
  shipped_at       timestamptz,
  updated_at       timestamptz NOT NULL,
  flagged          boolean NOT NULL DEFAULT false,
  flag_reason      text,
  flagged_at       timestamptz,
  flagged_by       bigint
);
CREATE INDEX demo_orders_created ON demo_orders (created_at DESC);
CREATE INDEX demo_orders_status_created ON demo_orders (status, created_at DESC);
CREATE INDEX demo_orders_phone ON demo_orders (customer_phone);
CREATE INDEX demo_orders_customer ON demo_orders (customer_id);
CREATE INDEX demo_orders_open_payment ON demo_orders (created_at) WHERE payment_status IN ('pending', 'failed');
CREATE INDEX demo_orders_unshipped ON demo_orders (ship_due_at) WHERE shipping_status IN ('none', 'pending');
CREATE INDEX demo_orders_flagged ON demo_orders (flagged_at) WHERE flagged;
CREATE INDEX demo_orders_paid ON demo_orders (paid_at) WHERE paid_at IS NOT NULL;

CREATE TABLE demo_order_items (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  order_id    text COLLATE "C" NOT NULL,
  product_id  text COLLATE "C" NOT NULL,
  qty         integer NOT NULL,
  unit_price  numeric(12,2) NOT NULL,
  currency    text NOT NULL,
  created_at  timestamptz NOT NULL
);
CREATE INDEX demo_order_items_order ON demo_order_items (order_id);
CREATE INDEX demo_order_items_product_time ON demo_order_items (product_id, created_at);

CREATE TABLE demo_payments (
  payment_id  text COLLATE "C" PRIMARY KEY,
  order_id    text COLLATE "C" NOT NULL,
  amount      numeric(12,2) NOT NULL,
  method      text NOT NULL,                   -- card|sbp|cash
  status      text NOT NULL,                   -- paid|failed|pending|refunded
  created_at  timestamptz NOT NULL
);
CREATE INDEX demo_payments_order ON demo_payments (order_id);

CREATE TABLE demo_refunds (
  refund_id   text COLLATE "C" PRIMARY KEY,
  order_id    text COLLATE "C" NOT NULL,
  amount      numeric(12,2) NOT NULL,
  reason      text NOT NULL,                   -- defect|size|late|changed_mind|other
  created_at  timestamptz NOT NULL
);
CREATE INDEX demo_refunds_created ON demo_refunds (created_at);
CREATE INDEX demo_refunds_order ON demo_refunds (order_id);

-- Daily rollups the generator writes beside the raw rows, so period questions on 1M orders stay fast.
CREATE TABLE demo_kpi_daily (
  day             date PRIMARY KEY,
  revenue_gross   numeric(14,2) NOT NULL,
  revenue_net     numeric(14,2) NOT NULL,
  orders_paid     integer NOT NULL,
  orders_created  integer NOT NULL,
  aov             numeric(12,2) NOT NULL,
  refunds_count   integer NOT NULL DEFAULT 0,
  refunds_amount  numeric(14,2) NOT NULL DEFAULT 0
);

CREATE TABLE demo_product_sales_daily (
  day         date NOT NULL,
  product_id  text COLLATE "C" NOT NULL,
  qty         integer NOT NULL,
  revenue     numeric(14,2) NOT NULL,
  PRIMARY KEY (day, product_id)
);
CREATE INDEX demo_product_sales_daily_product ON demo_product_sales_daily (product_id, day);

CREATE TABLE demo_funnel_daily (
  day               date PRIMARY KEY,
  visits            integer NOT NULL,
  product_views     integer NOT NULL,
  add_to_cart       integer NOT NULL,
  checkout_started  integer NOT NULL,
  orders_created    integer NOT NULL,
  orders_paid       integer NOT NULL
);

CREATE TABLE demo_coupons (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  code         text NOT NULL UNIQUE,
  percent_off  numeric(5,2),
  amount_off   numeric(12,2),
  active       boolean NOT NULL DEFAULT true,
  max_uses     integer,
  used_count   integer NOT NULL DEFAULT 0,
  starts_at    timestamptz,
  ends_at      timestamptz,
  created_at   timestamptz NOT NULL,
  updated_at   timestamptz NOT NULL,
  CHECK ((percent_off IS NULL) <> (amount_off IS NULL))
);

CREATE TABLE demo_team (
  member_id   text COLLATE "C" PRIMARY KEY,
  name        text NOT NULL,
  role        text NOT NULL,                   -- manager|support|warehouse
  tg_chat_id  bigint
);

CREATE TABLE demo_chat_threads (
  thread_id                 text COLLATE "C" PRIMARY KEY,  -- 'TH-2001'
  customer_id               text COLLATE "C" NOT NULL,
  assigned_to               text COLLATE "C",  -- demo_team.member_id
  open                      boolean NOT NULL,
  subject                   text NOT NULL,
  last_customer_message_at  timestamptz NOT NULL,
  last_manager_reply_at     timestamptz,
  created_at                timestamptz NOT NULL
);
CREATE INDEX demo_chat_threads_open ON demo_chat_threads (last_customer_message_at DESC) WHERE open;

CREATE TABLE demo_looks (
  look_id     text COLLATE "C" PRIMARY KEY,
  title       text NOT NULL,
  active      boolean NOT NULL,
  updated_at  timestamptz NOT NULL
);

CREATE TABLE demo_fx_rates (
  day    date NOT NULL,
  base   text NOT NULL,
  quote  text NOT NULL,
  rate   numeric(14,6) NOT NULL,
  PRIMARY KEY (base, quote, day)
);

-- What the generator built, so tools can say which demo shop answers and tests can rebuild it.
CREATE TABLE demo_meta (
  id          integer PRIMARY KEY DEFAULT 1 CHECK (id = 1),
  scale       integer NOT NULL,
  seed        integer NOT NULL,
  anchor_day  date NOT NULL,                   -- the last day of generated history ("today" of the shop)
  generated_at timestamptz NOT NULL DEFAULT now(),
  as_of        timestamptz NOT NULL,           -- the demo shop's "now": no generated timestamp is later
  history_from date NOT NULL,                  -- the first day of generated history (shop-local)
  time_zone    text NOT NULL,                  -- the zone the daily rollups' days are counted in
  currency     text NOT NULL,
  -- Index and key statements the generator dropped for a load and runs after committing it; empty
  -- once they are back. A seed interrupted in between leaves them here, and the next seed runs them.
  pending_indexes text[] NOT NULL DEFAULT '{}'
);
