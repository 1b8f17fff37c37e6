-- The durable core: every Telegram update lands in inbox before the offset moves,
-- every reply is an outbox row written in the same transaction as its cause.

CREATE TABLE ingress_state (
  bot_id       bigint PRIMARY KEY,
  next_offset  bigint NOT NULL DEFAULT 0,
  updated_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE inbox (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  bot_id       bigint NOT NULL,
  update_id    bigint NOT NULL,
  chat_id      bigint NOT NULL,
  user_id      bigint,
  kind         text NOT NULL,
  payload      jsonb NOT NULL,
  status       text NOT NULL DEFAULT 'new'
               CHECK (status IN ('new', 'claimed', 'done', 'failed', 'dead', 'rejected')),
  attempts     integer NOT NULL DEFAULT 0,
  lease_until  timestamptz,
  claimed_by   text,
  last_error   text,
  received_at  timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  done_at      timestamptz,
  CONSTRAINT inbox_bot_update_unique UNIQUE (bot_id, update_id)
);
-- Claims walk one chat's open rows in order; only open rows are indexed.
CREATE INDEX inbox_open_by_chat ON inbox (chat_id, id) WHERE status IN ('new', 'claimed');
CREATE INDEX inbox_open_by_age ON inbox (received_at) WHERE status IN ('new', 'claimed');

CREATE TABLE outbox (
  id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  cause                text NOT NULL,
  seq                  integer NOT NULL,
  chat_id              bigint NOT NULL,
  method               text NOT NULL,
  payload              jsonb NOT NULL,
  status               text NOT NULL DEFAULT 'pending'
                       CHECK (status IN ('pending', 'claimed', 'sent', 'failed', 'dead')),
  attempts             integer NOT NULL DEFAULT 0,
  lease_until          timestamptz,
  claimed_by           text,
  not_before           timestamptz,
  telegram_message_id  bigint,
  last_error           text,
  created_at           timestamptz NOT NULL DEFAULT now(),
  sent_at              timestamptz,
  CONSTRAINT outbox_cause_seq_unique UNIQUE (cause, seq)
);
CREATE INDEX outbox_open_by_chat ON outbox (chat_id, id) WHERE status IN ('pending', 'claimed');
CREATE INDEX outbox_open_by_age ON outbox (created_at) WHERE status IN ('pending', 'claimed');

CREATE TABLE audit_events (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  occurred_at     timestamptz NOT NULL DEFAULT now(),
  event_type      text NOT NULL,
  correlation_id  text,
  actor_id        bigint,
  payload         jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_events_time ON audit_events (occurred_at);
CREATE INDEX audit_events_type_time ON audit_events (event_type, occurred_at);

-- callback_data carries only this opaque token; what a button means stays on the server.
CREATE TABLE callback_tokens (
  token       text PRIMARY KEY,
  chat_id     bigint NOT NULL,
  payload     jsonb NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL
);
CREATE INDEX callback_tokens_expiry ON callback_tokens (expires_at);
