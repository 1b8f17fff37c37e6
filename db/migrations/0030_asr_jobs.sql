-- Voice messages (issue #12). The intent worker turns an owner's voice into an asr_jobs row, written
-- in the same statement as the «🎙 Распознаю…» status reply; worker-asr claims it with a lease,
-- downloads the file, converts it with ffmpeg and transcribes it, and in one transaction records
-- the transcript (or why there is none) and hands the voice's inbox row back to the intent worker,
-- which answers the transcript like typed text.
--
-- Order: while a voice is being transcribed its inbox row waits as 'new' with not_before set (the
-- chat's later rows wait behind it, as behind any backing-off row). When that bounded wait
-- (ASR_ORDER_WAIT_SEC) ends first, the row becomes 'parked': no longer open, so the chat goes on,
-- and not finished either — worker-asr makes it 'new' again when the transcript (or the final
-- refusal) is there. docs/architecture.md, "Voice".

ALTER TABLE inbox DROP CONSTRAINT inbox_status_check;
ALTER TABLE inbox ADD CONSTRAINT inbox_status_check
  CHECK (status IN ('new', 'claimed', 'parked', 'done', 'failed', 'dead', 'rejected'));

CREATE TABLE asr_jobs (
  -- The voice's inbox id: one transcription per voice update however often its finish is repeated,
  -- and the job id asr-<inbox id> names both rows.
  id             bigint PRIMARY KEY,
  chat_id        bigint NOT NULL,
  -- What Telegram said about the file: file_id, file_unique_id, kind (voice/audio/video_note/document),
  -- mime_type, file_name, file_size, duration. The bytes are fetched by worker-asr, never stored.
  file           jsonb NOT NULL,
  status         text NOT NULL DEFAULT 'pending'
                 CHECK (status IN ('pending', 'claimed', 'done', 'refused', 'dead')),
  attempts       integer NOT NULL DEFAULT 0,
  lease_until    timestamptz,
  claimed_by     text,
  last_error     text,
  not_before     timestamptz,
  created_at     timestamptz NOT NULL DEFAULT now(),
  done_at        timestamptz,
  transcript     text,
  -- Why there is no transcript: too_big, too_long, not_audio, corrupt, silence, convert_timeout,
  -- download_failed, unavailable (ASR stayed down past ASR_RETRY_WINDOW_SEC).
  reason         text,
  audio_seconds  double precision
);
CREATE INDEX asr_jobs_open_by_chat ON asr_jobs (chat_id, id) WHERE status IN ('pending', 'claimed');
CREATE INDEX asr_jobs_open_by_age ON asr_jobs (created_at) WHERE status IN ('pending', 'claimed');

-- Telegram's file_unique_id names the same file across messages and bots' file_ids (a forwarded
-- voice): its transcript is reused instead of transcribed again.
CREATE TABLE asr_cache (
  file_unique_id text PRIMARY KEY,
  transcript     text NOT NULL,
  provider       text NOT NULL,
  audio_seconds  double precision NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now()
);

-- One chat's voices are transcribed one at a time, oldest first, by whichever worker (as reports).
CREATE FUNCTION ob_claim_asr(p_chat bigint, p_claimer text, p_lease_sec double precision, p_limit integer)
RETURNS TABLE (id bigint, chat_id bigint, file jsonb, attempts integer, created_at timestamptz)
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('asr:' || p_chat, 0));
  RETURN QUERY
  UPDATE asr_jobs a SET status = 'claimed', claimed_by = p_claimer, attempts = a.attempts + 1, not_before = NULL,
         lease_until = now() + make_interval(secs => p_lease_sec)
  WHERE a.id IN (
    SELECT o.id FROM asr_jobs o
    WHERE o.chat_id = p_chat AND (o.status = 'pending' OR (o.status = 'claimed' AND o.lease_until < now()))
      AND NOT EXISTS (SELECT 1 FROM asr_jobs b WHERE b.chat_id = p_chat AND b.status = 'claimed' AND b.lease_until >= now())
      AND NOT EXISTS (SELECT 1 FROM asr_jobs w WHERE w.chat_id = p_chat AND w.status = 'pending' AND w.not_before > now())
    ORDER BY o.id LIMIT p_limit)
  RETURNING a.id, a.chat_id, a.file, a.attempts, a.created_at;
END $$;
