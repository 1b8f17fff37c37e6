import { routeText, routeTextNaive } from "./route.ts";
import type { RouteContext } from "./types.ts";

// V8 compiles a regular expression on its first runs; the router has ~150 of them, so the first
// few requests after start would pay ~50 ms between them. The worker calls this once at start.

const PHRASES = [
  "выручка за неделю",
  "kpi вчера",
  "сравни с 01.11 по 07.11 и с 08.11 по 14.11",
  "топ 5 товаров по количеству за месяц",
  "остатки меньше 3 штук",
  "зависшие заказы телефон +79991234567",
  "кто не ответил больше 2 часов",
  "воронка за 30 дней",
  "прогноз спроса на 14 дней",
  "подними цены на 5%",
  "сделай купон SPRING -10% на сутки 100 раз",
  "поставь скидку 10% на товары 12,13",
  "скрой луки 1,2",
  "пометь заказ 1234 причина тест",
  "сообщи команде: проверьте заказ 1234",
  "включи дайджест в 9:00",
  "пауза 12",
  "последние ошибки",
  "revenue last week",
  "/trend 30",
  "фывапролд",
];

/** Routes a fixed set of phrases through every rule once; returns the time it took in ms. */
export function warmUpRouter(ctx: RouteContext): number {
  const t0 = performance.now();
  for (const p of PHRASES) {
    routeTextNaive(p, ctx);
    routeText(p, ctx);
  }
  return performance.now() - t0;
}
