import { describe, expect, it } from "vitest";
import { parseNavTarget } from "../ui/nav.ts";
import { CORPUS, CTX } from "./fixtures.ts";
import { routeText, routeTextNaive } from "./route.ts";
import { KNOWN_TOOLS } from "./tool-names.ts";
import type { Presentation } from "./types.ts";

// Phrase → exact {tool, input, presentation}. The clock is pinned at Monday 23.11.2026 13:00 in
// Moscow: today 2026-11-23, yesterday 2026-11-22, last calendar week 16.11–22.11.

type Row = [phrase: string, tool: string, input: Record<string, unknown>, presentation?: Presentation];

const TODAY = "2026-11-23";
const YESTERDAY = "2026-11-22";
const STOCK = (section: string, low = 5): Record<string, unknown> => ({ section, low_stock_lte: low, limit: 20 });
const TOP = (o: Record<string, unknown> = {}): Record<string, unknown> => ({
  days: 7,
  metric: "revenue",
  direction: "top",
  group_by: "product",
  limit: 10,
  ...o,
});
const REPRICE = { force: false, refresh_snapshot: true };

const METRICS: Row[] = [
  ["выручка за неделю", "revenue_trend", { days: 7 }],
  ["выручка за вчера", "kpi_snapshot", { day: YESTERDAY }],
  ["kpi вчера", "kpi_snapshot", { day: YESTERDAY }],
  ["KPI сегодня", "kpi_snapshot", { day: TODAY }],
  ["выручка позавчера", "kpi_snapshot", { day: "2026-11-21" }],
  ["выручка за 3 дня", "revenue_trend", { days: 3 }],
  ["продажи за три дня", "revenue_trend", { days: 3 }],
  ["выручка за 2 недели", "revenue_trend", { days: 14 }],
  ["выручка за месяц", "revenue_trend", { days: 30 }],
  ["выручка за квартал", "revenue_trend", { days: 90 }],
  ["выручка за полгода", "revenue_trend", { days: 182 }],
  ["выручка с 01.11 по 15.11", "revenue_trend", { days: 15, end_day: "2026-11-15" }],
  ["продажи с 1 по 15 ноября", "revenue_trend", { days: 15, end_day: "2026-11-15" }],
  ["выручка в октябре", "revenue_trend", { days: 31, end_day: "2026-10-31" }],
  ["выручка в ноябре", "revenue_trend", { days: 23, end_day: TODAY }],
  // A named period that reaches today keeps it; "за неделю" is the last full days (no end_day).
  ["выручка на этой неделе", "revenue_trend", { days: 1, end_day: TODAY }],
  ["выручка с 20.11 по 23.11", "revenue_trend", { days: 4, end_day: TODAY }],
  ["продажи за прошлую неделю", "revenue_trend", { days: 7, end_day: YESTERDAY }],
  ["выручка 15.11", "kpi_snapshot", { day: "2026-11-15" }],
  ["выручька за неделю", "revenue_trend", { days: 7 }],
  ["  Выручка  за   НЕДЕЛЮ!!! ", "revenue_trend", { days: 7 }],
  ["Выручка за неделю, пожалуйста.", "revenue_trend", { days: 7 }],
  ["прадажи за неделю", "revenue_trend", { days: 7 }],
  ["виручка вчера", "kpi_snapshot", { day: YESTERDAY }],
  ["заработали за двадцать пять дней", "revenue_trend", { days: 25 }],
  ["как дела", "kpi_snapshot", { day: TODAY }],
  ["средний чек вчера", "kpi_snapshot", { day: YESTERDAY }],
  ["сколько заказов вчера", "kpi_snapshot", { day: YESTERDAY }],
  ["вчера", "kpi_snapshot", { day: YESTERDAY }],
  ["за неделю", "revenue_trend", { days: 7 }],
  ["в пятницу", "kpi_snapshot", { day: "2026-11-20" }],
  ["revenue last 7 days", "revenue_trend", { days: 7 }],
  ["revenue last week", "revenue_trend", { days: 7, end_day: YESTERDAY }],
  ["sales yesterday", "kpi_snapshot", { day: YESTERDAY }],
  ["revenue this month", "revenue_trend", { days: 23, end_day: TODAY }],
  ["график выручки за 14 дней", "revenue_trend", { days: 14 }, "chart"],
  ["покажи график выручки 7 дней", "revenue_trend", { days: 7 }, "chart"],
  ["график продаж", "revenue_trend", { days: 14 }, "chart"],
  ["revenue chart last 30 days", "revenue_trend", { days: 30 }, "chart"],
  ["динамика выручки за месяц", "revenue_trend", { days: 30 }],
  ["еженедельный отчёт", "biz_dashboard_weekly", { format: "pdf", week_mode: "last7" }],
  ["еженедельный отчет", "biz_dashboard_weekly", { format: "pdf", week_mode: "last7" }],
  ["pdf", "biz_dashboard_weekly", { format: "pdf", week_mode: "last7" }],
  ["отчёт за месяц pdf", "revenue_trend", { days: 30 }, "pdf"],
  ["сравни с прошлой неделей", "kpi_compare", { preset: "wow" }],
  ["сравни месяц", "kpi_compare", { preset: "mom" }],
  ["неделя к неделе", "kpi_compare", { preset: "wow" }],
  ["compare with last week", "kpi_compare", { preset: "wow" }],
  ["compare month over month", "kpi_compare", { preset: "mom" }],
  ["сравни последние 14 дней", "kpi_compare", { preset: "wow", days: 14 }],
  [
    "compare 1.11-7.11 vs 8.11-14.11",
    "kpi_compare",
    { preset: "custom", a_start: "2026-11-01", a_end: "2026-11-07", b_start: "2026-11-08", b_end: "2026-11-14" },
  ],
  [
    "сравни 01.11-07.11 с 08.11-14.11",
    "kpi_compare",
    { preset: "custom", a_start: "2026-11-01", a_end: "2026-11-07", b_start: "2026-11-08", b_end: "2026-11-14" },
  ],
];

const ORDERS: Row[] = [
  ["что с заказом 1234", "order_detail", { order_id: "OB-1234" }],
  ["заказ OB-1234", "order_detail", { order_id: "OB-1234" }],
  ["order 1234", "order_detail", { order_id: "OB-1234" }],
  ["заказ №77", "order_detail", { order_id: "OB-77" }],
  ["заказ ob-7777", "order_detail", { order_id: "OB-7777" }],
  ["what about order #1234?", "order_detail", { order_id: "OB-1234" }],
  ["зависшие заказы", "orders_search", { preset: "stuck", limit: 20 }],
  ["проблемы с оплатой", "orders_search", { preset: "payment_issues", limit: 20 }],
  ["опаздывает доставка", "orders_search", { preset: "late_ship", limit: 20 }],
  ["stuck orders", "orders_search", { preset: "stuck", limit: 20 }],
  ["заказы телефон +7 999 123-45-67", "orders_search", { q: "+79991234567", limit: 20 }],
  ["оплаченные заказы", "orders_search", { status: "paid", limit: 20 }],
  ["последние 50 заказов", "orders_search", { limit: 50 }],
  ["заказы", "orders_search", { limit: 20 }],
  // A list of a day's orders, not the KPI card; «сколько заказов вчера» stays a KPI question.
  ["заказы вчера", "orders_search", { from_day: YESTERDAY, to_day: YESTERDAY, limit: 20 }],
  ["оплаченные заказы вчера", "orders_search", { from_day: YESTERDAY, to_day: YESTERDAY, status: "paid", limit: 20 }],
  ["сколько заказов вчера", "kpi_snapshot", { day: YESTERDAY }],
  ["закасы", "orders_search", { limit: 20 }],
  ["помеченные заказы", "orders_search", { flagged: true, limit: 20 }],
  ["неотвеченные чаты", "chats_unanswered", { threshold_hours: 0, limit: 20 }],
  ["кто не ответил", "chats_unanswered", { threshold_hours: 0, limit: 20 }],
  ["чаты без ответа больше 2 часов", "chats_unanswered", { threshold_hours: 2, limit: 20 }],
  ["unanswered chats", "chats_unanswered", { threshold_hours: 0, limit: 20 }],
  ["очередь команды", "team_queue_summary", {}],
  ["как дела у команды", "team_queue_summary", {}],
  ["что с доставкой", "orders_search", { preset: "late_ship", limit: 20 }],
  ["есть ли неоплаченные заказы", "orders_search", { preset: "payment_issues", limit: 20 }],
  ["найди заказ клиента Иванов", "orders_search", { q: "Иванов", limit: 20 }],
];

const CATALOGUE: Row[] = [
  ["сколько осталось на складе", "inventory_status", STOCK("all")],
  ["остатки", "inventory_status", STOCK("all")],
  ["астатки на склате", "inventory_status", STOCK("all")],
  ["остатки до 3 штук", "inventory_status", STOCK("low_stock", 3)],
  ["что закончилось", "inventory_status", STOCK("out_of_stock")],
  ["мало на складе", "inventory_status", STOCK("low_stock")],
  ["без фото", "inventory_status", STOCK("missing_photo")],
  ["товары без цены", "inventory_status", STOCK("missing_price")],
  ["неопубликованные товары", "inventory_status", STOCK("unpublished")],
  ["товары с возвратами", "inventory_status", STOCK("return_flags")],
  ["how much stock is left", "inventory_status", STOCK("all")],
  ["out of stock", "inventory_status", STOCK("out_of_stock")],
  ["топ товаров за месяц", "top_products", TOP({ days: 30 })],
  ["худшие товары", "top_products", TOP({ direction: "bottom" })],
  ["топ категорий", "top_products", TOP({ group_by: "category" })],
  ["топ 5 товаров по количеству", "top_products", TOP({ metric: "qty", limit: 5 })],
  ["продажи по категориям за неделю", "top_products", TOP({ group_by: "category" })],
  ["top products this month", "top_products", TOP({ days: 22 })],
  ["best sellers last 30 days", "top_products", TOP({ days: 30 })],
  ["worst products", "top_products", TOP({ direction: "bottom" })],
  ["что продаётся лучше всего", "top_products", TOP()],
  ["top 3 categories last month", "top_products", TOP({ days: 53, group_by: "category", limit: 3 })],
  ["воронка", "funnel_snapshot", {}],
  ["воронка за 30 дней", "funnel_snapshot", { days: 30 }],
  ["возвраты", "refunds_anomalies", {}],
  ["сигналы риска", "truststack_signals", {}],
  ["подозрительные заказы за 2 недели", "truststack_signals", { days: 14 }],
  ["есть мошенники?", "truststack_signals", {}],
  ["fraud risks this month", "truststack_signals", { days: 23 }],
  ["аномалии возвратов за неделю", "refunds_anomalies", { days: 7 }],
  ["купоны", "coupons_status", {}],
  ["популярные купоны", "coupons_top_used", { limit: 5 }],
  ["прогноз спроса", "demand_forecast", { horizon_days: 7 }],
  ["прогноз продаж на 14 дней", "demand_forecast", { horizon_days: 14 }],
  ["что докупить", "reorder_plan", {}],
  ["план закупки на 30 дней", "reorder_plan", { horizon_days: 30 }],
  ["дай дашборд", "biz_dashboard_daily", { format: "png" }],
  ["операционный отчет", "biz_dashboard_ops", { format: "pdf", tz: "Europe/Moscow" }],
  ["дашборд pdf", "biz_dashboard_daily", { format: "pdf" }],
  ["дашборд недели", "biz_dashboard_weekly", { format: "pdf", week_mode: "last7" }],
  ["недельный отчёт", "biz_dashboard_weekly", { format: "pdf", week_mode: "last7" }],
  ["пришли дайджест", "ntf_send_digest_now", {}],
  ["пришли недельный отчёт", "ntf_send_weekly_now", {}],
  ["еженедельный отчёт сейчас", "ntf_send_weekly_now", {}],
  ["последние ошибки", "sys_last_errors", { limit: 20 }],
];

// The reference's 20-phrase contract (§9), with the payloads it should have had.
const PHRASE_PACK: Row[] = [
  ["Проверь курс", "sis_fx_status", {}],
  ["Какой сейчас курс?", "sis_fx_status", {}],
  ["Обнови цены по курсу", "sis_fx_reprice_auto", REPRICE],
  ["Пересчитай цены по курсу", "sis_fx_reprice_auto", REPRICE],
  ["Сделай репрайс", "sis_fx_reprice_auto", REPRICE],
  ["Принудительно обнови цены по курсу", "sis_fx_reprice_auto", { force: true, refresh_snapshot: true }],
  ["Откатить последнее обновление цен", "sis_fx_rollback", {}],
  ["Подними цены на 5%", "sis_prices_bump", { bump_percent: "5" }],
  ["Снизь цены на 3%", "sis_prices_bump", { bump_percent: "-3" }],
  ["Сделай купон -10% на сутки", "create_coupon", { code: "SALE10-2311", percent_off: 10, ends_at: "2026-11-24T10:00:00.000Z" }],
  ["Сделай скидку 15% на 48 часов", "create_coupon", { code: "SALE15-2311", percent_off: 15, ends_at: "2026-11-25T10:00:00.000Z" }],
  ["Сделай купон -20% на 7 дней", "create_coupon", { code: "SALE20-2311", percent_off: 20, ends_at: "2026-11-30T10:00:00.000Z" }],
  ["Выключи купон CODE", "create_coupon", { code: "CODE", active: false }],
  ["Поставь скидку 10% на товары 12,13,14", "sis_discounts_set", { product_ids: ["12", "13", "14"], discount_percent: 10 }],
  ["Убери скидки с товаров 12,13", "sis_discounts_clear", { product_ids: ["12", "13"] }],
  ["Опубликуй товары 12,13", "sis_products_publish", { product_ids: ["12", "13"], target_status: "ACTIVE" }],
  ["Скрой товары 44,45", "sis_products_publish", { product_ids: ["44", "45"], target_status: "ARCHIVED" }],
  ["Опубликуй луки 1,2", "sis_looks_publish", { look_ids: ["1", "2"], target_active: true }],
  ["Скрой луки 7,8", "sis_looks_publish", { look_ids: ["7", "8"], target_active: false }],
];

// The reference's intent_router cases, plus more actions with parsed parameters.
const ACTIONS: Row[] = [
  ["/notify заказ OB-1003 завис", "notify_team", { message: "заказ OB-1003 завис" }],
  ["флагни заказ OB-1003 причина тест", "flag_order", { order_id: "OB-1003", reason: "тест" }],
  ["/trend", "revenue_trend", { days: 14 }, "chart"],
  ["/weekly_pdf", "biz_dashboard_weekly", { format: "pdf", week_mode: "last7" }],
  ["курс валют", "sis_fx_status", {}],
  ["обнови цены", "sis_fx_reprice_auto", REPRICE],
  ["обнови цены принудительно", "sis_fx_reprice_auto", { force: true, refresh_snapshot: true }],
  ["тихий дайджест включи", "ntf_quiet_digest_on", {}],
  ["тихий дайджест выключи", "ntf_quiet_digest_off", {}],
  ["купон -10% на сутки", "create_coupon", { code: "SALE10-2311", percent_off: 10, ends_at: "2026-11-24T10:00:00.000Z" }],
  ["создай купон SPRING на 15% на 3 дня", "create_coupon", { code: "SPRING", percent_off: 15, ends_at: "2026-11-26T10:00:00.000Z" }],
  ["снизь цены на 3 %", "sis_prices_bump", { bump_percent: "-3" }],
  ["сделай цены -5%", "sis_prices_bump", { bump_percent: "-5" }],
  ["понизь цены на 2,5 процента", "sis_prices_bump", { bump_percent: "-2.5" }],
  ["подними цены на пять процентов", "sis_prices_bump", { bump_percent: "5" }],
  ["raise prices by 5%", "sis_prices_bump", { bump_percent: "5" }],
  ["lower prices by 3%", "sis_prices_bump", { bump_percent: "-3" }],
  ["пометь заказ 1234 не дозвонились", "flag_order", { order_id: "OB-1234", reason: "не дозвонились" }],
  ["пометь все зависшие заказы", "bulk_flag_order", { preset: "stuck", reason: "needs_attention", limit: 20 }],
  ["сообщи команде: проверьте возвраты", "notify_team", { message: "проверьте возвраты" }],
  ["напомни по заказу OB-1003", "notify_team", { message: "Проверьте, пожалуйста, заказ OB-1003." }],
  ["notify team check order 1234", "notify_team", { message: "check order 1234" }],
  ["поставь цену 1990 на товар 12", "adjust_price", { product_ids: ["12"], mode: "set", value: 1990, rounding: "none" }],
  ["подними цену товара 12 на 10%", "adjust_price", { product_ids: ["12"], mode: "delta_percent", value: 10, rounding: "none" }],
  ["снизь цену товаров 12, 13 на 100", "adjust_price", { product_ids: ["12", "13"], mode: "delta_abs", value: -100, rounding: "none" }],
  ["убери все скидки", "sis_discounts_clear", {}],
  ["поставь скидку 20% на товары с остатком до 5", "sis_discounts_set", { stock_lte: 5, discount_percent: 20 }],
  ["скрой все товары", "sis_products_publish", { status_from: "ACTIVE", target_status: "ARCHIVED" }],
  ["пауза 24", "ntf_escalation_snooze", { hours: 24 }],
  ["включи уведомления о пересчётах цен", "ntf_fx_apply_events_subscribe", {}],
  ["выключи уведомления о пересчёте цен", "ntf_fx_apply_events_unsubscribe", {}],
  ["включи уведомления об изменении курса", "ntf_fx_delta_subscribe", {}],
  ["следи за курсом доллара", "ntf_fx_delta_subscribe", { base: "USD" }],
  ["следи за курсом CNY", "ntf_fx_delta_subscribe", { base: "CNY" }],
  ["включи уведомления об изменении курса евро", "ntf_fx_delta_subscribe", { base: "EUR" }],
  ["watch the rate", "ntf_fx_delta_subscribe", {}],
  ["выключи алерты", "ntf_ops_alerts_unsubscribe", {}],
  ["включи алерты", "ntf_ops_alerts_subscribe", {}],
  ["дайджест в pdf", "ntf_digest_format_set", { format: "pdf" }],
  ["присылай дайджест картинкой", "ntf_digest_format_set", { format: "png" }],
  ["формат дайджеста текст", "ntf_digest_format_set", { format: "text" }],
  ["статус уведомлений", "ntf_status", {}],
  ["включи эскалацию", "ntf_escalation_enable", {}],
  ["принято", "ntf_escalation_ack", {}],
  ["выключи эскалацию", "ntf_escalation_disable", {}],
  ["включи дайджест в 9:00", "ntf_daily_digest_subscribe", { time_local: "09:00", tz: "Europe/Moscow" }],
  ["отпишись от дайджеста", "ntf_daily_digest_unsubscribe", {}],
  ["убери товары 5,6 из продажи", "sis_products_publish", { product_ids: ["5", "6"], target_status: "ARCHIVED" }],
  ["верни в продажу товары 5", "sis_products_publish", { product_ids: ["5"], target_status: "ACTIVE" }],
  ["скидка 10% на товар 5", "sis_discounts_set", { product_ids: ["5"], discount_percent: 10 }],
  ["сделай промокод LETO на 20% на неделю", "create_coupon", { code: "LETO", percent_off: 20, ends_at: "2026-11-30T10:00:00.000Z" }],
  ["поставь цену 990 товару PRD-00012", "adjust_price", { product_ids: ["PRD-00012"], mode: "set", value: 990, rounding: "none" }],
  ["включи недельный отчёт", "ntf_weekly_subscribe", { day_of_week: 0, time_local: "09:30", tz: "Europe/Moscow" }],
];

const ALL_ROWS = [...METRICS, ...ORDERS, ...CATALOGUE, ...PHRASE_PACK, ...ACTIONS];

describe("routeText: phrase → tool and input", () => {
  it.each(ALL_ROWS)("%s", (phrase, tool, input, presentation) => {
    const intent = routeText(phrase, CTX);
    expect(intent.kind).toBe("tool");
    if (intent.kind !== "tool") return;
    expect({ tool: intent.tool, input: intent.input, presentation: intent.presentation }).toEqual({ tool, input, presentation });
  });

  it("covers at least 80 phrases, all naming tools of the reference catalogue", () => {
    expect(ALL_ROWS.length).toBeGreaterThanOrEqual(80);
    for (const [, tool] of ALL_ROWS) expect(KNOWN_TOOLS.has(tool)).toBe(true);
  });

  it("the keyword prefilter never changes the answer", () => {
    for (const phrase of [...CORPUS, ...ALL_ROWS.map((r) => r[0])]) {
      expect(routeText(phrase, CTX), phrase).toEqual(routeTextNaive(phrase, CTX));
    }
  });
});

describe("routeText: navigation, help and cancel", () => {
  it.each([
    ["меню", "home"],
    ["Главная", "home"],
    ["шаблоны", "templates"],
    ["отчёты", "dash"],
    ["что горит?", "focus:burn"],
    ["цены", "prices"],
    ["скидки", "tpl:cat:discounts:p:0"],
    ["настройки", "systems"],
    ["покажи товары", "products"],
    ["дай отчёт", "dash"],
    ["настрой тихий дайджест", "tpl:run:NTF_QUIET_DIGEST_RULES_SET"],
  ])("%s → nav %s", (phrase, to) => {
    expect(routeText(phrase, CTX)).toEqual({ kind: "nav", to });
    expect(parseNavTarget(to)).toBeDefined();
  });

  it.each(["помощь", "help", "что ты умеешь?", "Привет"])("%s → help", (phrase) => {
    expect(routeText(phrase, CTX)).toEqual({ kind: "help" });
  });

  it.each(["отмена", "Cancel", "стоп"])("%s → cancel command", (phrase) => {
    expect(routeText(phrase, CTX)).toEqual({ kind: "command", name: "cancel", args: "" });
  });
});
