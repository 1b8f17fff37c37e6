import type { ShopSettings } from "../contract.ts";
import type { RouteContext } from "./types.ts";

// A pinned shop and clock for tests and the benchmark: Monday 23 Nov 2026, 13:00 in Moscow.

export const SHOP: ShopSettings = { shopId: "shop-test", currency: "RUB", timeZone: "Europe/Moscow", locale: "ru-RU" };
export const NOW = new Date("2026-11-23T10:00:00.000Z");
export const CTX: RouteContext = { shop: SHOP, now: NOW };

/** Phrases an owner types, for the benchmark corpus and the prefilter-equivalence test. */
export const CORPUS: readonly string[] = [
  "выручка за неделю",
  "выручка за вчера",
  "kpi вчера",
  "как дела",
  "сравни с прошлой неделей",
  "сравни месяц",
  "что с заказом 1234",
  "заказ OB-1234",
  "order 1234",
  "топ товаров за месяц",
  "худшие товары",
  "топ категорий",
  "сколько осталось на складе",
  "остатки",
  "что закончилось",
  "мало на складе",
  "без фото",
  "зависшие заказы",
  "проблемы с оплатой",
  "опаздывает доставка",
  "заказы телефон +7 999 123-45-67",
  "неотвеченные чаты",
  "кто не ответил",
  "очередь команды",
  "воронка за 30 дней",
  "аномалии возвратов",
  "купоны",
  "прогноз спроса",
  "что докупить",
  "график выручки за 14 дней",
  "еженедельный отчёт",
  "revenue last week",
  "compare with last week",
  "top products this month",
  "how much stock is left",
  "продажи",
  "снизь цены на 3 %",
  "Сделай купон -10% на сутки",
  "Поставь скидку 10% на товары 12,13,14",
  "Скрой товары 44,45",
  "флагни заказ OB-1003 причина тест",
  "сообщи команде: проверьте возвраты",
  "/kpi вчера",
  "/trend 30",
  "с 01.11 по 15.11",
  "в ноябре",
  "выручька за три дня",
  "фывапролд",
  "меню",
  "Проверь курс и если надо обнови цены",
];
