-- Charts and PDFs are drawn by worker-report, away from the intent worker's hot path. A tool that
-- asks for one leaves a report_jobs row, written in the same statement as its text replies; the
-- report worker claims it with a lease, renders it, and in one statement marks it done and writes
-- the photo/document reply to the outbox (or, after the last attempt, marks it dead and writes a
-- short apology instead). `cause` is unique so a repeated finish of the intent cannot ask twice.
CREATE TABLE report_jobs (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  cause        text NOT NULL,
  chat_id      bigint NOT NULL,
  request      jsonb NOT NULL,
  status       text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'claimed', 'done', 'dead')),
  attempts     integer NOT NULL DEFAULT 0,
  lease_until  timestamptz,
  claimed_by   text,
  last_error   text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  done_at      timestamptz,
  CONSTRAINT report_jobs_cause_unique UNIQUE (cause)
);
-- Claims walk one chat's open jobs in order; the sweeper looks for old open ones.
CREATE INDEX report_jobs_open_by_chat ON report_jobs (chat_id, id) WHERE status IN ('pending', 'claimed');
CREATE INDEX report_jobs_open_by_age ON report_jobs (created_at) WHERE status IN ('pending', 'claimed');
