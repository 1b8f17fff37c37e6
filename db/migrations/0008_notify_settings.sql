-- The owner's notification settings and the scheduler's per-feature state (reference §8, §11.1
-- owner_notify_settings), one row per owner, created on the first change. No row means every
-- default below. Column names follow the reference so its rules read one-to-one.
-- Differences from the reference:
--   * digest_tz / weekly_tz are NULL by default, meaning the shop's time zone (OWNER_TZ), not a
--     hard-coded Europe/Berlin;
--   * times are `HH:MM` text checked here, days of week 0..6 (Monday = 0), clamps as CHECKs so a
--     bad value cannot be stored by any writer;
--   * updated_at / updated_by record the last change (the audit log has the history).
CREATE TABLE owner_notify_settings (
  owner_id bigint PRIMARY KEY,
  -- FX delta
  fx_delta_enabled boolean NOT NULL DEFAULT false,
  fx_delta_min_percent numeric(6,3) NOT NULL DEFAULT 0.25 CHECK (fx_delta_min_percent >= 0.01),
  fx_delta_cooldown_hours int NOT NULL DEFAULT 6 CHECK (fx_delta_cooldown_hours BETWEEN 1 AND 168),
  fx_delta_last_notified_rate numeric(12,6),
  fx_delta_last_notified_at timestamptz,
  fx_delta_last_seen_sis_event_at timestamptz,
  -- FX apply events
  fx_apply_events_enabled boolean NOT NULL DEFAULT false,
  fx_apply_notify_applied boolean NOT NULL DEFAULT false,
  fx_apply_notify_noop boolean NOT NULL DEFAULT false,
  fx_apply_notify_failed boolean NOT NULL DEFAULT true,
  fx_apply_events_cooldown_hours int NOT NULL DEFAULT 6 CHECK (fx_apply_events_cooldown_hours BETWEEN 1 AND 168),
  fx_apply_last_seen_key text,
  fx_apply_last_sent_at timestamptz,
  fx_apply_last_error_notice_at timestamptz,
  -- Ops alerts
  ops_alerts_enabled boolean NOT NULL DEFAULT false,
  ops_alerts_cooldown_hours int NOT NULL DEFAULT 6 CHECK (ops_alerts_cooldown_hours BETWEEN 1 AND 168),
  ops_alerts_last_seen_key text,
  ops_alerts_last_sent_at timestamptz,
  ops_alerts_last_error_notice_at timestamptz,
  ops_unanswered_enabled boolean NOT NULL DEFAULT true,
  ops_unanswered_threshold_hours int NOT NULL DEFAULT 2 CHECK (ops_unanswered_threshold_hours BETWEEN 0 AND 168),
  ops_unanswered_min_count int NOT NULL DEFAULT 1 CHECK (ops_unanswered_min_count BETWEEN 0 AND 999),
  ops_stuck_orders_enabled boolean NOT NULL DEFAULT true,
  ops_stuck_orders_min_count int NOT NULL DEFAULT 1 CHECK (ops_stuck_orders_min_count BETWEEN 0 AND 999),
  ops_stuck_orders_preset text NOT NULL DEFAULT 'stuck',
  ops_payment_issues_enabled boolean NOT NULL DEFAULT true,
  ops_payment_issues_min_count int NOT NULL DEFAULT 1 CHECK (ops_payment_issues_min_count BETWEEN 0 AND 999),
  ops_payment_issues_preset text NOT NULL DEFAULT 'payment_issues',
  ops_errors_enabled boolean NOT NULL DEFAULT true,
  ops_errors_window_hours int NOT NULL DEFAULT 24 CHECK (ops_errors_window_hours BETWEEN 1 AND 168),
  ops_errors_min_count int NOT NULL DEFAULT 1 CHECK (ops_errors_min_count BETWEEN 0 AND 999),
  ops_out_of_stock_enabled boolean NOT NULL DEFAULT true,
  ops_out_of_stock_min_count int NOT NULL DEFAULT 1 CHECK (ops_out_of_stock_min_count BETWEEN 0 AND 999),
  ops_low_stock_enabled boolean NOT NULL DEFAULT true,
  ops_low_stock_lte int NOT NULL DEFAULT 5 CHECK (ops_low_stock_lte BETWEEN 0 AND 999),
  ops_low_stock_min_count int NOT NULL DEFAULT 3 CHECK (ops_low_stock_min_count BETWEEN 0 AND 999),
  -- Escalation
  escalation_enabled boolean NOT NULL DEFAULT false,
  escalation_stage1_after_minutes int NOT NULL DEFAULT 120 CHECK (escalation_stage1_after_minutes BETWEEN 30 AND 1440),
  escalation_repeat_every_minutes int NOT NULL DEFAULT 360 CHECK (escalation_repeat_every_minutes BETWEEN 60 AND 2880),
  escalation_max_repeats int NOT NULL DEFAULT 3 CHECK (escalation_max_repeats BETWEEN 0 AND 10),
  escalation_snoozed_until timestamptz,
  escalation_on_fx_failed boolean NOT NULL DEFAULT true,
  escalation_on_out_of_stock boolean NOT NULL DEFAULT true,
  escalation_on_stuck_orders_severe boolean NOT NULL DEFAULT true,
  escalation_on_errors_spike boolean NOT NULL DEFAULT true,
  escalation_on_unanswered_chats_severe boolean NOT NULL DEFAULT false,
  escalation_stuck_orders_min int NOT NULL DEFAULT 3 CHECK (escalation_stuck_orders_min BETWEEN 0 AND 999),
  escalation_errors_min int NOT NULL DEFAULT 5 CHECK (escalation_errors_min BETWEEN 0 AND 999),
  escalation_unanswered_chats_min int NOT NULL DEFAULT 5 CHECK (escalation_unanswered_chats_min BETWEEN 0 AND 999),
  escalation_unanswered_threshold_hours int NOT NULL DEFAULT 6 CHECK (escalation_unanswered_threshold_hours BETWEEN 1 AND 168),
  escalation_last_event_key text,
  escalation_first_seen_at timestamptz,
  escalation_last_sent_at timestamptz,
  escalation_repeat_count int NOT NULL DEFAULT 0,
  escalation_last_ack_key text,
  escalation_last_ack_at timestamptz,
  -- Daily digest
  digest_enabled boolean NOT NULL DEFAULT false,
  digest_time_local text NOT NULL DEFAULT '09:00' CHECK (digest_time_local ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
  digest_tz text,
  digest_format text NOT NULL DEFAULT 'text' CHECK (digest_format IN ('text', 'png', 'pdf')),
  digest_include_fx boolean NOT NULL DEFAULT true,
  digest_include_ops boolean NOT NULL DEFAULT true,
  digest_include_kpi boolean NOT NULL DEFAULT true,
  digest_quiet_enabled boolean NOT NULL DEFAULT false,
  digest_quiet_attempt_interval_minutes int NOT NULL DEFAULT 60 CHECK (digest_quiet_attempt_interval_minutes BETWEEN 15 AND 360),
  digest_quiet_max_silence_days int NOT NULL DEFAULT 7 CHECK (digest_quiet_max_silence_days BETWEEN 1 AND 30),
  digest_quiet_min_revenue_drop_pct numeric(5,2) NOT NULL DEFAULT 8.0 CHECK (digest_quiet_min_revenue_drop_pct BETWEEN 0.1 AND 50),
  digest_quiet_min_orders_drop_pct numeric(5,2) NOT NULL DEFAULT 10.0 CHECK (digest_quiet_min_orders_drop_pct BETWEEN 0.1 AND 50),
  digest_quiet_send_on_ops boolean NOT NULL DEFAULT true,
  digest_quiet_send_on_fx_failed boolean NOT NULL DEFAULT true,
  digest_quiet_send_on_errors boolean NOT NULL DEFAULT true,
  digest_last_attempt_at timestamptz,
  digest_last_skipped_at timestamptz,
  digest_last_sent_at timestamptz,
  -- Weekly report
  weekly_enabled boolean NOT NULL DEFAULT false,
  weekly_day_of_week int NOT NULL DEFAULT 0 CHECK (weekly_day_of_week BETWEEN 0 AND 6),
  weekly_time_local text NOT NULL DEFAULT '09:30' CHECK (weekly_time_local ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
  weekly_tz text,
  weekly_last_sent_at timestamptz,
  -- Onboarding and misc
  onboard_completed_at timestamptz,
  onboard_last_run_at timestamptz,
  onboard_last_status text,
  onboard_last_summary text CHECK (length(onboard_last_summary) <= 200),
  last_error_notice_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by bigint
);

-- The scheduler scans owners with something switched on.
CREATE INDEX owner_notify_settings_active ON owner_notify_settings (owner_id)
  WHERE fx_delta_enabled OR fx_apply_events_enabled OR ops_alerts_enabled OR escalation_enabled
     OR digest_enabled OR weekly_enabled;
