import { ask, category } from "./define.ts";
import type { TemplateDef } from "./types.ts";

// Reports, orders and team (reference §4 rows 1–36). Fixed here: RPT_TOP_CATEGORIES_30D covers 30
// days (the reference said 30 and queried 7); RPT_WEEKLY_PDF is a 7-day trend rendered as a PDF;
// the stuck summary uses the stuck preset (status alone misses old pending payments); the ops
// dashboard takes the shop's time zone instead of a hard-coded one.

const TOP = { metric: "revenue", direction: "top", group_by: "product", limit: 10 };

const STATUSES: [string, string][] = [
  ["Ожидают", "pending"],
  ["Оплачены", "paid"],
  ["Отправлены", "shipped"],
  ["Доставлены", "delivered"],
  ["Отменены", "cancelled"],
  ["Возвраты", "refunded"],
  ["Зависли", "stuck"],
  ["Ошибка", "failed"],
];

const message = ask.str("message", "Что написать команде? Одним сообщением, до 1000 символов.", 1000);

export const REPORT_TEMPLATES: TemplateDef[] = [
  ...category("reports", [
    ["RPT_KPI_TODAY", "REPORT", "kpi_snapshot", "📊 KPI сегодня", "KPI за сегодня", { day: "@today" }],
    ["RPT_KPI_YESTERDAY", "REPORT", "kpi_snapshot", "📊 KPI вчера", "KPI за вчера", { day: "@yesterday" }],
    ["RPT_KPI_7D", "REPORT", "revenue_trend", "📅 7 дней", "Выручка за 7 дней", { days: 7 }],
    ["RPT_KPI_30D", "REPORT", "revenue_trend", "📅 30 дней", "Выручка за 30 дней", { days: 30 }],
    ["RPT_COMPARE_WOW", "REPORT", "kpi_compare", "⚖️ Неделя к неделе", "Сравнение: неделя к неделе", { preset: "wow" }],
    ["RPT_COMPARE_MOM", "REPORT", "kpi_compare", "⚖️ Месяц к месяцу", "Сравнение: месяц к месяцу", { preset: "mom" }],
    [
      "RPT_COMPARE_CUSTOM",
      "REPORT",
      "kpi_compare",
      "⚖️ Свои периоды",
      "Сравнение двух периодов",
      { preset: "custom" },
      {
        inputs: [
          ask.day("a_start", "Период A: первый день (например 01.11)"),
          ask.day("a_end", "Период A: последний день"),
          ask.day("b_start", "Период B: первый день"),
          ask.day("b_end", "Период B: последний день"),
        ],
      },
    ],
    ["RPT_REVENUE_TREND_30D", "REPORT", "revenue_trend", "📈 Тренд 30 дн", "Тренд выручки за 30 дней", { days: 30 }],
    [
      "RPT_REVENUE_TREND_30D_PNG",
      "REPORT",
      "revenue_trend",
      "📉 График 30 дн",
      "График выручки за 30 дней",
      { days: 30 },
      { presentation: "chart" },
    ],
    [
      "RPT_REVENUE_TREND_90D_PNG",
      "REPORT",
      "revenue_trend",
      "📉 График 90 дн",
      "График выручки за 90 дней",
      { days: 90 },
      { presentation: "chart" },
    ],
    // Not in the reference, whose funnel and refund tools were stubs.
    ["RPT_FUNNEL_7D", "REPORT", "funnel_snapshot", "🪜 Воронка 7 дн", "Воронка продаж за 7 дней", { days: 7 }],
    ["RPT_REFUNDS_30D", "REPORT", "refunds_anomalies", "↩️ Возвраты 30 дн", "Всплески возвратов за 30 дней", { days: 30 }],
    ["RPT_STUCK_ORDERS_SUMMARY", "REPORT", "orders_search", "🧊 Зависшие", "Зависшие заказы", { preset: "stuck", limit: 20 }],
    ["RPT_TOP_PRODUCTS_7D", "REPORT", "top_products", "🏆 Топ 7 дн", "Топ товаров за 7 дней", { days: 7, ...TOP }],
    ["RPT_UNANSWERED_CHATS_SUMMARY", "REPORT", "chats_unanswered", "💬 Без ответа", "Чаты без ответа", { threshold_hours: 0, limit: 20 }],
    [
      "RPT_WEEKLY_PDF",
      "REPORT",
      "biz_dashboard_weekly",
      "📄 Неделя PDF",
      "Недельный отчёт (PDF)",
      { format: "pdf", tz: "@tz", week_mode: "last7" },
    ],
    [
      "RPT_TOP_PRODUCTS_QTY_7D",
      "REPORT",
      "top_products",
      "🔢 Топ по штукам",
      "Топ товаров по штукам за 7 дней",
      { days: 7, ...TOP, metric: "qty" },
    ],
    [
      "RPT_BOTTOM_PRODUCTS_7D",
      "REPORT",
      "top_products",
      "🐢 Худшие 7 дн",
      "Худшие товары за 7 дней",
      { days: 7, ...TOP, direction: "bottom" },
    ],
    ["BIZ_DASHBOARD_DAILY_PNG", "REPORT", "biz_dashboard_daily", "🖼 Дашборд дня", "Дашборд дня (картинка)", { format: "png", tz: "@tz" }],
    [
      "BIZ_DASHBOARD_DAILY_TEXT",
      "REPORT",
      "biz_dashboard_daily",
      "📝 Дашборд текстом",
      "Дашборд дня (текст)",
      { format: "text", tz: "@tz" },
    ],
    [
      "BIZ_DASHBOARD_WEEKLY_PDF",
      "REPORT",
      "biz_dashboard_weekly",
      "📄 Дашборд недели",
      "Дашборд недели (PDF)",
      { format: "pdf", tz: "@tz", week_mode: "last7" },
    ],
    [
      "BIZ_OPS_DASHBOARD_PDF",
      "REPORT",
      "biz_dashboard_ops",
      "🛠 Операционный PDF",
      "Операционный отчёт (PDF)",
      { format: "pdf", tz: "@tz" },
    ],
    [
      "RPT_TOP_CATEGORIES_30D",
      "REPORT",
      "top_products",
      "🗂 Категории 30 дн",
      "Топ категорий за 30 дней",
      { days: 30, ...TOP, group_by: "category" },
    ],
  ]),
  ...category("orders", [
    [
      "ORD_FIND_BY_ID",
      "REPORT",
      "order_detail",
      "🔎 По номеру",
      "Заказ по номеру",
      {},
      { inputs: [ask.orderId("order_id", "Номер заказа? Например 1234 или OB-1234")] },
    ],
    [
      "ORD_FIND_BY_PHONE",
      "REPORT",
      "orders_search",
      "📞 По телефону",
      "Заказы по телефону",
      { limit: 20 },
      { inputs: [ask.str("q", "Телефон клиента (можно часть номера)", 100)] },
    ],
    [
      "ORD_FIND_BY_STATUS",
      "REPORT",
      "orders_search",
      "🏷 По статусу",
      "Заказы по статусу",
      { limit: 20 },
      { inputs: [ask.choice("status", "Какой статус?", STATUSES)] },
    ],
    ["ORD_FIND_RECENT", "REPORT", "orders_search", "🕒 Последние", "Последние заказы", { limit: 20 }],
    ["ORD_STUCK_LIST", "REPORT", "orders_search", "🧊 Зависшие", "Зависшие заказы", { preset: "stuck", limit: 20 }],
    ["ORD_LATE_SHIP", "REPORT", "orders_search", "🚚 Опаздывают", "Опаздывает отправка", { preset: "late_ship", limit: 20 }],
    ["ORD_PAYMENT_ISSUES", "REPORT", "orders_search", "💳 Оплата", "Проблемы с оплатой", { preset: "payment_issues", limit: 20 }],
    [
      "ORD_FLAG",
      "ACTION",
      "flag_order",
      "🚩 Пометить",
      "Пометить заказ",
      {},
      {
        inputs: [
          ask.orderId("order_id", "Номер заказа?"),
          ask.str("reason", "Причина пометки (до 300 символов)", 300, ["Не дозвонились", "Проверить оплату", "Срочно"]),
        ],
      },
    ],
    ["ORD_NOTIFY_TEAM", "ACTION", "notify_team", "📣 Команде", "Сообщение команде", {}, { inputs: [message] }],
    [
      "ORD_BULK_FLAG",
      "ACTION",
      "bulk_flag_order",
      "🚩 Пачкой",
      "Пометить заказы пачкой",
      { preset: "stuck", reason: "needs_attention", limit: 20 },
      {
        inputs: [
          ask.choice("preset", "Какие заказы пометить?", [
            ["Зависшие", "stuck"],
            ["Опаздывают", "late_ship"],
            ["Оплата", "payment_issues"],
          ]),
          ask.str("reason", "Причина пометки", 300, [["Требует внимания", "needs_attention"]]),
          ask.int("limit", "Сколько заказов максимум?", 1, 200, ["10", "20", "50"]),
        ],
      },
    ],
  ]),
  ...category("team", [
    [
      "TEAM_UNANSWERED_2H",
      "REPORT",
      "chats_unanswered",
      "⏰ Ждут > 2 ч",
      "Чаты без ответа больше 2 часов",
      { threshold_hours: 2, limit: 20 },
    ],
    [
      "TEAM_UNANSWERED_6H",
      "REPORT",
      "chats_unanswered",
      "⏰ Ждут > 6 ч",
      "Чаты без ответа больше 6 часов",
      { threshold_hours: 6, limit: 20 },
    ],
    ["TEAM_QUEUE_SUMMARY", "REPORT", "team_queue_summary", "👥 Очередь", "Очередь команды", {}],
    ["TEAM_PING_MANAGER", "ACTION", "notify_team", "🔔 Пингануть", "Напомнить менеджеру", {}, { inputs: [message] }],
    ["TEAM_BROADCAST", "ACTION", "notify_team", "📢 Всем", "Сообщение всей команде", {}, { inputs: [message] }],
  ]),
];
