import { formatNumber } from "./numbers.ts";

/** Russian noun forms for 1, 2 and 5: ["заказ", "заказа", "заказов"]. */
export type PluralForms = readonly [one: string, few: string, many: string];

const rules = new Intl.PluralRules("ru-RU");

/** The form of the noun that goes with n: 1 заказ, 2 заказа, 5 заказов, 21 заказ, 1,5 заказа. */
export function plural(n: number, forms: PluralForms): string {
  switch (rules.select(n)) {
    case "one":
      return forms[0];
    case "few":
      return forms[1];
    case "many":
      return forms[2];
    default:
      // "other" is what Russian uses for fractions: "1,5 заказа".
      return forms[1];
  }
}

/** The number and its noun: "1 заказ", "12 345 заказов". */
export function countOf(n: number, forms: PluralForms, locale = "ru-RU"): string {
  return `${formatNumber(n, locale, 1)}\u00a0${plural(n, forms)}`;
}

export const ORDERS: PluralForms = ["заказ", "заказа", "заказов"];
export const ITEMS: PluralForms = ["товар", "товара", "товаров"];
export const PIECES: PluralForms = ["штука", "штуки", "штук"];
export const DAYS: PluralForms = ["день", "дня", "дней"];
export const CHATS: PluralForms = ["чат", "чата", "чатов"];
export const REFUNDS: PluralForms = ["возврат", "возврата", "возвратов"];
export const COUPONS: PluralForms = ["купон", "купона", "купонов"];
export const EVENTS: PluralForms = ["событие", "события", "событий"];
export const ERRORS: PluralForms = ["ошибка", "ошибки", "ошибок"];
export const CALLS: PluralForms = ["вызов", "вызова", "вызовов"];
export const USES: PluralForms = ["использование", "использования", "использований"];
