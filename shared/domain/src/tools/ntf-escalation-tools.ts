import { z } from "zod";
import type { ToolWarning } from "../contract.ts";
import { ackEscalation, loadNotifySettings, type NotifyPatch, type NotifySettings } from "../notify/settings.ts";
import { clamped, defineSetter, ownerOf, restoreInput, SETTINGS_SOURCE, todayWindow } from "./ntf-setter.ts";
import { boolParam, intParam, numParam } from "./params.ts";
import { defineTool, type TypedTool } from "./registry.ts";
import type { SettingChangeData } from "./results/ntf.ts";
import { makeResult } from "./runtime.ts";

// Quiet digest and escalation setters (reference §3 rows 53–60, §8). The quiet digest's interval,
// silence and drop thresholds are stored clamped, as the reference stored them, with a warning
// naming the parameter; escalation limits are validation errors like every other range.

const QUIET_COLUMNS = {
  min_revenue_drop_pct: "digest_quiet_min_revenue_drop_pct",
  min_orders_drop_pct: "digest_quiet_min_orders_drop_pct",
  attempt_interval_minutes: "digest_quiet_attempt_interval_minutes",
  max_silence_days: "digest_quiet_max_silence_days",
  send_on_ops: "digest_quiet_send_on_ops",
  send_on_fx_failed: "digest_quiet_send_on_fx_failed",
  send_on_errors: "digest_quiet_send_on_errors",
} as const satisfies Record<string, keyof NotifySettings>;

const QUIET_CLAMPS: Record<string, [number, number]> = {
  min_revenue_drop_pct: [0.1, 50],
  min_orders_drop_pct: [0.1, 50],
  attempt_interval_minutes: [15, 360],
  max_silence_days: [1, 30],
};

function quietPatch(input: Record<string, unknown>): { patch: NotifyPatch; warnings: ToolWarning[] } {
  const warnings: ToolWarning[] = [];
  const patch: Record<string, unknown> = { digest_quiet_enabled: true };
  for (const [param, column] of Object.entries(QUIET_COLUMNS)) {
    const v = input[param];
    if (v === undefined) continue;
    const range = QUIET_CLAMPS[param];
    patch[column] = range && typeof v === "number" ? clamped(param, v, range[0], range[1], warnings) : v;
  }
  return { patch, warnings };
}

const quietInterval = intParam(1, 100_000).optional();
const quietSilence = intParam(1, 10_000).optional();

const quietOn = defineSetter({
  name: "ntf_quiet_digest_on",
  title: "Тихий дайджест: включить",
  description:
    "Quiet digest on; attempt_interval_minutes (>= 1, stored 15..360) and max_silence_days (>= 1, stored 1..30) kept when omitted.",
  feature: "quiet",
  headline: "Тихий дайджест включён",
  input: z.object({ attempt_interval_minutes: quietInterval, max_silence_days: quietSilence }),
  apply: (input) => quietPatch(input),
  reverse: () => ({ text: "🔕 Выключить", tool: "ntf_quiet_digest_off", input: {} }),
});

const quietOff = defineSetter({
  name: "ntf_quiet_digest_off",
  title: "Тихий дайджест: выключить",
  description: "Quiet digest off: the daily digest goes every day again (rules kept).",
  feature: "quiet",
  headline: "Тихий дайджест выключен",
  input: z.object({}),
  apply: () => ({ patch: { digest_quiet_enabled: false } }),
  reverse: () => ({ text: "🔔 Включить", tool: "ntf_quiet_digest_on", input: {} }),
});

const quietRules = defineSetter({
  name: "ntf_quiet_digest_rules_set",
  title: "Правила тихого дайджеста",
  description:
    "Quiet digest on with rules: min_revenue_drop_pct / min_orders_drop_pct (stored 0.1..50), interval, silence, send_on_ops / send_on_fx_failed / send_on_errors.",
  feature: "quiet",
  headline: "Правила тихого дайджеста сохранены",
  input: z.object({
    min_revenue_drop_pct: numParam(0, 100).optional(),
    min_orders_drop_pct: numParam(0, 100).optional(),
    attempt_interval_minutes: quietInterval,
    max_silence_days: quietSilence,
    send_on_ops: boolParam().optional(),
    send_on_fx_failed: boolParam().optional(),
    send_on_errors: boolParam().optional(),
  }),
  apply: (input) => quietPatch(input),
  reverse: (before, input) => {
    if (!before.digest_quiet_enabled) return { text: "🔕 Выключить тихий режим", tool: "ntf_quiet_digest_off", input: {} };
    const restore = restoreInput(before, input, (p) => QUIET_COLUMNS[p as keyof typeof QUIET_COLUMNS]);
    return Object.keys(restore).length > 0 ? { text: "↩️ Вернуть правила", tool: "ntf_quiet_digest_rules_set", input: restore } : null;
  },
});

const escalationOn = defineSetter({
  name: "ntf_escalation_enable",
  title: "Эскалация: включить",
  description: "Escalation of critical problems on.",
  feature: "escalation",
  headline: "Эскалация критичных проблем включена",
  input: z.object({}),
  apply: () => ({ patch: { escalation_enabled: true } }),
  reverse: () => ({ text: "🔕 Выключить", tool: "ntf_escalation_disable", input: {} }),
});

const escalationOff = defineSetter({
  name: "ntf_escalation_disable",
  title: "Эскалация: выключить",
  description: "Escalation off (rules kept).",
  feature: "escalation",
  headline: "Эскалация выключена",
  input: z.object({}),
  apply: () => ({ patch: { escalation_enabled: false } }),
  reverse: () => ({ text: "🔔 Включить", tool: "ntf_escalation_enable", input: {} }),
});

const escalationAck = defineTool({
  name: "ntf_escalation_ack",
  version: "1.0",
  kind: "setting",
  title: "Принять инцидент",
  description: "Acknowledges the current escalation incident (escalation_last_event_key); says so when there is none.",
  input: z.object({}),
  async run(_input, ctx) {
    const owner = ownerOf(ctx);
    const acked = await ackEscalation(ctx.db, owner, ctx.now, owner);
    const data: SettingChangeData = {
      tool: "ntf_escalation_ack",
      feature: "escalation",
      headline: acked ? "Инцидент принят: напоминаний о нём больше не будет" : "Активного инцидента нет — принимать нечего",
      settings: acked ?? (await loadNotifySettings(ctx.db, owner)),
      notes: acked ? ["Если появится новая критичная проблема, эскалация начнётся заново."] : [],
      reverse: null,
    };
    return makeResult(ctx, { tz: ctx.shop.timeZone }, data, { sources: [SETTINGS_SOURCE], window: todayWindow(ctx) });
  },
});

const escalationSnooze = defineSetter({
  name: "ntf_escalation_snooze",
  title: "Пауза эскалации",
  description: "Snoozes escalation reminders for hours (1..72, default 12) from now.",
  feature: "escalation",
  headline: "Эскалация на паузе",
  input: z.object({ hours: intParam(1, 72).default(12) }),
  apply: (input, _before, ctx) => ({ patch: { escalation_snoozed_until: new Date(ctx.now.getTime() + input.hours * 3_600_000) } }),
  reverse: () => null,
});

const minutes = (min: number, max: number) => intParam(min, max).optional();

const escalationRules = defineSetter({
  name: "ntf_escalation_rules_set",
  title: "Правила эскалации",
  description:
    "Escalation timing (stage1_after_minutes 30..1440, repeat_every_minutes 60..2880, max_repeats 0..10), on_* triggers, minimums (0..999) and unanswered_threshold_hours (1..168).",
  feature: "escalation",
  headline: "Правила эскалации сохранены",
  input: z.object({
    stage1_after_minutes: minutes(30, 1440),
    repeat_every_minutes: minutes(60, 2880),
    max_repeats: intParam(0, 10).optional(),
    on_fx_failed: boolParam().optional(),
    on_out_of_stock: boolParam().optional(),
    on_stuck_orders_severe: boolParam().optional(),
    on_errors_spike: boolParam().optional(),
    on_unanswered_chats_severe: boolParam().optional(),
    stuck_orders_min: intParam(0, 999).optional(),
    errors_min: intParam(0, 999).optional(),
    unanswered_chats_min: intParam(0, 999).optional(),
    unanswered_threshold_hours: intParam(1, 168).optional(),
  }),
  apply: (input) => {
    const patch: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(input)) if (v !== undefined) patch[`escalation_${k}`] = v;
    return { patch: patch };
  },
  reverse: (before, input) => {
    const restore = restoreInput(before, input, (p) => `escalation_${p}` as keyof NotifySettings);
    return Object.keys(restore).length > 0 ? { text: "↩️ Вернуть правила", tool: "ntf_escalation_rules_set", input: restore } : null;
  },
});

export const ntfEscalationTools: readonly TypedTool<SettingChangeData>[] = [
  quietOn,
  quietOff,
  quietRules,
  escalationOn,
  escalationOff,
  escalationAck,
  escalationSnooze,
  escalationRules,
];
