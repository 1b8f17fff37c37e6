-- Retention for the tables added after 0015 (shared/core/src/db/retention.queries.ts, PRUNED): actions,
-- the DEMO idempotency ledger, transcription jobs and cached transcripts. As in 0015, each index is
-- on the expression the delete orders by and, where open rows exist, partial on the finished ones,
-- so a batch reads only the rows it deletes and an empty run costs nothing.
--
-- On a large live database build them first by hand with CREATE INDEX CONCURRENTLY and the same
-- definition; IF NOT EXISTS then makes this migration a no-op.

CREATE INDEX IF NOT EXISTS actions_finished_by_age ON actions ((coalesce(finished_at, expires_at)))
  WHERE status NOT IN ('confirmed', 'in_progress') AND delivery IS DISTINCT FROM 'pending';

CREATE INDEX IF NOT EXISTS demo_action_ledger_by_age ON demo_action_ledger ((coalesce(last_replay_at, created_at)));

CREATE INDEX IF NOT EXISTS asr_jobs_finished_by_age ON asr_jobs ((coalesce(done_at, created_at)))
  WHERE status IN ('done', 'refused', 'dead');

CREATE INDEX IF NOT EXISTS asr_cache_by_age ON asr_cache (created_at);
