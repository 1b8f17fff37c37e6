-- Every unit of work is now a BullMQ job (upd-<id>, out-<id>, rep-<id>) and the rows keep the truth.
-- What the rows need for that:
--   * not_before on every leased table: a failed attempt backs off on the row itself, so another job
--     of the same chat cannot retry it early; a chat's later rows wait behind it (order first);
--   * 'expired' for a reply that waited longer than it may (a bot token that stayed revoked);
--   * update ids that come back: Telegram picks a new random update id after a week of silence and a
--     self-hosted Bot API server may restart its count, so (bot, update id) alone no longer names an
--     update. The same id with different content is a new update; the same id and content is a
--     re-delivery and is still ignored.

ALTER TABLE inbox ADD COLUMN not_before timestamptz;
ALTER TABLE report_jobs ADD COLUMN not_before timestamptz;

ALTER TABLE outbox DROP CONSTRAINT outbox_status_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_status_check
  CHECK (status IN ('pending', 'claimed', 'sent', 'failed', 'dead', 'expired'));

-- jsonb's text form is canonical (keys sorted, no whitespace choices), so equal content hashes equal.
ALTER TABLE inbox ADD COLUMN content_md5 text GENERATED ALWAYS AS (md5(payload::text)) STORED;
ALTER TABLE inbox DROP CONSTRAINT inbox_bot_update_unique;
ALTER TABLE inbox ADD CONSTRAINT inbox_bot_update_content_unique UNIQUE (bot_id, update_id, content_md5);

-- A chat is claimable when nobody holds a live lease on it and none of its waiting rows is backing
-- off; then its open rows are taken in order. Shared by the three tables' claim functions below.
CREATE OR REPLACE FUNCTION ob_claim_inbox(p_chat bigint, p_claimer text, p_lease_sec double precision, p_limit integer)
RETURNS TABLE (id bigint, update_id bigint, chat_id bigint, user_id bigint, kind text, payload jsonb, attempts integer)
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('inbox:' || p_chat, 0));
  RETURN QUERY
  UPDATE inbox i SET status = 'claimed', claimed_by = p_claimer, attempts = i.attempts + 1, not_before = NULL,
         lease_until = now() + make_interval(secs => p_lease_sec), updated_at = now()
  WHERE i.id IN (
    SELECT o.id FROM inbox o
    WHERE o.chat_id = p_chat AND (o.status = 'new' OR (o.status = 'claimed' AND o.lease_until < now()))
      AND NOT EXISTS (SELECT 1 FROM inbox b WHERE b.chat_id = p_chat AND b.status = 'claimed' AND b.lease_until >= now())
      AND NOT EXISTS (SELECT 1 FROM inbox w WHERE w.chat_id = p_chat AND w.status = 'new' AND w.not_before > now())
    ORDER BY o.id LIMIT p_limit)
  RETURNING i.id, i.update_id, i.chat_id, i.user_id, i.kind, i.payload, i.attempts;
END $$;

DROP FUNCTION ob_claim_outbox(bigint, text, integer, integer);
CREATE FUNCTION ob_claim_outbox(p_chat bigint, p_claimer text, p_lease_sec double precision, p_limit integer)
RETURNS TABLE (id bigint, chat_id bigint, method text, payload jsonb, attempts integer, cause text, created_at timestamptz)
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('outbox:' || p_chat, 0));
  RETURN QUERY
  UPDATE outbox u SET status = 'claimed', claimed_by = p_claimer, attempts = u.attempts + 1, not_before = NULL,
         lease_until = now() + make_interval(secs => p_lease_sec)
  WHERE u.id IN (
    SELECT o.id FROM outbox o
    WHERE o.chat_id = p_chat AND (o.status = 'pending' OR (o.status = 'claimed' AND o.lease_until < now()))
      AND NOT EXISTS (SELECT 1 FROM outbox b WHERE b.chat_id = p_chat AND b.status = 'claimed' AND b.lease_until >= now())
      AND NOT EXISTS (SELECT 1 FROM outbox w WHERE w.chat_id = p_chat AND w.status = 'pending' AND w.not_before > now())
    ORDER BY o.id LIMIT p_limit)
  RETURNING u.id, u.chat_id, u.method, u.payload, u.attempts, u.cause, u.created_at;
END $$;

-- One chat's reports are drawn one at a time, oldest first, by whichever worker: a later one waits
-- while an earlier one is open, so its photo cannot overtake the earlier one's.
CREATE FUNCTION ob_claim_report(p_chat bigint, p_claimer text, p_lease_sec double precision, p_limit integer)
RETURNS TABLE (id bigint, cause text, chat_id bigint, request jsonb, attempts integer)
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('report:' || p_chat, 0));
  RETURN QUERY
  UPDATE report_jobs r SET status = 'claimed', claimed_by = p_claimer, attempts = r.attempts + 1, not_before = NULL,
         lease_until = now() + make_interval(secs => p_lease_sec)
  WHERE r.id IN (
    SELECT o.id FROM report_jobs o
    WHERE o.chat_id = p_chat AND (o.status = 'pending' OR (o.status = 'claimed' AND o.lease_until < now()))
      AND NOT EXISTS (SELECT 1 FROM report_jobs b WHERE b.chat_id = p_chat AND b.status = 'claimed' AND b.lease_until >= now())
      AND NOT EXISTS (SELECT 1 FROM report_jobs w WHERE w.chat_id = p_chat AND w.status = 'pending' AND w.not_before > now())
    ORDER BY o.id LIMIT p_limit)
  RETURNING r.id, r.cause, r.chat_id, r.request, r.attempts;
END $$;

DROP FUNCTION ob_claim_inbox(bigint, text, integer, integer);
