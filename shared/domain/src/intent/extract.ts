import { rx, toInt, trimLead } from "./text.ts";

// Parameter extractors: each reads `norm` (lower-cased) and, where the owner's own letters
// matter, slices `clean` at the same offsets.

// "OB-1234", "ob 1234", "заказ 1234", "заказ №1234", "order #1234", "#1234", "№1234".
const ORDER_EXPLICIT = rx("\\bob\\s?-?\\s?(\\d{1,12})\\b");
const ORDER_AFTER_WORD = rx("\\b(?:заказ\\p{L}*|order|ордер\\p{L}*)\\s*(?:номер|no\\.?|n|№|#)?\\s*(?:ob\\s?-?\\s?)?(\\d{1,12})\\b");
const ORDER_HASH = rx("(?:№|#)\\s?(\\d{1,12})\\b");

/** The demo's order ids are "OB-<number>"; the number is what owners say. */
export function orderIdFrom(digits: string): string {
  return `OB-${digits.replace(/^0+(?=\d)/, "")}`;
}

export type Found = { value: string; end: number };

export function findOrderId(norm: string): Found | undefined {
  const m = ORDER_EXPLICIT.exec(norm) ?? ORDER_AFTER_WORD.exec(norm) ?? ORDER_HASH.exec(norm);
  if (!m || m[1] === undefined) return undefined;
  return { value: orderIdFrom(m[1]), end: m.index + m[0].length };
}

// A list of ids after "товар(ы)", "лук(и)", "id": "12,13, 14 и 15", "PRD-00012 PRD-00013".
const ID_TOKEN = "(?:[a-z]{1,5}-)?\\d{1,12}(?![\\d.,]*\\s*(?:%|проц|percent))(?![\\p{L}\\d])";
const ID_LIST = `(${ID_TOKEN}(?:\\s*(?:,|;|\\s|\\bи\\b|\\band\\b)\\s*${ID_TOKEN})*)`;
const PRODUCT_IDS = rx(`\\b(?:товар\\p{L}*|продукт\\p{L}*|products?|sku|позици\\p{L}*|ids?|айди)\\s*(?:id|№|#|:)?\\s*${ID_LIST}`);
const LOOK_IDS = rx(`\\b(?:лук\\p{L}*|looks?|образ\\p{L}*)\\s*(?:id|№|#|:)?\\s*${ID_LIST}`);
const ID_SPLIT = /[^a-z0-9-]+/u;

function splitIds(list: string): string[] {
  const out: string[] = [];
  for (const raw of list.split(ID_SPLIT)) {
    if (raw === "" || raw === "и" || raw === "and") continue;
    const id = raw.toUpperCase();
    if (!out.includes(id)) out.push(id);
    if (out.length >= 200) break;
  }
  return out;
}

export function findProductIds(norm: string): string[] {
  const m = PRODUCT_IDS.exec(norm);
  return m?.[1] ? splitIds(m[1]) : [];
}

export function findLookIds(norm: string): string[] {
  const m = LOOK_IDS.exec(norm);
  return m?.[1] ? splitIds(m[1]) : [];
}

// A percentage, with an optional sign or "минус": "10%", "-3 %", "на 5 процентов", "минус 2,5%".
const PERCENT = rx("(минус\\s*|плюс\\s*|[+-]\\s*)?(\\d{1,3}(?:[.,]\\d{1,2})?|{NUM})\\s*(?:%|процент\\p{L}*|проц\\b|percent|pct)");
// "на 5" right after a price verb, when the owner skipped the "%".
const BARE_AFTER_NA = rx(
  "\\b(?:на|by)\\s+(минус\\s*|[+-]\\s*)?(\\d{1,2}(?:[.,]\\d{1,2})?)(?![\\d.,]*\\s*(?:час|ч\\b|сут|дн|день|h\\b))\\b",
);

export type Percent = { value: number; signed: -1 | 0 | 1 };

function readPercent(sign: string | undefined, num: string | undefined): Percent | undefined {
  if (num === undefined) return undefined;
  const value = /^\d/.test(num) ? Number(num.replace(",", ".")) : toInt(num);
  if (value === undefined || !Number.isFinite(value)) return undefined;
  const s = (sign ?? "").trim();
  const signed = s === "" ? 0 : s === "-" || s.startsWith("минус") ? -1 : 1;
  return { value, signed };
}

export function findPercent(norm: string, allowBare = false): Percent | undefined {
  const m = PERCENT.exec(norm);
  if (m) return readPercent(m[1], m[2]);
  if (!allowBare) return undefined;
  const b = BARE_AFTER_NA.exec(norm);
  return b ? readPercent(b[1], b[2]) : undefined;
}

// A duration for coupons and snoozes: "на сутки", "на 48 часов", "на 3 дня", "на неделю", "24h".
const HOURS = rx("\\b({NUM})?\\s*(час\\p{L}*|ч\\b|h\\b|hours?\\b|сут\\p{L}*|дн\\p{L}*|день|days?\\b|недел\\p{L}*|weeks?\\b)");

export function findHours(norm: string): number | undefined {
  HOURS.lastIndex = 0;
  const m = HOURS.exec(norm);
  if (!m) return undefined;
  const n = m[1] === undefined ? 1 : (toInt(m[1]) ?? 1);
  const unit = m[2] ?? "";
  if (/^(?:час|ч|h)/u.test(unit)) return n;
  if (/^(?:сут|дн|день|day)/u.test(unit)) return n * 24;
  return n * 168;
}

// A phone: "+7 999 123-45-67", "89991234567"; at least 10 digits so it is not an order number.
const PHONE = /(\+?\d[\d\s()-]{8,18}\d)/u;

export function findPhone(norm: string): string | undefined {
  const m = PHONE.exec(norm);
  if (!m?.[1]) return undefined;
  const digits = m[1].replace(/\D/g, "");
  if (digits.length < 10 || digits.length > 15) return undefined;
  return m[1].trim().startsWith("+") ? `+${digits}` : digits;
}

// "топ 5", "top-20", "последние 50", "первые 10", "5 лучших".
const LIMIT = rx(
  "\\b(?:топ|top|последни\\p{L}*|последн\\p{L}*|первы\\p{L}*|last|first)\\s*-?\\s*({NUM})(?![\\d.,]*\\s*(?:%|дн|день|д\\b|сут|недел|мес|час|ч\\b|days?|weeks?|months?|hours?))|\\b({NUM})\\s+(?:лучш|худш|самы|best|worst|top)",
);

export function findLimit(norm: string): number | undefined {
  const m = LIMIT.exec(norm);
  const raw = m?.[1] ?? m?.[2];
  return raw === undefined ? undefined : toInt(raw);
}

// "больше 2 часов", "дольше 6 ч", "over 24 hours", "2ч+": a waiting threshold.
const THRESHOLD_HOURS = rx(
  "(?:\\b(?:больше|более|дольше|свыше|over|more than|longer than|>)\\s*)?({NUM})\\s*(?:час\\p{L}*|ч\\b|h\\b|hours?\\b)",
);

export function findThresholdHours(norm: string): number | undefined {
  const m = THRESHOLD_HOURS.exec(norm);
  if (m?.[1] !== undefined) return toInt(m[1]);
  return /\bсут(?:ки|ок)\b|\bday\b/u.test(norm) ? 24 : undefined;
}

// "меньше 3", "до 10 штук", "<= 5", "не больше 2": a stock threshold.
const STOCK_LTE = rx(
  "(?:\\b(?:меньше|менее|до|не больше|не более|ниже|under|below|less than|at most)|<=?|≤)\\s*({NUM})(?!\\s*(?:%|дн|час|ч\\b))",
);

export function findStockLte(norm: string): { value: number; exclusive: boolean } | undefined {
  const m = STOCK_LTE.exec(norm);
  if (!m?.[1]) return undefined;
  const value = toInt(m[1]);
  if (value === undefined) return undefined;
  const exclusive = /меньше|менее|ниже|under|below|less than|<(?!=)/u.test(m[0]);
  return { value, exclusive };
}

// Coupon codes: letters and digits after "купон"/"промокод"/"код"/"code", with at least one letter.
const CODE = rx("\\b(?:купон\\p{L}*|промокод\\p{L}*|код|code|coupon)\\s+([a-z0-9][a-z0-9_-]{2,63})\\b");

export function findCouponCode(norm: string, clean: string): string | undefined {
  const m = CODE.exec(norm);
  if (!m?.[1] || !/[a-z]/.test(m[1])) return undefined;
  const at = m.index + m[0].length - m[1].length;
  return clean.slice(at, at + m[1].length).toUpperCase();
}

/** The owner's words after the first match of `re`, in their own letters. */
export function textAfter(re: RegExp, norm: string, clean: string): string | undefined {
  const m = re.exec(norm);
  if (!m) return undefined;
  return trimLead(clean.slice(m.index + m[0].length));
}

/** "все", "all", "со всех": the owner means the whole catalogue, not a list. */
export const ALL = rx("\\bвсе\\b|\\bвсех\\b|\\ball\\b|\\bсо всех\\b|\\bвезде\\b");
