-- The FX delta alert's stored rate (fx_delta_last_notified_rate) is of one base currency, which
-- the row did not say: the scheduler had to guess it from the rate's size. The base is stored
-- beside it; NULL means none chosen yet (the first subscribe or scheduler tick picks and stores one).
-- Existing rows are not backfilled: their base is chosen at the next subscribe or alert.
ALTER TABLE owner_notify_settings ADD COLUMN fx_delta_base text CHECK (fx_delta_base ~ '^[A-Z]{3}$');
