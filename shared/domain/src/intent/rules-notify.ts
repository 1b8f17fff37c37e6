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
// "дай" only as a word: "дайджест" starts with it.
const SEND = rx("\\b(?:пришли|отправь|покажи|send|show)\\p{L}*|\\bдай\\b");
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
const FX_WATCH = rx("\\bследи\\p{L}*\\s+за\\s+курс\\p{L}*|\\bwatch\\s+(?:the\\s+)?(?:fx\\s+)?rate");
/** The base currency an owner names: a code or its Russian name. */
const FX_BASES: [RegExp, string][] = [
  [rx("\\b(?:usd|доллар\\p{L}*)\\b"), "USD"],
  [rx("\\b(?:eur|евро)\\b"), "EUR"],
  [rx("\\b(?:cny|юан\\p{L}*)\\b"), "CNY"],
  [rx("\\b(?:gbp|фунт\\p{L}*)\\b"), "GBP"],
  [rx("\\b(?:try|лир\\p{L}*)\\b"), "TRY"],
  [rx("\\b(?:kzt|тенге)\\b"), "KZT"],
];
const fxBase = (m: Message): Record<string, string> => {
  const hit = FX_BASES.find(([re]) => m.has(re));
  return hit ? { base: hit[1] } : {};
};
const FX_APPLY = rx("\\bпересч[её]т\\p{L}*\\s+цен|\\bfx\\s+apply|\\bприменени\\p{L}*\\s+курса|\\bрепрайс\\p{L}*\\s+(?:уведомл|оповещ)");
const FORMAT = rx("\\b(pdf|пдф|png|картинк\\p{L}*|график\\p{L}*|текст\\p{L}*|text)\\b");
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
  if (m.has(ESCALATION) && m.has(CONFIGURE)) return { kind: "nav", to: "tpl:run:NTF_ESCALATION_RULES_SET" };
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
  // "дайджест в pdf", "присылай дайджест картинкой", "формат дайджеста текст"
  const format = m.has(DIGEST) && !m.has(SEND) ? FORMAT.exec(m.norm) : null;
  if (format?.[1]) {
    const f = format[1];
    return tool("ntf_digest_format_set", { format: /pdf|пдф/.test(f) ? "pdf" : /png|картинк|график/.test(f) ? "png" : "text" });
  }
  if (m.has(DIGEST)) {
    if (sw === "off") return tool("ntf_daily_digest_unsubscribe", {});
    if (sw === "on") {
      const t = timeLocal(m);
      return tool("ntf_daily_digest_subscribe", t ? { time_local: t, tz: m.ctx.shop.timeZone } : {});
    }
    if (m.has(SEND) || m.norm.length < 30) return tool("ntf_send_digest_now", {});
  }
  if (m.has(OPS_ALERTS) && sw) return tool(sw === "off" ? "ntf_ops_alerts_unsubscribe" : "ntf_ops_alerts_subscribe", {});
  if (m.has(FX_WATCH) && sw !== "off") return tool("ntf_fx_delta_subscribe", fxBase(m));
  if (m.has(FX_DELTA) && sw)
    return tool(sw === "off" ? "ntf_fx_delta_unsubscribe" : "ntf_fx_delta_subscribe", sw === "off" ? {} : fxBase(m));
  if (m.has(NTF_STATUS)) return tool("ntf_status", {});
  return undefined;
}

const NOTICE = rx("\\bуведомл\\p{L}*|\\bоповещ\\p{L}*|\\bnotif\\p{L}*|\\bсообщ\\p{L}*\\s+о\\b");

/**
 * "включи уведомления о пересчётах цен": about repricing, but a notification switch, not a reprice.
 * Runs before the action rules, which would take "пересчёт цен" as an order to reprice.
 */
export const NOTIFY_FX_APPLY_RULE: Rule = {
  id: "notify_fx_apply",
  keys: keys("пере прим репр fx"),
  run: (m) => {
    const sw = onOff(m);
    if (!sw || !m.has(FX_APPLY) || !m.has(NOTICE)) return undefined;
    return tool(sw === "off" ? "ntf_fx_apply_events_unsubscribe" : "ntf_fx_apply_events_subscribe", {});
  },
};

export const NOTIFY_SETTINGS_RULE: Rule = {
  id: "notifications",
  keys: keys(
    "дайд dige тих quie ежен week неде эска esca пауз snoo отло загл mute алер опов ops опер изме fx скач курс увед стат наст сост noti след watc",
  ),
  run: notifications,
};
