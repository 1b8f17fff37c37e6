-- The FX delta alert's stored rate (fx_delta_last_notified_rate) is of one base currency, which
-- the row did not say: the scheduler had to guess it from the rate's size. The base is stored
-- beside it (e.g. 'USD', as the FX status names it); NULL means none chosen yet, and the next
-- subscribe or alert picks and stores one. Existing rows are not backfilled.
ALTER TABLE owner_notify_settings ADD COLUMN fx_delta_base text;
