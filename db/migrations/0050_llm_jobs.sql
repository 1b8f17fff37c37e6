-- The LLM planner (issue #14). Free text that no rule understands becomes an llm_jobs row, written
-- in the same statement as the «🤔 Думаю…» status reply; the llm worker (inside worker-intent's
-- process, on its own queue "llm") claims it with a lease, asks the model for one intent, validates
-- it, and in one transaction records the validated intent (or why there is none) and hands the
-- text's inbox row back to the intent worker, which runs the intent (a read tool, an action preview,
-- advice) or says it did not understand.
--
-- Order: exactly as for voices (0030). While the planner works, the text's inbox row waits as 'new'
-- with not_before set, so the chat's later rows wait behind it; when that bounded wait
-- (LLM_ORDER_WAIT_SEC) ends first, the row is 'parked' and the chat goes on; the llm worker makes it
-- 'new' again when the answer (or the final failure) is there. docs/architecture.md, "LLM planner".

CREATE TABLE llm_jobs (
  -- The text's inbox id: one planning per update however often its finish is repeated, and the job
  -- id llm-<inbox id> names both rows.
  id             bigint PRIMARY KEY,
  chat_id        bigint NOT NULL,
  -- What the model is asked (already cut to LLM_MAX_INPUT_CHARS).
  text           text NOT NULL,
  status         text NOT NULL DEFAULT 'pending'
                 CHECK (status IN ('pending', 'claimed', 'done', 'dead')),
  attempts       integer NOT NULL DEFAULT 0,
  lease_until    timestamptz,
  claimed_by     text,
  last_error     text,
  not_before     timestamptz,
  created_at     timestamptz NOT NULL DEFAULT now(),
  done_at        timestamptz,
  -- The validated intent (shared/domain/src/llm/intent.ts PlannedIntent): a tool with its input, advice,
  -- or unknown with the reason and a hint. Never the model's raw text.
  result         jsonb,
  -- How the call ended, for metrics and retro: ok, unknown_tool, action_not_allowed, invalid_json,
  -- schema_violation, timeout, http_error, unavailable.
  outcome        text,
  provider       text,
  latency_ms     integer,
  tokens_in      integer,
  tokens_out     integer
);
CREATE INDEX llm_jobs_open_by_chat ON llm_jobs (chat_id, id) WHERE status IN ('pending', 'claimed');
CREATE INDEX llm_jobs_open_by_age ON llm_jobs (created_at) WHERE status IN ('pending', 'claimed');
CREATE INDEX llm_jobs_by_age ON llm_jobs (created_at);

-- One chat's texts are planned one at a time, oldest first, by whichever worker.
CREATE FUNCTION ob_claim_llm(p_chat bigint, p_claimer text, p_lease_sec double precision, p_limit integer)
RETURNS TABLE (id bigint, chat_id bigint, text text, attempts integer, created_at timestamptz)
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('llm:' || p_chat, 0));
  RETURN QUERY
  UPDATE llm_jobs a SET status = 'claimed', claimed_by = p_claimer, attempts = a.attempts + 1, not_before = NULL,
         lease_until = now() + make_interval(secs => p_lease_sec)
  WHERE a.id IN (
    SELECT o.id FROM llm_jobs o
    WHERE o.chat_id = p_chat AND (o.status = 'pending' OR (o.status = 'claimed' AND o.lease_until < now()))
      AND NOT EXISTS (SELECT 1 FROM llm_jobs b WHERE b.chat_id = p_chat AND b.status = 'claimed' AND b.lease_until >= now())
      AND NOT EXISTS (SELECT 1 FROM llm_jobs w WHERE w.chat_id = p_chat AND w.status = 'pending' AND w.not_before > now())
    ORDER BY o.id LIMIT p_limit)
  RETURNING a.id, a.chat_id, a.text, a.attempts, a.created_at;
END $$;
