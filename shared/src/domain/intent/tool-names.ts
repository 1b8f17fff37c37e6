// The 69 tools of the reference catalogue (§3). Everything the router, the panels and the
// templates emit must name one of them; the tests hold the line.

export const KNOWN_TOOLS: ReadonlySet<string> = new Set([
  "kpi_snapshot", "orders_search", "revenue_trend", "funnel_snapshot", "order_detail", "chats_unanswered", "top_products",
  "inventory_status", "refunds_anomalies", "truststack_signals", "create_coupon", "adjust_price", "coupons_status",
  "coupons_top_used", "notify_team", "pause_campaign", "flag_order", "sis_prices_bump", "sis_fx_reprice", "sis_fx_rollback",
  "sis_fx_status", "sis_fx_reprice_auto", "sis_fx_settings_update", "sis_products_publish", "sis_looks_publish",
  "sis_discounts_clear", "sis_discounts_set", "sis_actions_capabilities", "sys_upstream_mode", "sys_health", "sys_audit_recent",
  "sys_last_errors", "kpi_compare", "team_queue_summary", "bulk_flag_order", "retrospective_last", "demand_forecast",
  "reorder_plan", "ntf_status", "ntf_fx_delta_subscribe", "ntf_fx_delta_unsubscribe", "ntf_fx_apply_events_subscribe",
  "ntf_fx_apply_events_unsubscribe", "ntf_daily_digest_subscribe", "ntf_daily_digest_unsubscribe", "ntf_send_digest_now",
  "ntf_digest_format_set", "ntf_weekly_subscribe", "ntf_weekly_unsubscribe", "ntf_send_weekly_now", "ntf_ops_alerts_subscribe",
  "ntf_ops_alerts_unsubscribe", "ntf_quiet_digest_on", "ntf_quiet_digest_off", "ntf_quiet_digest_rules_set",
  "ntf_escalation_enable", "ntf_escalation_disable", "ntf_escalation_ack", "ntf_escalation_snooze", "ntf_escalation_rules_set",
  "biz_dashboard_daily", "biz_dashboard_weekly", "biz_dashboard_ops", "onboard_status", "onboard_apply_preset",
  "onboard_test_run", "retro_summary", "retro_gaps", "retro_export",
]);
