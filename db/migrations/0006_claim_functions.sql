-- Claims as functions: one round trip, plans cached by PL/pgSQL, and — because each statement of a
-- VOLATILE function takes a fresh snapshot under READ COMMITTED — the claim sees every row
-- committed before the chat's advisory lock was granted.

CREATE FUNCTION ob_claim_inbox(p_chat bigint, p_claimer text, p_lease_sec integer, p_limit integer)
RETURNS TABLE (id bigint, update_id bigint, chat_id bigint, user_id bigint, kind text, payload jsonb, attempts integer)
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('inbox:' || p_chat, 0));
  RETURN QUERY
  UPDATE inbox i SET status = 'claimed', claimed_by = p_claimer, attempts = i.attempts + 1,
         lease_until = now() + make_interval(secs => p_lease_sec), updated_at = now()
  WHERE i.id IN (
    SELECT o.id FROM inbox o
    WHERE o.chat_id = p_chat AND (o.status = 'new' OR (o.status = 'claimed' AND o.lease_until < now()))
      AND NOT EXISTS (SELECT 1 FROM inbox b WHERE b.chat_id = p_chat AND b.status = 'claimed' AND b.lease_until >= now())
    ORDER BY o.id LIMIT p_limit)
  RETURNING i.id, i.update_id, i.chat_id, i.user_id, i.kind, i.payload, i.attempts;
END $$;

CREATE FUNCTION ob_claim_outbox(p_chat bigint, p_claimer text, p_lease_sec integer, p_limit integer)
RETURNS TABLE (id bigint, chat_id bigint, method text, payload jsonb, attempts integer, cause text)
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('outbox:' || p_chat, 0));
  RETURN QUERY
  UPDATE outbox u SET status = 'claimed', claimed_by = p_claimer, attempts = u.attempts + 1,
         lease_until = now() + make_interval(secs => p_lease_sec)
  WHERE u.id IN (
    SELECT o.id FROM outbox o
    WHERE o.chat_id = p_chat AND (o.status = 'pending' OR (o.status = 'claimed' AND o.lease_until < now()))
      AND NOT EXISTS (SELECT 1 FROM outbox b WHERE b.chat_id = p_chat AND b.status = 'claimed' AND b.lease_until >= now())
      AND NOT EXISTS (SELECT 1 FROM outbox w WHERE w.chat_id = p_chat AND w.status = 'pending' AND w.not_before > now())
    ORDER BY o.id LIMIT p_limit)
  RETURNING u.id, u.chat_id, u.method, u.payload, u.attempts, u.cause;
END $$;
