import { describe, expect, it } from "vitest";
import { routeText } from "./route.ts";
import type { RouteContext } from "./types.ts";

// Every phrase of the reference's phrase pack (§9, by priority) and the rule-router contract
// phrases route to the right tool without the LLM, with the sign of every change right.

const ctx: RouteContext = {
  shop: { shopId: "shop", currency: "RUB", timeZone: "Europe/Moscow", locale: "ru-RU" },
  now: new Date("2026-11-23T12:00:00Z"),
};

type Case = [phrase: string, kind: "tool" | "clarify" | "nav", tool?: string, input?: Record<string, unknown>];

const PHRASE_PACK: Case[] = [
  // 5 sis_fx_status
  ["проверь курс", "tool", "sis_fx_status"],
  ["какой сейчас курс", "tool", "sis_fx_status"],
  ["что по курсу", "tool", "sis_fx_status"],
  ["fx статус", "tool", "sis_fx_status"],
  ["курс валют", "tool", "sis_fx_status"],
  // 10 sis_fx_reprice_auto ("форс/принуд" → force)
  ["репрайс", "tool", "sis_fx_reprice_auto", { force: false }],
  ["пересчитай цены", "tool", "sis_fx_reprice_auto", { force: false }],
  ["обнови цены по курсу", "tool", "sis_fx_reprice_auto", { force: false }],
  ["fx apply", "tool", "sis_fx_reprice_auto", { force: false }],
  ["если надо обнови цены", "tool", "sis_fx_reprice_auto", { force: false }],
  ["форс пересчет", "tool", "sis_fx_reprice_auto", { force: true }],
  ["обнови цены принудительно", "tool", "sis_fx_reprice_auto", { force: true }],
  // 12 sis_fx_rollback
  ["rollback цен", "tool", "sis_fx_rollback"],
  ["откат цен", "tool", "sis_fx_rollback"],
  ["откатить последнее обновление цен", "tool", "sis_fx_rollback"],
  // 20 sis_prices_bump, signed
  ["подними цены на 5%", "tool", "sis_prices_bump", { bump_percent: "5" }],
  ["снизь цены на 3 %", "tool", "sis_prices_bump", { bump_percent: "-3" }],
  ["снизь на 3 %", "tool", "sis_prices_bump", { bump_percent: "-3" }],
  ["сделай +10%", "tool", "sis_prices_bump", { bump_percent: "10" }],
  ["сделай -7%", "tool", "sis_prices_bump", { bump_percent: "-7" }],
  ["сделай минус 7%", "tool", "sis_prices_bump", { bump_percent: "-7" }],
  ["подними цены", "tool", "sis_prices_bump"],
  // 30 create_coupon (percent + hours)
  ["купон 10% на 24 часа", "tool", "create_coupon", { percent_off: 10, ends_at: "2026-11-24T12:00:00.000Z" }],
  ["скидка 15% на 48 часов", "tool", "create_coupon", { percent_off: 15, ends_at: "2026-11-25T12:00:00.000Z" }],
  ["создай купон 20%", "tool", "create_coupon", { percent_off: 20 }],
  // 31 create_coupon disable
  ["выключи купон SALE10", "tool", "create_coupon", { code: "SALE10", active: false }],
  ["отключи купон SALE10", "tool", "create_coupon", { code: "SALE10", active: false }],
  // 40 notify_team
  ["пинг менеджеру", "tool", "notify_team"],
  ["напомни по заказу OB-1001", "tool", "notify_team", { message: "Проверьте, пожалуйста, заказ OB-1001." }],
  ["сообщи команде проверить склад", "tool", "notify_team", { message: "проверить склад" }],
  ["пингни команду", "tool", "notify_team"],
  // 50 sis_products_publish (hide → ARCHIVED)
  ["опубликуй товары 12,13", "tool", "sis_products_publish", { product_ids: ["12", "13"], target_status: "ACTIVE" }],
  ["скрой товары 12", "tool", "sis_products_publish", { product_ids: ["12"], target_status: "ARCHIVED" }],
  ["архивируй товары 12", "tool", "sis_products_publish", { product_ids: ["12"], target_status: "ARCHIVED" }],
  // 60 sis_looks_publish
  ["опубликуй луки 3", "tool", "sis_looks_publish", { look_ids: ["3"], target_active: true }],
  ["скрой луки 3", "tool", "sis_looks_publish", { look_ids: ["3"], target_active: false }],
  // 70 / 71 discounts
  ["поставь скидку 10% на товары 12", "tool", "sis_discounts_set", { product_ids: ["12"], discount_percent: 10 }],
  ["убери скидки", "clarify"],
  ["очисти скидки со всех товаров", "tool", "sis_discounts_clear", {}],
];

const CONTRACT: Case[] = [
  ["дай дашборд", "tool", "biz_dashboard_daily", { format: "png" }],
  ["отчет за сегодня", "tool", "kpi_snapshot", { day: "2026-11-23" }],
  ["еженедельный отчет", "tool", "biz_dashboard_weekly", { format: "pdf" }],
  ["операционный отчет", "tool", "biz_dashboard_ops", { format: "pdf" }],
  ["ops отчет", "tool", "biz_dashboard_ops"],
  ["отчет по проблемам", "tool", "biz_dashboard_ops"],
  ["что горит", "nav"],
  ["принято", "tool", "ntf_escalation_ack"],
  ["пауза 12", "tool", "ntf_escalation_snooze", { hours: 12 }],
  ["snooze 24", "tool", "ntf_escalation_snooze", { hours: 24 }],
  ["уведомь команду", "tool", "notify_team"],
  ["ob-123 пометь", "tool", "flag_order", { order_id: "OB-123" }],
  ["заказ OB-123", "tool", "order_detail", { order_id: "OB-123" }],
  ["14 дней график выручки", "tool", "revenue_trend", { days: 14 }],
  ["прогноз спроса", "tool", "demand_forecast", { horizon_days: 7 }],
  ["план закупки", "tool", "reorder_plan"],
  ["что докупить", "tool", "reorder_plan"],
  ["чаты без ответа", "tool", "chats_unanswered"],
  ["зависшие заказы", "tool", "orders_search", { preset: "stuck" }],
  ["неоплаченные заказы", "tool", "orders_search", { preset: "payment_issues" }],
  ["kpi за вчера", "tool", "kpi_snapshot", { day: "2026-11-22" }],
  ["продажи за вчера", "tool", "kpi_snapshot", { day: "2026-11-22" }],
  ["/trend 14", "tool", "revenue_trend", { days: 14 }],
  ["/weekly_pdf", "tool", "biz_dashboard_weekly"],
];

describe.each([
  ["phrase pack", PHRASE_PACK],
  ["contract phrases", CONTRACT],
])("%s routes without the LLM", (_name, cases) => {
  it.each(cases)("%s → %s %s", (phrase, kind, tool, input) => {
    const intent = routeText(phrase, ctx);
    expect(intent.kind).toBe(kind);
    if (kind === "tool" && intent.kind === "tool") {
      expect(intent.tool).toBe(tool);
      if (input) expect(intent.input).toMatchObject(input);
    }
  });
});
