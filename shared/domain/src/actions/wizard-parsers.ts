import { orderIdFrom } from "../intent/extract.ts";

// Answer parsers of the parameter wizard (reference §9 step 1). Each takes the owner's raw answer
// (typed, or a preset's value) and returns the value for the payload or a Russian sentence that
// says what was wrong and what to type; the wizard keeps the step and asks again.

export type WizardParsed<T> = { ok: true; value: T } | { ok: false; error: string };

const ok = <T>(value: T): WizardParsed<T> => ({ ok: true, value });
const fail = <T>(error: string): WizardParsed<T> => ({ ok: false, error });

/** A fragment of the owner's answer that is safe to echo back. */
function quote(s: string): string {
  const t = s.replace(/[<>&]/g, "").trim();
  return `«${t.length > 24 ? `${t.slice(0, 23)}…` : t}»`;
}

const norm = (raw: string): string =>
  raw
    .toLowerCase()
    .replace(/ё/g, "е")
    .replace(/[\u2212\u2013\u2014]/g, "-")
    .replace(/\s+/g, " ")
    .trim();

const PERCENT_RE = /^(минус|плюс|[+-])?\s*(\d{1,3}(?:[.,]\d{1,2})?)\s*(?:%|проц\p{L}*|percent|pct)?\.?$/u;

/** «5», «5%», «5 процентов», «минус 5», «-2,5 %»: the magnitude and the sign the owner gave (0 = none). */
export function readPercent(raw: string): { value: number; sign: -1 | 0 | 1 } | undefined {
  const m = PERCENT_RE.exec(norm(raw).replace(/^на\s+/u, ""));
  if (!m?.[2]) return undefined;
  const s = m[1] ?? "";
  return { value: Number(m[2].replace(",", ".")), sign: s === "" ? 0 : s === "-" || s === "минус" ? -1 : 1 };
}

/** A coupon's discount: a whole percent 1–95; a minus is just how discounts are written («минус 10»). */
export function parseCouponPercent(raw: string): WizardParsed<number> {
  const p = readPercent(raw);
  if (!p) return fail(`${quote(raw)} — не процент. Нужна скидка от 1 до 95 %, например 10.`);
  if (!Number.isInteger(p.value)) return fail(`${p.value} — нужен целый процент от 1 до 95, например 10.`);
  if (p.value < 1 || p.value > 95) return fail(`${p.value} % не подходит: скидка по купону от 1 до 95 %, например 10.`);
  return ok(p.value);
}

/**
 * A price change for every product, signed and kept as the string the tool takes: a minus (or
 * «минус») lowers prices; without a sign the direction the owner asked for applies (`sign`).
 */
export function parseSignedPercent(raw: string, sign: 1 | -1 = 1): WizardParsed<string> {
  const p = readPercent(raw);
  if (!p) return fail(`${quote(raw)} — не процент. Напишите, например, 5 или минус 3.`);
  if (p.value < 0.1 || p.value > 95) return fail(`${p.value} % не подходит: можно от 0,1 до 95 %, например 5.`);
  const signed = (p.sign === 0 ? sign : p.sign) * p.value;
  return ok(String(Math.round(signed * 100) / 100));
}

const NUMBER_WORDS: Readonly<Record<string, number>> = {
  одни: 1,
  одна: 1,
  один: 1,
  два: 2,
  двое: 2,
  трое: 3,
  три: 3,
  четыре: 4,
  пять: 5,
  шесть: 6,
  семь: 7,
};

const HOURS_RE = new RegExp(
  `^(?:на\\s+)?(\\d{1,4}|${Object.keys(NUMBER_WORDS).join("|")})?\\s*(час\\p{L}*|ч|h|hours?|сут\\p{L}*|дн\\p{L}*|день|days?|недел\\p{L}*|weeks?)?\\.?$`,
  "u",
);
const NO_END = /^(?:без срока|бессрочн\p{L}*|навсегда|none|no end)$/u;

/**
 * A coupon's lifetime in hours: «24», «48 ч», «сутки» = 24, «2 дня» = 48, «неделя» = 168, 1–8760.
 * «без срока» is null: the coupon never ends.
 */
export function parseHours(raw: string): WizardParsed<number | null> {
  const t = norm(raw);
  if (NO_END.test(t)) return ok(null);
  const m = HOURS_RE.exec(t);
  const rawN = m?.[1];
  const unit = m?.[2];
  if (!m || (rawN === undefined && unit === undefined)) {
    return fail(`${quote(raw)} — не срок. Напишите часы (24, 48) или «сутки», «2 дня», «неделя», «без срока».`);
  }
  const n = rawN === undefined ? 1 : /^\d/.test(rawN) ? Number(rawN) : NUMBER_WORDS[rawN];
  if (n === undefined) return fail(`${quote(raw)} — не срок. Напишите часы (24, 48) или «сутки», «2 дня», «неделя».`);
  const hours = unit === undefined || /^(?:час|ч|h)/u.test(unit) ? n : /^(?:сут|дн|день|day)/u.test(unit) ? n * 24 : n * 168;
  if (hours < 1 || hours > 8760) return fail(`${hours} ч не подходит: срок купона от 1 часа до года (8760 ч), например 24.`);
  return ok(hours);
}

const ID_RE = /^[a-z0-9][a-z0-9_-]{0,63}$/u;

/** «12, 13 14 и 15», «PRD-00012»: 1–200 distinct ids, upper-cased. */
export function parseIds(raw: string): WizardParsed<string[]> {
  const parts = norm(raw)
    .split(/[\s,;]+/u)
    .filter((p) => p !== "" && p !== "и" && p !== "and");
  if (parts.length === 0) return fail("Не нашёл id. Пришлите id через запятую или пробел, например: 12, 15, 31.");
  const bad = parts.find((p) => !ID_RE.test(p));
  if (bad !== undefined) return fail(`${quote(bad)} не похоже на id: нужны буквы, цифры и дефис, например 12 или PRD-00012.`);
  const unique = [...new Set(parts.map((p) => p.toUpperCase()))];
  if (unique.length > 200) return fail(`Слишком много id: ${unique.length}. За один раз можно до 200.`);
  return ok(unique);
}

const ORDER_RE = /^(?:заказ\p{L}*\s*)?(?:№|#|no\.?\s*)?\s*(?:ob\s?-?\s?)?(\d{1,12})$/u;

/** «1234», «OB-1234», «#1234», «заказ 1234» → OB-1234. */
export function parseOrderId(raw: string): WizardParsed<string> {
  const m = ORDER_RE.exec(norm(raw));
  if (!m?.[1]) return fail(`${quote(raw)} — не номер заказа. Напишите номер, например 1234 или OB-1234.`);
  return ok(orderIdFrom(m[1]));
}

export const MAX_WIZARD_MESSAGE = 1000;

/** A message for the team: the owner's own words, trimmed; longer than 1000 characters is refused. */
export function parseMessage(raw: string): WizardParsed<string> {
  const t = raw.trim();
  if (t === "") return fail("Пустое сообщение. Напишите текст для команды, например: «проверьте заказ 1234».");
  if (t.length > MAX_WIZARD_MESSAGE)
    return fail(`Сообщение длиннее ${MAX_WIZARD_MESSAGE} символов (${t.length}). Сократите его, пожалуйста.`);
  return ok(t);
}

const CANCEL_RE = /^(?:отмена|отмени\p{L}*|отменить|cancel|стоп|stop|хватит|не надо)[.!]?$/u;

/** «отмена», «cancel», «стоп»: the wizard ends, nothing is previewed. */
export const isWizardCancel = (raw: string): boolean => CANCEL_RE.test(norm(raw));
