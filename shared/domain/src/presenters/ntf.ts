import type { Button, Reply, ToolContext, ToolResult } from "../contract.ts";
import { formatDateTime } from "../format/dates.ts";
import { nextDigestAt, nextWeeklyAt } from "../notify/schedule.ts";
import type { NotifySettings } from "../notify/settings.ts";
import type { NtfFeature, SettingChangeData } from "../tools/results/ntf.ts";
import type { NtfStatusData } from "../tools/results/ntf.ts";
import { blocks, toolButton, warningLines } from "./common.ts";
import { FEATURES, featureLines, isOn } from "./ntf-features.ts";

// Replies of the notification settings tools: a change shows the feature's new state with a
// button that undoes it; ntf_status shows everything with one switch per feature.

export const ALL_NOTIFICATIONS: Button = toolButton("🔔 Все уведомления", "ntf_status", {});

function icon(tool: string): string {
  if (/_(unsubscribe|off|disable)$/.test(tool)) return "🔕";
  if (tool === "ntf_escalation_snooze") return "😴";
  return "✅";
}

export function presentSettingChange(result: ToolResult<SettingChangeData>, ctx: ToolContext): Reply[] {
  const d = result.data;
  const row: Button[] = [];
  if (d.reverse) row.push(toolButton(d.reverse.text, d.reverse.tool, d.reverse.input));
  row.push(ALL_NOTIFICATIONS);
  const text = blocks(
    `${icon(d.tool)} ${d.headline}`,
    featureLines(d.feature, d.settings, ctx),
    d.notes.map((n) => `ℹ️ ${n}`),
    warningLines(result),
  );
  return [{ text, buttons: [row] }];
}

const SHORT: Record<NtfFeature, string> = {
  digest: "📰 Дайджест",
  quiet: "🤫 Тихий режим",
  weekly: "🗓 Недельный отчёт",
  fx_delta: "💱 Изменение курса",
  fx_apply: "💱 Пересчёты цен",
  ops: "🚨 Алерты",
  escalation: "⏫ Эскалация",
};

/** What the switch buttons name (accusative, short): "🔕 Выкл. дайджест". */
const NAME: Record<NtfFeature, string> = {
  digest: "дайджест",
  quiet: "тихий режим",
  weekly: "недельный отчёт",
  fx_delta: "курс",
  fx_apply: "пересчёты цен",
  ops: "алерты",
  escalation: "эскалацию",
};

const TOGGLE: Record<NtfFeature, [on: string, off: string]> = {
  digest: ["ntf_daily_digest_subscribe", "ntf_daily_digest_unsubscribe"],
  quiet: ["ntf_quiet_digest_on", "ntf_quiet_digest_off"],
  weekly: ["ntf_weekly_subscribe", "ntf_weekly_unsubscribe"],
  fx_delta: ["ntf_fx_delta_subscribe", "ntf_fx_delta_unsubscribe"],
  fx_apply: ["ntf_fx_apply_events_subscribe", "ntf_fx_apply_events_unsubscribe"],
  ops: ["ntf_ops_alerts_subscribe", "ntf_ops_alerts_unsubscribe"],
  escalation: ["ntf_escalation_enable", "ntf_escalation_disable"],
};

/** One summary line per feature: on/off and, for the schedules, when the next one goes. */
function summaryLine(f: NtfFeature, s: NotifySettings, ctx: ToolContext): string {
  const on = isOn(f, s);
  let extra = "";
  const at = (d: Date | null): string => (d === null ? "" : d <= ctx.now ? " — отправка в ближайшие минуты" : "");
  if (f === "digest" && on) {
    const next = nextDigestAt(s, ctx.now, ctx.shop.timeZone);
    extra = `, ${s.digest_time_local}${at(next)}`;
  }
  if (f === "weekly" && on)
    extra = `, ${["пн", "вт", "ср", "чт", "пт", "сб", "вс"][s.weekly_day_of_week]} ${s.weekly_time_local}${at(nextWeeklyAt(s, ctx.now, ctx.shop.timeZone))}`;
  if (f === "escalation" && on && s.escalation_last_event_key !== null) extra = ", есть инцидент";
  return `${SHORT[f]}: ${on ? "вкл" : "выкл"}${extra}`;
}

export function presentNtfStatus(result: ToolResult<NtfStatusData>, ctx: ToolContext): Reply[] {
  const s = result.data.settings;
  const summary = FEATURES.map((f) => summaryLine(f, s, ctx));
  const details = FEATURES.map((f) => featureLines(f, s, ctx).join("\n"));
  const changed =
    s.updated_by === null
      ? "Настройки по умолчанию: вы ещё ничего не меняли."
      : `Изменено: ${formatDateTime(s.updated_at, ctx.shop.timeZone, ctx.now)}`;
  const buttons = FEATURES.map((f) => {
    const [onTool, offTool] = TOGGLE[f];
    return isOn(f, s) ? toolButton(`🔕 Выкл. ${NAME[f]}`, offTool, {}) : toolButton(`🔔 Вкл. ${NAME[f]}`, onTool, {});
  });
  const rows: Button[][] = [];
  for (let i = 0; i < buttons.length; i += 2) rows.push(buttons.slice(i, i + 2));
  return [
    {
      text: blocks("🔔 Уведомления", summary, ...details, [
        "Уведомления приходят в этот чат; изменения действуют сразу.",
        changed,
        ...warningLines(result),
      ]),
      buttons: rows,
    },
  ];
}
