import { ask, category } from "./define.ts";
import type { TemplateDef } from "./types.ts";

// Systems, advanced, forecast and prices (reference §4 rows 37–60). Fixed here: PRC_BUMP sends
// bump_percent as the string the tool requires and accepts a minus; ADV_EXPORT_JSON says what it
// exports (the stock report) and delivers it as a JSON file; onboarding presets get the shop's zone.

const DEMAND = { history_days: 30, method: "sma", window_days: 14 };
const CURRENCIES = ["USD", "EUR", "RUB", "UAH", "PLN"];

export const OPS_TEMPLATES: TemplateDef[] = [
  ...category("systems", [
    ["SYS_HEALTH", "REPORT", "sys_health", "🩺 Здоровье", "Здоровье системы", {}],
    ["SYS_LAST_ERRORS", "REPORT", "sys_last_errors", "🧯 Ошибки", "Последние ошибки", { limit: 20 }],
    ["SYS_UPSTREAM_MODE", "REPORT", "sys_upstream_mode", "🔌 Режим данных", "Откуда берутся данные", {}],
    ["SYS_ONBOARD_STATUS", "REPORT", "onboard_status", "🧭 Чек-лист", "Чек-лист настройки", {}],
    ["SYS_SIS_ACTIONS_CAPABILITIES", "REPORT", "sis_actions_capabilities", "🧩 Возможности SIS", "Что умеет SIS", {}],
    [
      "SYS_ONBOARD_APPLY_STANDARD",
      "ACTION",
      "onboard_apply_preset",
      "⚙️ Стандарт",
      "Настройки уведомлений: стандарт",
      { preset: "standard", tz: "@tz" },
    ],
    [
      "SYS_ONBOARD_APPLY_MINIMAL",
      "ACTION",
      "onboard_apply_preset",
      "⚙️ Минимум",
      "Настройки уведомлений: минимум",
      { preset: "minimal", tz: "@tz" },
    ],
    [
      "SYS_ONBOARD_TEST_RUN",
      "ACTION",
      "onboard_test_run",
      "🧪 Тест-прогон",
      "Тестовый прогон настроек",
      { force_refresh_capabilities: true, send_digest_now: true, digest_mode: "dry_run", test_notify_team: true },
    ],
    ["SYS_AUDIT_RECENT", "REPORT", "sys_audit_recent", "📜 Журнал", "Журнал действий", { limit: 20 }],
    ["SYS_RETRO_7D", "REPORT", "retro_summary", "🔁 Ретро 7 дн", "Как использовали бота: 7 дней", { period_days: 7 }],
    ["SYS_RETRO_30D", "REPORT", "retro_summary", "🔁 Ретро 30 дн", "Как использовали бота: 30 дней", { period_days: 30 }],
    ["SYS_GAPS_30D", "REPORT", "retro_gaps", "🕳 Пробелы", "Чего не хватило за 30 дней", { period_days: 30 }],
    [
      "SYS_RETRO_EXPORT_7D",
      "REPORT",
      "retro_export",
      "💾 Экспорт ретро",
      "Выгрузка ретро за 7 дней (JSON)",
      { period_days: 7, include_gaps: true, include_funnels: true, format: "json" },
    ],
  ]),
  ...category("advanced", [
    ["ADV_RAW_TOOL_CALL", "REPORT", "truststack_signals", "🧪 Сигналы доверия", "Сигналы доверия (пока заглушка)", {}],
    [
      "ADV_EXPORT_JSON",
      "REPORT",
      "inventory_status",
      "💾 Склад в JSON",
      "Выгрузка склада (JSON)",
      { section: "all", low_stock_lte: 5, limit: 50 },
      { presentation: "json" },
    ],
    ["ADV_REPLAY_LAST", "REPORT", "retrospective_last", "⏪ Последние запросы", "Последние запросы к боту", { limit: 5 }],
  ]),
  ...category("forecast", [
    ["FRC_7D_DEMAND", "REPORT", "demand_forecast", "🔮 Спрос 7 дн", "Прогноз спроса на 7 дней", { horizon_days: 7, ...DEMAND, limit: 10 }],
    [
      "FRC_REORDER_PLAN",
      "REPORT",
      "reorder_plan",
      "🛒 Что докупить",
      "План закупки на 14 дней",
      { horizon_days: 14, ...DEMAND, lead_time_days: 14, safety_stock_days: 7, limit: 20 },
    ],
  ]),
  ...category("prices", [
    [
      "PRC_BUMP",
      "ACTION",
      "sis_prices_bump",
      "💹 Цены ±%",
      "Изменить все цены на %",
      { bump_additive: "0", rounding_mode: "CEIL_INT" },
      {
        inputs: [
          ask.signedPercent("bump_percent", "На сколько процентов? Плюс — поднять, минус — снизить (например 5 или -3).", [
            "5",
            "10",
            "-5",
            "-10",
          ]),
        ],
      },
    ],
    [
      "PRC_FX_REPRICE",
      "ACTION",
      "sis_fx_reprice",
      "💱 Пересчёт по курсу",
      "Пересчитать цены по курсу",
      { markup_percent: "0", markup_additive: "0", rounding_mode: "CEIL_INT", anomaly_threshold_pct: "25" },
      {
        inputs: [
          ask.currency("input_currency", "В какой валюте закупочные цены?", CURRENCIES),
          ask.currency("shop_currency", "В какой валюте продаёте?", ["@currency", ...CURRENCIES]),
          // The owner picks the rates by what they are, the latest set, not by an id.
          ask.str("rate_set_id", "По какому набору курсов считать? Обычно — по последнему.", 64, [["🆕 Последний набор курсов", "latest"]]),
        ],
      },
    ],
    ["PRC_FX_STATUS", "REPORT", "sis_fx_status", "💱 Курс", "Курс и статус пересчёта", {}],
    [
      "PRC_FX_AUTO",
      "ACTION",
      "sis_fx_reprice_auto",
      "♻️ Авто-пересчёт",
      "Пересчитать цены, если нужно",
      { force: false, refresh_snapshot: true },
    ],
    [
      "PRC_FX_SETTINGS",
      "ACTION",
      "sis_fx_settings_update",
      "⚙️ Настройки FX",
      "Настройки пересчёта по курсу",
      {},
      {
        // The reference's FX panel choices (§2.2), asked in words; answers land in `updates`.
        inputs: [
          ask.choice("updates.reprice_schedule_mode", "Когда пересчитывать цены по курсу?", [
            ["Вручную", "manual"],
            ["Каждый день", "daily"],
            ["По интервалу", "interval"],
          ]),
          {
            key: "updates.min_rate_delta_percent",
            prompt: "С какого изменения курса пересчитывать? Можно написать число процентов.",
            parser: "number",
            min: 0,
            max: 100,
            presets: [
              { text: "от 0,5 %", value: "0.5" },
              { text: "от 1 %", value: "1" },
              { text: "от 2 %", value: "2" },
              { text: "при любом", value: "0" },
            ],
          },
        ],
      },
    ],
    ["PRC_FX_ROLLBACK", "ACTION", "sis_fx_rollback", "↩️ Откат цен", "Откатить последний пересчёт", {}],
  ]),
];
