import type { ToolContext } from "../contract.ts";
import { formatDateTime } from "../format/dates.ts";
import { formatNumber } from "../format/numbers.ts";
import { countOf, DAYS } from "../format/plural.ts";
import { timeZoneLabel } from "../format/time-zones.ts";
import { effectiveTz, nextDigestAt, nextWeeklyAt } from "../notify/schedule.ts";
import type { NotifySettings } from "../notify/settings.ts";
import type { NtfFeature } from "../tools/results/ntf.ts";

// The state of one notification feature in Russian, shared by the setters' replies and ntf_status,
// so a change and the overview describe a feature in the same words.

const WEEKDAYS = ["пн", "вт", "ср", "чт", "пт", "сб", "вс"];
const FORMAT_RU: Record<string, string> = { text: "текст", png: "картинка", pdf: "PDF" };

const onOff = (b: boolean): string => (b ? "вкл" : "выкл");
const yesNo = (b: boolean): string => (b ? "да" : "нет");
const num = (v: number, ctx: ToolContext, digits = 2): string => formatNumber(Number(v), ctx.shop.locale, digits);
const pct = (v: number, ctx: ToolContext): string => `${num(v, ctx)}\u00a0%`;

function zoneLabel(tz: string, ctx: ToolContext): string {
  // The owner reads cities, not IANA names: «Москва, как у магазина», «Екатеринбург».
  return tz === ctx.shop.timeZone ? `${timeZoneLabel(tz)}, как у магазина` : timeZoneLabel(tz);
}

/** "24 ноя, 08:30", or "в ближайшие минуты" when it is due now. */
function when(at: Date, tz: string, ctx: ToolContext): string {
  if (at.getTime() <= ctx.now.getTime()) return "в ближайшие минуты (время уже наступило)";
  return formatDateTime(at, tz, ctx.now);
}

export function nextDigestLine(s: NotifySettings, ctx: ToolContext): string | null {
  const next = nextDigestAt(s, ctx.now, ctx.shop.timeZone);
  return next ? `Следующий дайджест: ${when(next, effectiveTz(s.digest_tz, ctx.shop.timeZone), ctx)}` : null;
}

export function nextWeeklyLine(s: NotifySettings, ctx: ToolContext): string | null {
  const next = nextWeeklyAt(s, ctx.now, ctx.shop.timeZone);
  return next ? `Следующий недельный отчёт: ${when(next, effectiveTz(s.weekly_tz, ctx.shop.timeZone), ctx)}` : null;
}

function digest(s: NotifySettings, ctx: ToolContext): string[] {
  const tz = effectiveTz(s.digest_tz, ctx.shop.timeZone);
  const head = `📰 Ежедневный дайджест: ${onOff(s.digest_enabled)} · ${s.digest_time_local} (${zoneLabel(tz, ctx)}) · формат: ${FORMAT_RU[s.digest_format] ?? s.digest_format}`;
  const next = nextDigestLine(s, ctx);
  const quiet = s.digest_enabled && s.digest_quiet_enabled ? "Тихий режим включён: в спокойные дни дайджест не придёт." : null;
  return [head, ...(next ? [next] : []), ...(quiet ? [quiet] : [])];
}

function quiet(s: NotifySettings, ctx: ToolContext): string[] {
  const head = `🤫 Тихий дайджест: ${onOff(s.digest_quiet_enabled)}`;
  const reasons = [
    `выручка за неделю упала на ${pct(s.digest_quiet_min_revenue_drop_pct, ctx)} и больше`,
    `заказы упали на ${pct(s.digest_quiet_min_orders_drop_pct, ctx)} и больше`,
    ...(s.digest_quiet_send_on_ops ? ["есть операционные проблемы"] : []),
    ...(s.digest_quiet_send_on_errors ? ["есть ошибки системы"] : []),
    ...(s.digest_quiet_send_on_fx_failed ? ["пересчёт цен по курсу не удался"] : []),
  ];
  const lines = [
    head,
    `Дайджест приходит, только если: ${reasons.join("; ")} — и не реже раза в ${countOf(s.digest_quiet_max_silence_days, DAYS)}.`,
    `После времени дайджеста проверка каждые ${s.digest_quiet_attempt_interval_minutes} мин.`,
  ];
  if (s.digest_quiet_enabled && !s.digest_enabled)
    lines.push("⚠️ Ежедневный дайджест выключен — тихий режим заработает, когда вы его включите.");
  return lines;
}

function weekly(s: NotifySettings, ctx: ToolContext): string[] {
  const tz = effectiveTz(s.weekly_tz, ctx.shop.timeZone);
  const day = WEEKDAYS[s.weekly_day_of_week] ?? String(s.weekly_day_of_week);
  const next = nextWeeklyLine(s, ctx);
  return [`🗓 Недельный отчёт: ${onOff(s.weekly_enabled)} · ${day} ${s.weekly_time_local} (${zoneLabel(tz, ctx)})`, ...(next ? [next] : [])];
}

function fxDelta(s: NotifySettings, ctx: ToolContext): string[] {
  const lines = [
    `💱 Изменение курса: ${onOff(s.fx_delta_enabled)} · порог ${pct(s.fx_delta_min_percent, ctx)} · не чаще раза в ${s.fx_delta_cooldown_hours} ч`,
  ];
  const cur = ctx.shop.currency;
  const from = s.fx_delta_last_notified_rate === null ? null : `отсчёт от курса ${num(s.fx_delta_last_notified_rate, ctx, 4)} ${cur}`;
  if (s.fx_delta_base !== null) lines.push(`Валюта: ${s.fx_delta_base} → ${cur}${from ? ` · ${from}` : ""}`);
  else if (s.fx_delta_enabled) lines.push("Валюта: ещё не выбрана — та, чей курс изменится сильнее других");
  return lines;
}

function fxApply(s: NotifySettings): string[] {
  return [
    `💱 Пересчёты цен по курсу: ${onOff(s.fx_apply_events_enabled)} · не чаще раза в ${s.fx_apply_events_cooldown_hours} ч`,
    `Сообщать: сбои — ${yesNo(s.fx_apply_notify_failed)}, успешные — ${yesNo(s.fx_apply_notify_applied)}, без изменений — ${yesNo(s.fx_apply_notify_noop)}`,
  ];
}

function rule(enabled: boolean, text: string): string {
  return `• ${text}${enabled ? "" : " (правило выключено)"}`;
}

function ops(s: NotifySettings): string[] {
  return [
    `🚨 Алерты о проблемах: ${onOff(s.ops_alerts_enabled)} · не чаще раза в ${s.ops_alerts_cooldown_hours} ч`,
    rule(s.ops_unanswered_enabled, `чаты без ответа дольше ${s.ops_unanswered_threshold_hours} ч: от ${s.ops_unanswered_min_count}`),
    rule(s.ops_stuck_orders_enabled, `зависшие заказы: от ${s.ops_stuck_orders_min_count}`),
    rule(s.ops_payment_issues_enabled, `проблемы с оплатой: от ${s.ops_payment_issues_min_count}`),
    rule(s.ops_errors_enabled, `ошибки за ${s.ops_errors_window_hours} ч: от ${s.ops_errors_min_count}`),
    rule(s.ops_out_of_stock_enabled, `товаров нет в наличии: от ${s.ops_out_of_stock_min_count}`),
    rule(s.ops_low_stock_enabled, `товаров с остатком ≤ ${s.ops_low_stock_lte}: от ${s.ops_low_stock_min_count}`),
  ];
}

export function escalationState(s: NotifySettings, ctx: ToolContext): string {
  const tz = ctx.shop.timeZone;
  const at = (d: Date): string => formatDateTime(d, tz, ctx.now);
  const parts: string[] = [];
  if (s.escalation_last_event_key === null) parts.push("критичных проблем нет");
  else {
    const since = s.escalation_first_seen_at ? ` с ${at(s.escalation_first_seen_at)}` : "";
    const acked = s.escalation_last_ack_key === s.escalation_last_event_key;
    parts.push(`инцидент${since}, напоминаний: ${s.escalation_repeat_count}`);
    if (acked && s.escalation_last_ack_at) parts.push(`принят ${at(s.escalation_last_ack_at)}`);
  }
  if (s.escalation_snoozed_until && s.escalation_snoozed_until > ctx.now) parts.push(`пауза до ${at(s.escalation_snoozed_until)}`);
  return `Сейчас: ${parts.join(" · ")}`;
}

function escalation(s: NotifySettings, ctx: ToolContext): string[] {
  const reasons = [
    ...(s.escalation_on_fx_failed ? ["сбой пересчёта цен по курсу"] : []),
    ...(s.escalation_on_out_of_stock ? ["товары закончились"] : []),
    ...(s.escalation_on_stuck_orders_severe ? [`зависших заказов от ${s.escalation_stuck_orders_min}`] : []),
    ...(s.escalation_on_errors_spike ? [`ошибок от ${s.escalation_errors_min}`] : []),
    ...(s.escalation_on_unanswered_chats_severe
      ? [`чатов без ответа дольше ${s.escalation_unanswered_threshold_hours} ч от ${s.escalation_unanswered_chats_min}`]
      : []),
  ];
  return [
    `⏫ Эскалация: ${onOff(s.escalation_enabled)} · первое напоминание через ${s.escalation_stage1_after_minutes} мин, повтор каждые ${s.escalation_repeat_every_minutes} мин, не больше ${s.escalation_max_repeats} раз`,
    `Поводы: ${reasons.length > 0 ? reasons.join("; ") : "все выключены"}`,
    escalationState(s, ctx),
  ];
}

/** The lines describing one feature's current settings. */
export function featureLines(feature: NtfFeature, s: NotifySettings, ctx: ToolContext): string[] {
  switch (feature) {
    case "digest":
      return digest(s, ctx);
    case "quiet":
      return quiet(s, ctx);
    case "weekly":
      return weekly(s, ctx);
    case "fx_delta":
      return fxDelta(s, ctx);
    case "fx_apply":
      return fxApply(s);
    case "ops":
      return ops(s);
    case "escalation":
      return escalation(s, ctx);
  }
}

export const FEATURES: readonly NtfFeature[] = ["digest", "quiet", "weekly", "fx_delta", "fx_apply", "ops", "escalation"];

/** Is the feature switched on. */
export function isOn(feature: NtfFeature, s: NotifySettings): boolean {
  const col = {
    digest: s.digest_enabled,
    quiet: s.digest_quiet_enabled,
    weekly: s.weekly_enabled,
    fx_delta: s.fx_delta_enabled,
    fx_apply: s.fx_apply_events_enabled,
    ops: s.ops_alerts_enabled,
    escalation: s.escalation_enabled,
  };
  return col[feature];
}
