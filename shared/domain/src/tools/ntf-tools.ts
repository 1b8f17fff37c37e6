import { z } from "zod";
import { fxDeltaWatch } from "./ntf-fx-watch.ts";
import type { NotifySettings } from "../notify/settings.ts";
import { defineSetter, restoreInput, storedTz, timeParam, tzParam } from "./ntf-setter.ts";
import type { TypedTool } from "./registry.ts";
import type { NtfButton, SettingChangeData } from "./results/ntf.ts";
import { ntfEscalationTools } from "./ntf-escalation-tools.ts";
import { boolParam, enumParam, intParam, numParam } from "./params.ts";

// The reference's ntf_* setters (§3 rows 40–60) for the FX, digest, weekly and ops features; the
// quiet digest and escalation setters are in ntf-escalation-tools.ts. Parameters a subscribe call
// leaves out keep their stored values (the table's defaults the first time), so "switch off" then
// "switch on" restores the owner's own thresholds instead of resetting them.

const off = (text: string, tool: string): NtfButton => ({ text: `🔕 ${text}`, tool, input: {} });
const on = (text: string, tool: string): NtfButton => ({ text: `🔔 ${text}`, tool, input: {} });

const hours = intParam(1, 168);
const count = intParam(0, 999);

/** A currency code, upper-cased ("usd" → "USD"); which ones exist is checked against the rates in the tool. */
function currencyParam() {
  return z.preprocess(
    (v) => (typeof v === "string" ? v.trim().toUpperCase() : v),
    z.string().superRefine((v, c) => {
      if (!/^[A-Z]{3}$/.test(v))
        c.addIssue({ code: "custom", message: `ожидается код валюты из трёх букв, например USD, получено «${v.slice(0, 20)}»` });
    }),
  );
}

const fxDeltaSubscribe = defineSetter({
  name: "ntf_fx_delta_subscribe",
  title: "Уведомления о курсе: включить",
  description:
    "FX delta alerts on; base (currency watched against the shop's, one of the quoted ones; kept when omitted, else the biggest mover), min_percent (>= 0.01) and cooldown_hours (1..168) kept when omitted; seeds the watched rate.",
  feature: "fx_delta",
  headline: "Уведомления об изменении курса включены",
  input: z.object({ base: currencyParam().optional(), min_percent: numParam(0.01, 100).optional(), cooldown_hours: hours.optional() }),
  async apply(input, before, ctx) {
    const w = await fxDeltaWatch(input.base, before.fx_delta_base, ctx);
    return {
      patch: {
        fx_delta_enabled: true,
        fx_delta_base: w.base,
        fx_delta_last_notified_rate: w.rate,
        ...(input.min_percent !== undefined ? { fx_delta_min_percent: input.min_percent } : {}),
        ...(input.cooldown_hours !== undefined ? { fx_delta_cooldown_hours: input.cooldown_hours } : {}),
      },
      notes: [w.note],
    };
  },
  reverse: (before, input) =>
    before.fx_delta_enabled && before.fx_delta_base !== null && input.base !== undefined && input.base !== before.fx_delta_base
      ? { text: `↩️ Вернуть ${before.fx_delta_base}`, tool: "ntf_fx_delta_subscribe", input: { base: before.fx_delta_base } }
      : off("Выключить", "ntf_fx_delta_unsubscribe"),
});

const fxDeltaUnsubscribe = defineSetter({
  name: "ntf_fx_delta_unsubscribe",
  title: "Уведомления о курсе: выключить",
  description: "FX delta alerts off (thresholds kept).",
  feature: "fx_delta",
  headline: "Уведомления об изменении курса выключены",
  input: z.object({}),
  apply: () => ({ patch: { fx_delta_enabled: false } }),
  reverse: () => on("Включить", "ntf_fx_delta_subscribe"),
});

const FX_APPLY_COLUMNS = {
  notify_applied: "fx_apply_notify_applied",
  notify_noop: "fx_apply_notify_noop",
  notify_failed: "fx_apply_notify_failed",
  cooldown_hours: "fx_apply_events_cooldown_hours",
} as const satisfies Record<string, keyof NotifySettings>;

const fxApplySubscribe = defineSetter({
  name: "ntf_fx_apply_events_subscribe",
  title: "Уведомления о пересчётах цен: включить",
  description: "FX reprice event alerts on; notify_applied/noop/failed and cooldown_hours (1..168) kept when omitted.",
  feature: "fx_apply",
  headline: "Уведомления о пересчётах цен по курсу включены",
  input: z.object({
    notify_applied: boolParam().optional(),
    notify_noop: boolParam().optional(),
    notify_failed: boolParam().optional(),
    cooldown_hours: hours.optional(),
  }),
  apply: (input) => {
    const patch: Record<string, unknown> = { fx_apply_events_enabled: true };
    for (const [param, column] of Object.entries(FX_APPLY_COLUMNS)) {
      const v = input[param as keyof typeof input];
      if (v !== undefined) patch[column] = v;
    }
    return { patch };
  },
  reverse: () => off("Выключить", "ntf_fx_apply_events_unsubscribe"),
});

const fxApplyUnsubscribe = defineSetter({
  name: "ntf_fx_apply_events_unsubscribe",
  title: "Уведомления о пересчётах цен: выключить",
  description: "FX reprice event alerts off (choices kept).",
  feature: "fx_apply",
  headline: "Уведомления о пересчётах цен выключены",
  input: z.object({}),
  apply: () => ({ patch: { fx_apply_events_enabled: false } }),
  reverse: () => on("Включить", "ntf_fx_apply_events_subscribe"),
});

const digestSubscribe = defineSetter({
  name: "ntf_daily_digest_subscribe",
  title: "Ежедневный дайджест: включить",
  description: "Daily digest on; time_local HH:MM and tz (IANA; the shop's zone is stored as 'follow the shop') kept when omitted.",
  feature: "digest",
  headline: "Ежедневный дайджест включён",
  input: z.object({ time_local: timeParam().optional(), tz: tzParam().optional() }),
  apply: (input, before, ctx) => ({
    patch: {
      digest_enabled: true,
      ...(input.time_local !== undefined ? { digest_time_local: input.time_local } : {}),
      digest_tz: storedTz(input.tz, before.digest_tz, ctx),
    },
  }),
  reverse: () => off("Выключить", "ntf_daily_digest_unsubscribe"),
});

const digestUnsubscribe = defineSetter({
  name: "ntf_daily_digest_unsubscribe",
  title: "Ежедневный дайджест: выключить",
  description: "Daily digest off (time and zone kept).",
  feature: "digest",
  headline: "Ежедневный дайджест выключен",
  input: z.object({}),
  apply: () => ({ patch: { digest_enabled: false } }),
  reverse: () => on("Включить", "ntf_daily_digest_subscribe"),
});

const FORMAT_RU: Record<string, string> = { text: "текст", png: "картинка", pdf: "PDF" };

const digestFormatSet = defineSetter({
  name: "ntf_digest_format_set",
  title: "Формат дайджеста",
  description: "Digest format text|png|pdf (default text); anything else is a validation error.",
  feature: "digest",
  headline: "Формат дайджеста изменён",
  input: z.object({ format: enumParam(["text", "png", "pdf"]).default("text") }),
  apply: (input) => ({ patch: { digest_format: input.format } }),
  reverse: (before, input) =>
    before.digest_format === input.format
      ? null
      : {
          text: `↩️ Вернуть: ${FORMAT_RU[before.digest_format] ?? before.digest_format}`,
          tool: "ntf_digest_format_set",
          input: { format: before.digest_format },
        },
});

const weeklySubscribe = defineSetter({
  name: "ntf_weekly_subscribe",
  title: "Недельный отчёт: включить",
  description: "Weekly report on; day_of_week (0 = Monday .. 6), time_local HH:MM and tz (IANA) kept when omitted.",
  feature: "weekly",
  headline: "Недельный отчёт по расписанию включён",
  input: z.object({ day_of_week: intParam(0, 6).optional(), time_local: timeParam().optional(), tz: tzParam().optional() }),
  apply: (input, before, ctx) => ({
    patch: {
      weekly_enabled: true,
      ...(input.day_of_week !== undefined ? { weekly_day_of_week: input.day_of_week } : {}),
      ...(input.time_local !== undefined ? { weekly_time_local: input.time_local } : {}),
      weekly_tz: storedTz(input.tz, before.weekly_tz, ctx),
    },
  }),
  reverse: () => off("Выключить", "ntf_weekly_unsubscribe"),
});

const weeklyUnsubscribe = defineSetter({
  name: "ntf_weekly_unsubscribe",
  title: "Недельный отчёт: выключить",
  description: "Weekly report off (schedule kept).",
  feature: "weekly",
  headline: "Недельный отчёт по расписанию выключен",
  input: z.object({}),
  apply: () => ({ patch: { weekly_enabled: false } }),
  reverse: () => on("Включить", "ntf_weekly_subscribe"),
});

const OPS_COLUMNS = {
  cooldown_hours: "ops_alerts_cooldown_hours",
  unanswered_threshold_hours: "ops_unanswered_threshold_hours",
  unanswered_min_count: "ops_unanswered_min_count",
  stuck_min_count: "ops_stuck_orders_min_count",
  payment_min_count: "ops_payment_issues_min_count",
  errors_window_hours: "ops_errors_window_hours",
  errors_min_count: "ops_errors_min_count",
  low_stock_lte: "ops_low_stock_lte",
  low_stock_min_count: "ops_low_stock_min_count",
  out_of_stock_min_count: "ops_out_of_stock_min_count",
} as const satisfies Record<string, keyof NotifySettings>;

const opsSubscribe = defineSetter({
  name: "ntf_ops_alerts_subscribe",
  title: "Алерты о проблемах: включить",
  description:
    "Ops alerts on with thresholds (cooldown_hours 1..168, unanswered_threshold_hours 0..168, errors_window_hours 1..168, counts and low_stock_lte 0..999), each kept when omitted.",
  feature: "ops",
  headline: "Алерты о проблемах включены",
  input: z.object({
    cooldown_hours: hours.optional(),
    unanswered_threshold_hours: intParam(0, 168).optional(),
    unanswered_min_count: count.optional(),
    stuck_min_count: count.optional(),
    payment_min_count: count.optional(),
    errors_window_hours: hours.optional(),
    errors_min_count: count.optional(),
    low_stock_lte: count.optional(),
    low_stock_min_count: count.optional(),
    out_of_stock_min_count: count.optional(),
  }),
  apply: (input) => {
    const patch: Record<string, unknown> = { ops_alerts_enabled: true };
    for (const [param, column] of Object.entries(OPS_COLUMNS)) {
      const v = input[param as keyof typeof input];
      if (v !== undefined) patch[column] = v;
    }
    return { patch };
  },
  reverse: (before, input) =>
    before.ops_alerts_enabled && Object.values(input).some((v) => v !== undefined)
      ? {
          text: "↩️ Вернуть пороги",
          tool: "ntf_ops_alerts_subscribe",
          input: restoreInput(before, input, (p) => OPS_COLUMNS[p as keyof typeof OPS_COLUMNS]),
        }
      : off("Выключить", "ntf_ops_alerts_unsubscribe"),
});

const opsUnsubscribe = defineSetter({
  name: "ntf_ops_alerts_unsubscribe",
  title: "Алерты о проблемах: выключить",
  description: "Ops alerts off (thresholds kept).",
  feature: "ops",
  headline: "Алерты о проблемах выключены",
  input: z.object({}),
  apply: () => ({ patch: { ops_alerts_enabled: false } }),
  reverse: () => on("Включить", "ntf_ops_alerts_subscribe"),
});

/** The 19 setters of the reference, in its catalogue order. */
export const ntfSetterTools: readonly TypedTool<SettingChangeData>[] = [
  fxDeltaSubscribe,
  fxDeltaUnsubscribe,
  fxApplySubscribe,
  fxApplyUnsubscribe,
  digestSubscribe,
  digestUnsubscribe,
  digestFormatSet,
  weeklySubscribe,
  weeklyUnsubscribe,
  opsSubscribe,
  opsUnsubscribe,
  ...ntfEscalationTools,
];
