import { tool } from "./builders.ts";
import { clamp, LIMITS } from "./limits.ts";
import type { Message } from "./message.ts";
import { keys, type Rule } from "./rule.ts";
import { rx, toInt } from "./text.ts";
import type { Intent } from "./types.ts";

// Notification settings by voice or text: "включи дайджест", "тихий дайджест выключи",
// "пауза 12", "выключи эскалацию". These tools change the owner's own notification settings.

const ON = rx("\\b(?:включи|вкл|подпиш|активируй|enable|turn\\s+on|subscribe|start)\\p{L}*|\\bon\\b");
const OFF = rx("\\b(?:выключи|выкл|отключи|отпиш|деактивируй|disable|turn\\s+off|unsubscribe|stop)\\p{L}*|\\boff\\b");
const CONFIGURE = rx("\\b(?:настрой|настройк|правил|configure|rules)\\p{L}*");
const SEND = rx("\\b(?:пришли|отправь|покажи|дай|send|show)\\p{L}*");
const DIGEST = rx("\\bдайджест\\p{L}*|\\bdigest");
const QUIET = rx("\\bтих\\p{L}*\\s+(?:дайджест|режим)|\\bquiet\\s+digest");
const WEEKLY = rx("\\bеженедельн\\p{L}*|\\bweekly|\\bнедельн\\p{L}*");
const ESCALATION = rx("\\bэскалац\\p{L}*|\\bescalation");
const SNOOZE = rx("\\b(?:пауза|snooze|отложи|заглуши|mute)\\p{L}*(?:\\s+(?:на\\s+)?({NUM}))?");
const OPS_ALERTS = rx(
  "\\bалерт\\p{L}*|\\bоповещени\\p{L}*\\s+о\\s+проблем|\\bops\\s+alerts?|\\bоперационн\\p{L}*\\s+(?:алерт|оповещ|уведомл)",
);
const FX_DELTA = rx(
  "\\bизменени\\p{L}*\\s+курса|\\bfx\\s+delta|\\bскач\\p{L}*\\s+курса|\\bкурс\\p{L}*\\s+(?:валют\\s+)?уведомл|\\bуведомл\\p{L}*\\s+о\\s+курсе",
);
const NTF_STATUS = rx("\\b(?:статус|настройки|состояние)\\s+уведомлений|\\bnotification\\s+(?:status|settings)");
const NOW = rx("\\bсейчас\\b|\\bnow\\b");
const TIME = rx("\\b(?:в|at)\\s+(\\d{1,2})(?:[:.](\\d{2}))?\\b");

function onOff(m: Message): "on" | "off" | undefined {
  if (m.has(OFF)) return "off";
  if (m.has(ON)) return "on";
  return undefined;
}

function timeLocal(m: Message): string | undefined {
  const t = TIME.exec(m.norm);
  if (!t) return undefined;
  const h = Number(t[1]);
  const min = t[2] === undefined ? 0 : Number(t[2]);
  if (h > 23 || min > 59) return undefined;
  return `${String(h).padStart(2, "0")}:${String(min).padStart(2, "0")}`;
}

function notifications(m: Message): Intent | undefined {
  const sw = onOff(m);
  if (m.has(QUIET)) {
    if (m.has(CONFIGURE)) return { kind: "nav", to: "tpl:run:NTF_QUIET_DIGEST_RULES_SET" };
    return tool(sw === "off" ? "ntf_quiet_digest_off" : "ntf_quiet_digest_on", {});
  }
  if (m.has(ESCALATION) && sw) return tool(sw === "off" ? "ntf_escalation_disable" : "ntf_escalation_enable", {});
  const snooze = SNOOZE.exec(m.norm);
  if (snooze) {
    const notes: string[] = [];
    const hours = snooze[1] === undefined ? 12 : (toInt(snooze[1]) ?? 12);
    return tool("ntf_escalation_snooze", { hours: clamp(hours, LIMITS.snoozeHours, "Пауза, ч", notes) }, notes);
  }
  if (m.has(WEEKLY) && sw) {
    if (sw === "off") return tool("ntf_weekly_unsubscribe", {});
    return tool("ntf_weekly_subscribe", { day_of_week: 0, time_local: timeLocal(m) ?? "09:30", tz: m.ctx.shop.timeZone });
  }
  // "пришли недельный отчёт", "недельный отчёт сейчас": the weekly report now (a bare "недельный
  // отчёт" is the weekly PDF dashboard, rules-read.ts).
  if (m.has(WEEKLY) && (m.has(SEND) || m.has(NOW)) && !m.has(CONFIGURE)) return tool("ntf_send_weekly_now", {});
  if (m.has(DIGEST)) {
    if (sw === "off") return tool("ntf_daily_digest_unsubscribe", {});
    if (sw === "on") {
      const t = timeLocal(m);
      return tool("ntf_daily_digest_subscribe", t ? { time_local: t, tz: m.ctx.shop.timeZone } : {});
    }
    if (m.has(SEND) || m.norm.length < 30) return tool("ntf_send_digest_now", {});
  }
  if (m.has(OPS_ALERTS) && sw) return tool(sw === "off" ? "ntf_ops_alerts_unsubscribe" : "ntf_ops_alerts_subscribe", {});
  if (m.has(FX_DELTA) && sw) return tool(sw === "off" ? "ntf_fx_delta_unsubscribe" : "ntf_fx_delta_subscribe", {});
  if (m.has(NTF_STATUS)) return tool("ntf_status", {});
  return undefined;
}

export const NOTIFY_SETTINGS_RULE: Rule = {
  id: "notifications",
  keys: keys(
    "дайд dige тих quie ежен week неде эска esca пауз snoo отло загл mute алер опов ops опер изме fx скач курс увед стат наст сост noti",
  ),
  run: notifications,
};
