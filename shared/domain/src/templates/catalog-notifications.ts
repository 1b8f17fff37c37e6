import { ask, category } from "./define.ts";
import type { TemplateDef } from "./types.ts";

// Notifications (reference §4 rows 85–107). The weekly subscription defaults to the shop's time
// zone and offers it as a one-tap answer; quiet-digest rules read numbers and yes/no, not strings.

const WEEKDAYS: [string, string][] = [
  ["Пн", "0"],
  ["Вт", "1"],
  ["Ср", "2"],
  ["Чт", "3"],
  ["Пт", "4"],
  ["Сб", "5"],
  ["Вс", "6"],
];

export const NOTIFICATION_TEMPLATES: TemplateDef[] = category("notifications", [
  ["NTF_STATUS", "REPORT", "ntf_status", "🔔 Статус", "Статус уведомлений", {}],
  ["NTF_FX_DELTA_SUBSCRIBE", "ACTION", "ntf_fx_delta_subscribe", "💱 Курс: вкл", "Уведомлять об изменении курса", {}],
  [
    "NTF_FX_APPLY_EVENTS_SUBSCRIBE",
    "ACTION",
    "ntf_fx_apply_events_subscribe",
    "💱 Пересчёты: вкл",
    "Уведомлять о пересчётах цен",
    { notify_applied: false, notify_noop: false, notify_failed: true, cooldown_hours: 6 },
  ],
  ["NTF_FX_DELTA_UNSUBSCRIBE", "ACTION", "ntf_fx_delta_unsubscribe", "💱 Курс: выкл", "Не уведомлять об изменении курса", {}],
  [
    "NTF_OPS_ALERTS_SUBSCRIBE",
    "ACTION",
    "ntf_ops_alerts_subscribe",
    "🚨 Алерты: вкл",
    "Алерты о проблемах",
    {
      cooldown_hours: 6,
      unanswered_threshold_hours: 2,
      unanswered_min_count: 1,
      stuck_min_count: 1,
      payment_min_count: 1,
      errors_window_hours: 24,
      errors_min_count: 1,
      low_stock_lte: 5,
      low_stock_min_count: 3,
      out_of_stock_min_count: 1,
    },
  ],
  ["NTF_OPS_ALERTS_UNSUBSCRIBE", "ACTION", "ntf_ops_alerts_unsubscribe", "🚨 Алерты: выкл", "Выключить алерты", {}],
  ["NTF_FX_APPLY_EVENTS_UNSUBSCRIBE", "ACTION", "ntf_fx_apply_events_unsubscribe", "💱 Пересчёты: выкл", "Не уведомлять о пересчётах", {}],
  ["NTF_DAILY_DIGEST_SUBSCRIBE", "ACTION", "ntf_daily_digest_subscribe", "📰 Дайджест: вкл", "Ежедневный дайджест", {}],
  ["NTF_QUIET_DIGEST_ON", "ACTION", "ntf_quiet_digest_on", "🤫 Тихий: вкл", "Тихий дайджест: включить", {}],
  ["NTF_QUIET_DIGEST_OFF", "ACTION", "ntf_quiet_digest_off", "🤫 Тихий: выкл", "Тихий дайджест: выключить", {}],
  [
    "NTF_QUIET_DIGEST_RULES_SET",
    "ACTION",
    "ntf_quiet_digest_rules_set",
    "🤫 Правила",
    "Правила тихого дайджеста",
    {},
    {
      inputs: [
        ask.number("min_revenue_drop_pct", "Слать, если выручка упала на сколько % (0.1–50)?", 0.1, 50, ["5", "8", "15"]),
        ask.number("min_orders_drop_pct", "…или заказы упали на сколько % (0.1–50)?", 0.1, 50, ["5", "10", "20"]),
        ask.int("attempt_interval_minutes", "Как часто проверять, минут (15–360)?", 15, 360, ["30", "60", "120"]),
        ask.int("max_silence_days", "Молчать не дольше, дней (1–30)?", 1, 30, ["3", "7", "14"]),
        ask.bool("send_on_ops", "Слать при операционных проблемах?"),
        ask.bool("send_on_fx_failed", "Слать, если пересчёт по курсу не удался?"),
        ask.bool("send_on_errors", "Слать при ошибках системы?"),
      ],
    },
  ],
  ["NTF_DAILY_DIGEST_UNSUBSCRIBE", "ACTION", "ntf_daily_digest_unsubscribe", "📰 Дайджест: выкл", "Выключить дайджест", {}],
  ["NTF_ESCALATION_ON", "ACTION", "ntf_escalation_enable", "⏫ Эскалация: вкл", "Включить эскалацию", {}],
  ["NTF_ESCALATION_OFF", "ACTION", "ntf_escalation_disable", "⏫ Эскалация: выкл", "Выключить эскалацию", {}],
  ["NTF_ESCALATION_ACK", "ACTION", "ntf_escalation_ack", "✅ Принято", "Принять инцидент", {}],
  ["NTF_ESCALATION_SNOOZE_12H", "ACTION", "ntf_escalation_snooze", "😴 Пауза 12 ч", "Пауза эскалации на 12 часов", { hours: 12 }],
  ["NTF_ESCALATION_SNOOZE_24H", "ACTION", "ntf_escalation_snooze", "😴 Пауза 24 ч", "Пауза эскалации на 24 часа", { hours: 24 }],
  [
    "NTF_DIGEST_FORMAT_SET",
    "ACTION",
    "ntf_digest_format_set",
    "🖨 Формат",
    "Формат дайджеста",
    { format: "text" },
    {
      inputs: [
        ask.choice("format", "В каком виде присылать дайджест?", [
          ["Текст", "text"],
          ["Картинка", "png"],
          ["PDF", "pdf"],
        ]),
      ],
    },
  ],
  [
    "NTF_ESCALATION_RULES_SET",
    "ACTION",
    "ntf_escalation_rules_set",
    "⏫ Правила",
    "Правила эскалации",
    { stage1_after_minutes: 120, repeat_every_minutes: 360, max_repeats: 3 },
  ],
  ["NTF_SEND_DIGEST_NOW", "REPORT", "ntf_send_digest_now", "📰 Дайджест сейчас", "Дайджест сейчас", {}],
  [
    "NTF_WEEKLY_SUBSCRIBE",
    "ACTION",
    "ntf_weekly_subscribe",
    "🗓 Неделя: вкл",
    "Недельный отчёт по расписанию",
    { day_of_week: 0, time_local: "09:30", tz: "@tz" },
    {
      inputs: [
        ask.weekday("day_of_week", "В какой день недели присылать?", WEEKDAYS),
        ask.time("time_local", "Во сколько? Например 09:30", ["09:00", "09:30", "18:00"]),
        ask.tz("tz", "В каком часовом поясе? Напишите город — например Москва, Екатеринбург или Berlin."),
      ],
    },
  ],
  ["NTF_WEEKLY_UNSUBSCRIBE", "ACTION", "ntf_weekly_unsubscribe", "🗓 Неделя: выкл", "Выключить недельный отчёт", {}],
  ["NTF_SEND_WEEKLY_NOW", "REPORT", "ntf_send_weekly_now", "🗓 Неделя сейчас", "Недельный отчёт сейчас", {}],
]);
