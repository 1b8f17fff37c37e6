-- Actions: preview → confirm → commit (reference §5), exactly once.
--
-- An action is one row from its preview on. What the commit will run (the tool and its input, or a
-- plan's steps) is `payload`; `payload_hash` is its sha256, taken by Postgres from jsonb's canonical
-- text, and a copy travels in the confirm button's server-side token. A press confirms only when the
-- button's copy, the stored hash and the hash of the payload as it is now all agree, so a payload
-- altered after the preview is blocked, not committed. The idempotency key is fixed at the preview
-- and goes with every commit attempt, so a retry after a crash finds the first result in the
-- provider's ledger instead of doing the work again.
--
-- Lifecycle: previewed → confirmed → in_progress → committed | failed; previewed → cancelled |
-- expired (a press after expires_at) | blocked (tampered payload; also from in_progress).
-- confirmed/in_progress are the leased-work statuses (worker-action claims them like the inbox).

CREATE FUNCTION ob_payload_hash(p jsonb) RETURNS text
LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT encode(sha256(convert_to(p::text, 'UTF8')), 'hex') $$;

CREATE TABLE actions (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  cause           text NOT NULL UNIQUE,             -- upd:<inbox id> of the preview: a re-handled update finds its row
  chat_id         bigint NOT NULL,
  owner_id        bigint NOT NULL,                  -- who asked; only they may confirm
  tool            text NOT NULL,                    -- the action tool, or 'plan'
  payload         jsonb NOT NULL,
  payload_hash    text NOT NULL,
  idempotency_key text NOT NULL UNIQUE DEFAULT 'act-' || gen_random_uuid()::text,
  -- What the owner was shown (title, counts, the force offer), for the outcome text.
  preview         jsonb NOT NULL DEFAULT '{}'::jsonb,
  force_offer     text NOT NULL DEFAULT 'none' CHECK (force_offer IN ('none', 'partial', 'required')),
  status          text NOT NULL DEFAULT 'previewed'
                  CHECK (status IN ('previewed', 'confirmed', 'in_progress', 'committed', 'failed', 'blocked', 'cancelled', 'expired')),
  force           boolean NOT NULL DEFAULT false,   -- confirmed with ⚠️: the commit runs with force
  exec_mode       text CHECK (exec_mode IN ('all', 'main')),
  correlation_id  text NOT NULL,
  message_id      bigint,                           -- the preview message, edited with the outcome
  decided_by      bigint,                           -- inbox id of the press that confirmed or cancelled
  expires_at      timestamptz NOT NULL,
  attempts        integer NOT NULL DEFAULT 0,
  lease_until     timestamptz,
  claimed_by      text,
  last_error      text,
  not_before      timestamptz,
  result          jsonb,
  -- notify_team deliveries: 'pending' until every message to the team has a final outbox status.
  delivery        text CHECK (delivery IN ('pending', 'reported')),
  created_at      timestamptz NOT NULL DEFAULT now(),
  confirmed_at    timestamptz,
  finished_at     timestamptz
);
CREATE INDEX actions_open_by_chat ON actions (chat_id, id) WHERE status IN ('confirmed', 'in_progress');
CREATE INDEX actions_open_by_age ON actions (confirmed_at) WHERE status IN ('confirmed', 'in_progress');
CREATE INDEX actions_delivery_pending ON actions (id) WHERE delivery = 'pending';

-- Takes a chat's confirmed actions in order, as ob_claim_inbox does for updates: nobody else holds
-- a live lease on the chat and none of its waiting rows backs off. hash_ok re-checks the payload.
CREATE FUNCTION ob_claim_action(p_chat bigint, p_claimer text, p_lease_sec double precision, p_limit integer)
RETURNS TABLE (id bigint, chat_id bigint, owner_id bigint, tool text, payload jsonb, hash_ok boolean, idempotency_key text,
               force boolean, exec_mode text, correlation_id text, message_id bigint, preview jsonb, attempts integer)
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('action:' || p_chat, 0));
  RETURN QUERY
  UPDATE actions a SET status = 'in_progress', claimed_by = p_claimer, attempts = a.attempts + 1, not_before = NULL,
         lease_until = now() + make_interval(secs => p_lease_sec)
  WHERE a.id IN (
    SELECT o.id FROM actions o
    WHERE o.chat_id = p_chat AND (o.status = 'confirmed' OR (o.status = 'in_progress' AND o.lease_until < now()))
      AND NOT EXISTS (SELECT 1 FROM actions b WHERE b.chat_id = p_chat AND b.status = 'in_progress' AND b.lease_until >= now())
      AND NOT EXISTS (SELECT 1 FROM actions w WHERE w.chat_id = p_chat AND w.status = 'confirmed' AND w.not_before > now())
    ORDER BY o.id LIMIT p_limit)
  RETURNING a.id, a.chat_id, a.owner_id, a.tool, a.payload, a.payload_hash = ob_payload_hash(a.payload), a.idempotency_key,
            a.force, a.exec_mode, a.correlation_id, a.message_id, a.preview, a.attempts;
END $$;

-- One press of a preview's button, decided and recorded in one statement: the state change, its
-- audit event and, for a confirm, the press's answer and the "Выполняю…" edit of the preview
-- message. They are written here, before the action's job exists, so the sender (which keeps a
-- chat's rows in id order) delivers them before the outcome the action worker writes later.
-- Outcomes: confirmed, cancelled (this press did it, or is a re-run of the press that did), and the
-- refusals missing, denied (not the asking owner), forged (the button's hash is not this
-- action's), tampered (payload altered after the preview: blocked), expired, running, done, failed,
-- was_cancelled, blocked. Every press leaves one audit event: action_confirmed / _cancelled /
-- _denied / _tamper_blocked / _expired, or action_press_refused with the reason.
CREATE FUNCTION ob_action_press(p_id bigint, p_op text, p_hash text, p_presser bigint, p_update bigint,
                                p_message bigint, p_query text, p_answer text, p_run_text text, p_cid text)
RETURNS TABLE (outcome text, status text, tool text, run_outbox bigint, run_chat bigint, answered boolean)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  a actions%ROWTYPE;
  v_outcome text;
  v_event text;
  v_outbox bigint;
BEGIN
  SELECT * INTO a FROM actions WHERE actions.id = p_id FOR UPDATE;
  IF NOT FOUND THEN
    INSERT INTO audit_events (event_type, correlation_id, actor_id, payload)
    VALUES ('action_press_refused', p_cid, p_presser, jsonb_build_object('action_id', p_id, 'op', p_op, 'reason', 'missing', 'update', p_update));
    RETURN QUERY SELECT 'missing'::text, NULL::text, NULL::text, NULL::bigint, NULL::bigint, false;
    RETURN;
  END IF;

  IF a.owner_id <> p_presser THEN
    v_outcome := 'denied'; v_event := 'action_denied';
  ELSIF a.payload_hash <> p_hash THEN
    v_outcome := 'forged'; v_event := 'action_press_refused';
  ELSIF a.decided_by = p_update THEN
    -- This very press was handled before (its update is being handled again): same answer, no new event.
    v_outcome := CASE WHEN a.status = 'cancelled' THEN 'cancelled' ELSE 'confirmed' END;
  ELSIF a.status = 'previewed' THEN
    IF a.payload_hash <> ob_payload_hash(a.payload) THEN
      v_outcome := 'tampered'; v_event := 'action_tamper_blocked';
      UPDATE actions SET status = 'blocked', finished_at = now(), last_error = 'payload changed after preview' WHERE actions.id = p_id;
    ELSIF a.expires_at <= now() THEN
      v_outcome := 'expired'; v_event := 'action_expired';
      UPDATE actions SET status = 'expired', finished_at = now() WHERE actions.id = p_id;
    ELSIF p_op = 'cancel' THEN
      v_outcome := 'cancelled'; v_event := 'action_cancelled';
      UPDATE actions SET status = 'cancelled', decided_by = p_update, finished_at = now(), message_id = coalesce(p_message, a.message_id)
      WHERE actions.id = p_id;
    ELSE
      v_outcome := 'confirmed'; v_event := 'action_confirmed';
      UPDATE actions SET status = 'confirmed', decided_by = p_update, confirmed_at = now(),
             force = (p_op = 'force'), exec_mode = CASE WHEN p_op = 'main' THEN 'main' ELSE 'all' END,
             message_id = coalesce(p_message, a.message_id)
      WHERE actions.id = p_id;
      INSERT INTO outbox (cause, seq, chat_id, method, payload)
      VALUES ('act:' || p_id || ':run', 0, a.chat_id, 'answerCallbackQuery',
              jsonb_build_object('callback_query_id', p_query, 'text', p_answer)),
             ('act:' || p_id || ':run', 1, a.chat_id,
              CASE WHEN coalesce(p_message, a.message_id) IS NULL THEN 'sendMessage' ELSE 'editMessageText' END,
              jsonb_strip_nulls(jsonb_build_object('chat_id', a.chat_id, 'message_id', coalesce(p_message, a.message_id),
                'text', p_run_text || coalesce(E'\n' || (a.preview->>'title'), ''))))
      ON CONFLICT (cause, seq) DO NOTHING;
    END IF;
  ELSE
    v_event := 'action_press_refused';
    v_outcome := CASE a.status
      WHEN 'confirmed' THEN 'running' WHEN 'in_progress' THEN 'running' WHEN 'committed' THEN 'done'
      WHEN 'failed' THEN 'failed' WHEN 'cancelled' THEN 'was_cancelled' WHEN 'expired' THEN 'expired' ELSE 'blocked' END;
  END IF;

  IF v_event IS NOT NULL THEN
    INSERT INTO audit_events (event_type, correlation_id, actor_id, payload)
    VALUES (v_event, a.correlation_id, p_presser,
            jsonb_build_object('action_id', p_id, 'tool', a.tool, 'op', p_op, 'reason', v_outcome, 'update', p_update, 'press_cid', p_cid));
  END IF;
  IF v_outcome = 'confirmed' THEN
    SELECT max(o.id) INTO v_outbox FROM outbox o WHERE o.cause = 'act:' || p_id || ':run';
  END IF;
  -- answered: this press's answer is in the outbox already (a confirm, or the re-run of one).
  RETURN QUERY SELECT v_outcome, (SELECT x.status FROM actions x WHERE x.id = p_id), a.tool, v_outbox, a.chat_id,
    EXISTS (SELECT 1 FROM outbox o WHERE o.cause = 'act:' || p_id || ':run' AND o.seq = 0 AND o.payload->>'callback_query_id' = p_query);
END $$;

-- The DEMO provider's ledger: one row per idempotency key, written in the same transaction as the
-- effect it records. A key that comes again (a retry after a crash) gets the first result back and
-- counts a replay; the effect is never applied twice.
CREATE TABLE demo_action_ledger (
  idempotency_key text PRIMARY KEY,
  tool            text NOT NULL,
  result          jsonb NOT NULL,
  replays         integer NOT NULL DEFAULT 0,
  created_at      timestamptz NOT NULL DEFAULT now(),
  last_replay_at  timestamptz
);

-- The demo shop's FX pricing: settings (sis_fx_settings_update), each product's cost in the input
-- currency (fixed on the first reprice, from its price at the earliest rate of the history), and the
-- reprice jobs that sis_fx_rollback undoes (the latest one only). Rows carry the demo_meta
-- generation they belong to, so a reseeded shop does not inherit them.
CREATE TABLE demo_fx_settings (
  id                                 integer PRIMARY KEY DEFAULT 1 CHECK (id = 1),
  reprice_schedule_mode              text NOT NULL DEFAULT 'manual' CHECK (reprice_schedule_mode IN ('manual', 'daily', 'interval')),
  reprice_schedule_interval_hours    integer NOT NULL DEFAULT 12 CHECK (reprice_schedule_interval_hours BETWEEN 1 AND 168),
  reprice_schedule_notify_on_success boolean NOT NULL DEFAULT true,
  reprice_schedule_notify_on_failure boolean NOT NULL DEFAULT true,
  min_rate_delta_abs                 numeric(14,6),
  min_rate_delta_percent             numeric(6,3) NOT NULL DEFAULT 0.5 CHECK (min_rate_delta_percent >= 0),
  min_apply_cooldown_hours           integer NOT NULL DEFAULT 0 CHECK (min_apply_cooldown_hours BETWEEN 0 AND 168),
  provider                           text NOT NULL DEFAULT 'demo',
  input_currency                     text NOT NULL DEFAULT 'USD',
  updated_at                         timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE demo_fx_price_base (
  product_id  text COLLATE "C" NOT NULL,
  currency    text NOT NULL,
  base_price  numeric(16,6) NOT NULL,
  generation  timestamptz NOT NULL,
  PRIMARY KEY (product_id, currency)
);

CREATE TABLE demo_fx_jobs (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  idempotency_key  text NOT NULL,
  input_currency   text NOT NULL,
  rate             numeric(14,6) NOT NULL,
  rate_day         date NOT NULL,
  generation       timestamptz NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  rolled_back_at   timestamptz
);
CREATE TABLE demo_fx_job_items (
  job_id      bigint NOT NULL,
  product_id  text COLLATE "C" NOT NULL,
  old_price   numeric(12,2) NOT NULL,
  new_price   numeric(12,2) NOT NULL,
  PRIMARY KEY (job_id, product_id)
);
