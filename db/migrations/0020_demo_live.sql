-- A live demo shop: seeded "now", it keeps receiving orders, payments, refunds and chat messages
-- as real time passes (shared/domain/src/demo/live.ts, run by the scheduler's tick). A shop seeded
-- for a fixed moment (tests, --anchor-day, --as-of) stays frozen: live_since is NULL.
ALTER TABLE demo_meta ADD COLUMN live_since timestamptz;
-- When the live runner last changed the shop's rows; the read tools' running totals compare their
-- mark with greatest(generated_at, changed_at) to know they must be rebuilt.
ALTER TABLE demo_meta ADD COLUMN changed_at timestamptz;
