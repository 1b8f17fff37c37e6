import { addDays, dayDiff, isLocalDay, isoWeekday, localDay, type LocalDay } from "../format/dates.ts";
import { rx, toInt } from "./text.ts";

// The period grammar: what the owner means by "вчера", "за 3 недели", "с 01.11 по 15.11",
// "в ноябре", "last 7 days". Every day is a shop-local day, computed from the shop's time zone.

export type Period =
  | { kind: "day"; day: LocalDay }
  /**
   * `rolling`: "за 7 дней", "за месяц" — the last N days, which the trend and compare tools read as
   * the last N full days (today is still going). Other ranges ending today ("на этой неделе",
   * "с 25.11 по 02.12") include today and say so with an explicit end day.
   */
  | { kind: "range"; start: LocalDay; end: LocalDay; days: number; rolling?: true }
  /** Looked like a date but is not one (31.02, a day in the future); the router says so. */
  | { kind: "invalid"; raw: string };

export type Calendar = { today: LocalDay; weekStart: number };

/** The shop's today; an unknown zone falls back to UTC instead of failing the whole request. */
export function shopToday(now: Date, timeZone: string): LocalDay {
  try {
    return localDay(now, timeZone);
  } catch {
    return localDay(now, "UTC");
  }
}

type WeekInfoLocale = Intl.Locale & { getWeekInfo?: () => { firstDay: number }; weekInfo?: { firstDay: number } };
const weekStartCache = new Map<string, number>();

/** First day of the week for the shop's locale (1 = Monday … 7 = Sunday); Monday when unknown. */
export function weekStartOf(locale: string): number {
  let v = weekStartCache.get(locale);
  if (v === undefined) {
    v = 1;
    try {
      const loc = new Intl.Locale(locale) as WeekInfoLocale;
      const first = (loc.getWeekInfo?.() ?? loc.weekInfo)?.firstDay;
      if (first !== undefined && first >= 1 && first <= 7) v = first;
    } catch {
      v = 1;
    }
    weekStartCache.set(locale, v);
  }
  return v;
}

const MONTH_SRC =
  "(январ\\p{L}*|феврал\\p{L}*|март\\p{L}*|апрел\\p{L}*|ма[йяе]|июн\\p{L}*|июл\\p{L}*|август\\p{L}*|сентябр\\p{L}*|октябр\\p{L}*|ноябр\\p{L}*|декабр\\p{L}*|january|february|march|april|may|june|july|august|september|october|november|december)";
const MONTH_STEMS = ["янв", "фев", "мар", "апр", "ма", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"];
const MONTH_EN = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

function monthNumber(word: string): number {
  const en = MONTH_EN.indexOf(word.slice(0, 3));
  if (en >= 0) return en + 1;
  // "ма" must be checked after "мар"; indexOf over the list keeps that order.
  for (let i = 0; i < MONTH_STEMS.length; i++) {
    const stem = MONTH_STEMS[i] ?? "";
    if (word.startsWith(stem) && !(stem === "ма" && word.startsWith("мар"))) return i + 1;
  }
  return 0;
}

const NOT_PERCENT = "(?![\\d.,]*\\s*(?:%|проц|percent))";
// A date mention: ISO, DD.MM(.YYYY), "15 ноября (2025)", or a day range inside one month "1-15 ноября".
const DATE_MENTION = rx(
  `(?<![\\d.,])(?:(\\d{4})-(\\d{1,2})-(\\d{1,2})|(\\d{1,2})[./](\\d{1,2})(?:[./](\\d{4}|\\d{2}))?${NOT_PERCENT}(?!\\.?\\d)|(\\d{1,2})(?:\\s*(?:-|по|до|to)\\s*(\\d{1,2}))?\\s+${MONTH_SRC}(?:\\s+(\\d{4}))?\\b)`,
  "g",
);

type Mention = { start: LocalDay; end: LocalDay } | { bad: string };

const pad = (n: number): string => String(n).padStart(2, "0");

/**
 * A y-m-d. Without a year: the year of the date before it in the same sentence (the next year if
 * that would go backwards: "с 20.12 по 05.01"), else the most recent one not after today.
 */
function civil(y: number | undefined, m: number, d: number, today: LocalDay, after?: LocalDay): LocalDay | undefined {
  if (m < 1 || m > 12 || d < 1 || d > 31) return undefined;
  if (y !== undefined) return `${y < 100 ? y + 2000 : y}-${pad(m)}-${pad(d)}`;
  if (after) {
    const year = Number(after.slice(0, 4));
    const iso = `${year}-${pad(m)}-${pad(d)}`;
    return iso >= after ? iso : `${year + 1}-${pad(m)}-${pad(d)}`;
  }
  const year = Number(today.slice(0, 4));
  const iso = `${year}-${pad(m)}-${pad(d)}`;
  return iso > today ? `${year - 1}-${pad(m)}-${pad(d)}` : iso;
}

/** Every explicit date in the text, in order; ranges inside a month ("1-15 ноября") come as one. */
export function dateMentions(norm: string, today: LocalDay): Mention[] {
  const out: Mention[] = [];
  DATE_MENTION.lastIndex = 0;
  let prev: LocalDay | undefined;
  for (let m = DATE_MENTION.exec(norm); m !== null && out.length < 4; m = DATE_MENTION.exec(norm)) {
    let from: LocalDay | undefined;
    let to: LocalDay | undefined;
    if (m[1] !== undefined) from = civil(Number(m[1]), Number(m[2]), Number(m[3]), today);
    else if (m[4] !== undefined) {
      if (Number(m[5]) > 12 || Number(m[4]) > 31) continue; // "9.30" is a time, not a date
      from = civil(m[6] === undefined ? undefined : Number(m[6]), Number(m[5]), Number(m[4]), today, prev);
    } else {
      const month = monthNumber(m[9] ?? "");
      const year = m[10] === undefined ? undefined : Number(m[10]);
      from = civil(year, month, Number(m[7]), today, prev);
      if (m[8] !== undefined) to = civil(year, month, Number(m[8]), today, from);
    }
    to ??= from;
    // Only the first date must be in the past; a later one is clamped to today by the range.
    if (!from || !to || !isLocalDay(from) || !isLocalDay(to) || (prev === undefined && from > today)) {
      out.push({ bad: m[0].trim() });
      continue;
    }
    out.push(from <= to ? { start: from, end: to } : { start: to, end: from });
    prev = to;
  }
  return out;
}

function range(start: LocalDay, end: LocalDay, today: LocalDay): Period {
  const e = end > today ? today : end;
  const s = start > e ? e : start;
  return { kind: "range", start: s, end: e, days: dayDiff(s, e) + 1 };
}

const MAX_SPAN_DAYS = 3660;

const UNIT_DAYS: [RegExp, number][] = [
  [/^(?:дн|день|д$|сут|day|d$)/u, 1],
  [/^(?:нед|week|w$)/u, 7],
  [/^(?:мес|month)/u, 30],
  [/^(?:квартал|quarter)/u, 90],
  [/^(?:год|лет|year)/u, 365],
];
function unitDays(unit: string): number {
  for (const [re, n] of UNIT_DAYS) if (re.test(unit)) return n;
  return 0;
}

const RELATIVE: [RegExp, (c: Calendar) => Period][] = [
  [rx("\\bпозавчера|\\bday before yesterday\\b"), (c) => ({ kind: "day", day: addDays(c.today, -2) })],
  [rx("\\bвчера|\\byesterday\\b"), (c) => ({ kind: "day", day: addDays(c.today, -1) })],
  [rx("\\bсегодня|\\btoday\\b|\\bсейчас\\b|\\bright now\\b"), (c) => ({ kind: "day", day: c.today })],
];
const N_UNITS = rx(
  "(?<![\\d.,])\\b({NUM})\\s*-?\\s*(дн\\p{L}*|день|д\\b|сут\\p{L}*|days?\\b|d\\b|недел\\p{L}*|нед\\b|weeks?\\b|w\\b|месяц\\p{L}*|мес\\b|months?\\b|квартал\\p{L}*|quarters?\\b|год\\b|года\\b|лет\\b|years?\\b)",
);
const THIS_WEEK = rx("\\b(?:эт|текущ)\\p{L}* недел|\\bthis week\\b|\\bс начала недели\\b|\\bweek to date\\b");
const LAST_WEEK = rx("\\b(?:прошл|предыдущ)\\p{L}* недел|\\b(?:last|previous) week\\b");
const THIS_MONTH = rx("\\b(?:эт|текущ)\\p{L}* месяц|\\bthis month\\b|\\bс начала месяца\\b|\\bmtd\\b");
const LAST_MONTH = rx("\\b(?:прошл|предыдущ)\\p{L}* месяц|\\b(?:last|previous) month\\b");
const THIS_YEAR = rx("\\bс начала года\\b|\\bthis year\\b|\\bytd\\b|\\bэтом году\\b");
const LAST_YEAR = rx("\\bпрошл\\p{L}* год|\\b(?:last|previous) year\\b");
const ONE_UNIT = rx("\\b(недел[юяи]|week|месяц|month|квартал|quarter|полгода|half a year|год|year)\\b");
const MONTH_ALONE = rx(`\\b${MONTH_SRC}(?:\\s+(\\d{4}))?\\b`);
const WEEKDAYS = rx(
  "\\b(понедельник|вторник|сред[ауе]|четверг|пятниц[ауе]|суббот[ауе]|воскресень[ея]|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\\b",
);
const WEEKDAY_STEMS = ["пон", "вт", "ср", "чет", "пят", "суб", "вос"];
const WEEKDAY_EN = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

function weekStartDay(c: Calendar): LocalDay {
  return addDays(c.today, -((isoWeekday(c.today) - c.weekStart + 7) % 7));
}
function monthRange(y: number, m: number, c: Calendar): Period {
  const start = `${y}-${pad(m)}-01`;
  const next = m === 12 ? `${y + 1}-01-01` : `${y}-${pad(m + 1)}-01`;
  return range(start, addDays(next, -1), c.today);
}

/** The first period the text names, or undefined. Explicit dates win over relative words. */
export function parsePeriod(norm: string, c: Calendar): Period | undefined {
  const mentions = dateMentions(norm, c.today);
  const first = mentions[0];
  if (first) {
    if ("bad" in first) return { kind: "invalid", raw: first.bad };
    const second = mentions[1];
    if (second && !("bad" in second)) return range(first.start, second.end, c.today);
    if (second) return { kind: "invalid", raw: second.bad };
    return first.start === first.end ? { kind: "day", day: first.start } : range(first.start, first.end, c.today);
  }
  const n = N_UNITS.exec(norm);
  if (n) {
    const count = toInt(n[1] ?? "") ?? 0;
    // Ten years is more than any report takes; beyond it the tools' own limits apply anyway.
    const days = Math.min(count * unitDays(n[2] ?? ""), MAX_SPAN_DAYS);
    if (days >= 1) return { ...range(addDays(c.today, -(days - 1)), c.today, c.today), rolling: true } as Period;
  }
  if (THIS_WEEK.test(norm)) return range(weekStartDay(c), c.today, c.today);
  if (LAST_WEEK.test(norm)) {
    const start = addDays(weekStartDay(c), -7);
    return range(start, addDays(start, 6), c.today);
  }
  const y = Number(c.today.slice(0, 4));
  const mo = Number(c.today.slice(5, 7));
  if (THIS_MONTH.test(norm)) return range(`${c.today.slice(0, 7)}-01`, c.today, c.today);
  if (LAST_MONTH.test(norm)) return mo === 1 ? monthRange(y - 1, 12, c) : monthRange(y, mo - 1, c);
  if (THIS_YEAR.test(norm)) return range(`${y}-01-01`, c.today, c.today);
  if (LAST_YEAR.test(norm)) return range(`${y - 1}-01-01`, `${y - 1}-12-31`, c.today);
  const one = ONE_UNIT.exec(norm);
  if (one) {
    const w = one[1] ?? "";
    const days = w.startsWith("пол") || w.startsWith("half") ? 182 : unitDays(w);
    return { ...range(addDays(c.today, -(days - 1)), c.today, c.today), rolling: true } as Period;
  }
  const month = MONTH_ALONE.exec(norm);
  if (month) {
    const m = monthNumber(month[1] ?? "");
    const year = month[2] === undefined ? (m > mo ? y - 1 : y) : Number(month[2]);
    if (`${year}-${pad(m)}-01` > c.today) return { kind: "invalid", raw: month[0].trim() };
    return monthRange(year, m, c);
  }
  for (const [re, make] of RELATIVE) if (re.test(norm)) return make(c);
  const wd = WEEKDAYS.exec(norm);
  if (wd) {
    const w = wd[1] ?? "";
    let iso = WEEKDAY_EN.indexOf(w.slice(0, 3)) + 1;
    if (iso === 0) iso = WEEKDAY_STEMS.findIndex((s) => w.startsWith(s)) + 1;
    const back = (isoWeekday(c.today) - iso + 7) % 7;
    return { kind: "day", day: addDays(c.today, -back) };
  }
  return undefined;
}

/** How many days back from today a tool that only takes `days` must look to cover the period. */
export function daysBackTo(p: Period & { kind: "day" | "range" }, today: LocalDay): number {
  const start = p.kind === "day" ? p.day : p.start;
  return dayDiff(start, today) + 1;
}
