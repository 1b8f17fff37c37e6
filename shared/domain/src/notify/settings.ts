import type { Insertable, Selectable, Updateable } from "kysely";
import type { Db, OwnerNotifySettings } from "@ownerbot/core/db";

// The owner's notification settings (owner_notify_settings, migration 0008): read with the table's
// defaults when the owner never changed anything, written as one upsert per change. The scheduler
// reads the same row; the setter tools in tools/ntf-*.ts write it.

export type NotifySettings = Selectable<OwnerNotifySettings>;

/** What a setter may change: any column except the key and the change stamp. */
export type NotifyPatch = Omit<Updateable<OwnerNotifySettings>, "owner_id" | "updated_at" | "updated_by">;

/**
 * The column defaults of 0008, for an owner without a row (reading must not create one).
 * settings.test.ts compares this with what Postgres fills in, so the two cannot drift apart.
 */
export const NOTIFY_DEFAULTS: Omit<NotifySettings, "owner_id" | "updated_at" | "updated_by"> = {
  fx_delta_enabled: false,
  fx_delta_min_percent: 0.25,
  fx_delta_cooldown_hours: 6,
  fx_delta_last_notified_rate: null,
  fx_delta_base: null,
  fx_delta_last_notified_at: null,
  fx_delta_last_seen_sis_event_at: null,
  fx_apply_events_enabled: false,
  fx_apply_notify_applied: false,
  fx_apply_notify_noop: false,
  fx_apply_notify_failed: true,
  fx_apply_events_cooldown_hours: 6,
  fx_apply_last_seen_key: null,
  fx_apply_last_sent_at: null,
  fx_apply_last_error_notice_at: null,
  ops_alerts_enabled: false,
  ops_alerts_cooldown_hours: 6,
  ops_alerts_last_seen_key: null,
  ops_alerts_last_sent_at: null,
  ops_alerts_last_error_notice_at: null,
  ops_unanswered_enabled: true,
  ops_unanswered_threshold_hours: 2,
  ops_unanswered_min_count: 1,
  ops_stuck_orders_enabled: true,
  ops_stuck_orders_min_count: 1,
  ops_stuck_orders_preset: "stuck",
  ops_payment_issues_enabled: true,
  ops_payment_issues_min_count: 1,
  ops_payment_issues_preset: "payment_issues",
  ops_errors_enabled: true,
  ops_errors_window_hours: 24,
  ops_errors_min_count: 1,
  ops_out_of_stock_enabled: true,
  ops_out_of_stock_min_count: 1,
  ops_low_stock_enabled: true,
  ops_low_stock_lte: 5,
  ops_low_stock_min_count: 3,
  escalation_enabled: false,
  escalation_stage1_after_minutes: 120,
  escalation_repeat_every_minutes: 360,
  escalation_max_repeats: 3,
  escalation_snoozed_until: null,
  escalation_on_fx_failed: true,
  escalation_on_out_of_stock: true,
  escalation_on_stuck_orders_severe: true,
  escalation_on_errors_spike: true,
  escalation_on_unanswered_chats_severe: false,
  escalation_stuck_orders_min: 3,
  escalation_errors_min: 5,
  escalation_unanswered_chats_min: 5,
  escalation_unanswered_threshold_hours: 6,
  escalation_last_event_key: null,
  escalation_first_seen_at: null,
  escalation_last_sent_at: null,
  escalation_repeat_count: 0,
  escalation_last_ack_key: null,
  escalation_last_ack_at: null,
  digest_enabled: false,
  digest_time_local: "09:00",
  digest_tz: null,
  digest_format: "text",
  digest_include_fx: true,
  digest_include_ops: true,
  digest_include_kpi: true,
  digest_quiet_enabled: false,
  digest_quiet_attempt_interval_minutes: 60,
  digest_quiet_max_silence_days: 7,
  digest_quiet_min_revenue_drop_pct: 8,
  digest_quiet_min_orders_drop_pct: 10,
  digest_quiet_send_on_ops: true,
  digest_quiet_send_on_fx_failed: true,
  digest_quiet_send_on_errors: true,
  digest_last_attempt_at: null,
  digest_last_skipped_at: null,
  digest_last_sent_at: null,
  weekly_enabled: false,
  weekly_day_of_week: 0,
  weekly_time_local: "09:30",
  weekly_tz: null,
  weekly_last_sent_at: null,
  onboard_completed_at: null,
  onboard_last_run_at: null,
  onboard_last_status: null,
  onboard_last_summary: null,
  last_error_notice_at: null,
};

/** The owner's settings; the defaults (with `updated_by` null) when no row exists. Never writes. */
export async function loadNotifySettings(db: Db, ownerId: number): Promise<NotifySettings> {
  const row = await db.selectFrom("owner_notify_settings").selectAll().where("owner_id", "=", ownerId).executeTakeFirst();
  return row ?? { ...NOTIFY_DEFAULTS, owner_id: ownerId, updated_at: new Date(0), updated_by: null };
}

/**
 * Applies a change in one statement: the row is created with the defaults plus the patch, or the
 * patch is written over the existing row. Two concurrent changes cannot lose one another's columns.
 * Returns the row as stored.
 */
export async function updateNotifySettings(db: Db, ownerId: number, patch: NotifyPatch, actorId: number): Promise<NotifySettings> {
  const stamp = { updated_at: new Date(), updated_by: actorId };
  return db
    .insertInto("owner_notify_settings")
    .values({ ...(patch as Insertable<OwnerNotifySettings>), ...stamp, owner_id: ownerId })
    .onConflict((oc) => oc.column("owner_id").doUpdateSet({ ...patch, ...stamp }))
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * Acknowledges the escalation incident the scheduler is currently tracking, in one statement so an
 * incident that changes meanwhile is not acked by mistake. Returns the row, or undefined when there
 * is no current incident (nothing is written then).
 */
export async function ackEscalation(db: Db, ownerId: number, now: Date, actorId: number): Promise<NotifySettings | undefined> {
  return db
    .updateTable("owner_notify_settings")
    .set((eb) => ({
      escalation_last_ack_key: eb.ref("escalation_last_event_key"),
      escalation_last_ack_at: now,
      updated_at: new Date(),
      updated_by: actorId,
    }))
    .where("owner_id", "=", ownerId)
    .where("escalation_last_event_key", "is not", null)
    .returningAll()
    .executeTakeFirst();
}
