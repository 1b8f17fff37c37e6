// Shop-local calendar days travel as "YYYY-MM-DD" strings: they have no time zone of their own,
// so nothing can shift them by a server offset. Instants are Dates; the shop's tz joins the two.

export type LocalDay = string;

const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_DAY = 86_400_000;

const partsCache = new Map<string, Intl.DateTimeFormat>();
function partsFormat(tz: string): Intl.DateTimeFormat {
  let f = partsCache.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: tz,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    partsCache.set(tz, f);
  }
  return f;
}

export type LocalParts = { year: number; month: number; day: number; hour: number; minute: number; second: number };

export function localParts(instant: Date, tz: string): LocalParts {
  const out: Record<string, number> = {};
  for (const p of partsFormat(tz).formatToParts(instant)) {
    if (p.type !== "literal") out[p.type] = Number(p.value);
  }
  return {
    year: out.year ?? 0,
    month: out.month ?? 0,
    day: out.day ?? 0,
    hour: out.hour ?? 0,
    minute: out.minute ?? 0,
    second: out.second ?? 0,
  };
}

const pad = (n: number, w = 2): string => String(n).padStart(w, "0");

/** The shop-local calendar day an instant falls on. */
export function localDay(instant: Date, tz: string): LocalDay {
  const p = localParts(instant, tz);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`;
}

export function isLocalDay(s: string): boolean {
  const m = DAY_RE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === s;
}

function dayToUtcMs(day: LocalDay): number {
  const m = DAY_RE.exec(day);
  if (!m) throw new RangeError(`not a YYYY-MM-DD day: ${day}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
}

export function addDays(day: LocalDay, n: number): LocalDay {
  return new Date(dayToUtcMs(day) + n * MS_DAY).toISOString().slice(0, 10);
}

/** Whole days from a to b (b − a). */
export function dayDiff(a: LocalDay, b: LocalDay): number {
  return Math.round((dayToUtcMs(b) - dayToUtcMs(a)) / MS_DAY);
}

export function eachDay(from: LocalDay, to: LocalDay): LocalDay[] {
  const out: LocalDay[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

/** The `days`-long window of days that ends on `end` inclusive. */
export function windowEnding(end: LocalDay, days: number): { from: LocalDay; to: LocalDay } {
  return { from: addDays(end, -(days - 1)), to: end };
}

/** ISO weekday of a day: 1 = Monday … 7 = Sunday. */
export function isoWeekday(day: LocalDay): number {
  const w = new Date(dayToUtcMs(day)).getUTCDay();
  return w === 0 ? 7 : w;
}

function offsetMs(instant: Date, tz: string): number {
  const p = localParts(instant, tz);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/**
 * The instant a shop-local day begins. Two passes settle DST: the offset is read at the guess and
 * again at the corrected instant, which differ only when the day starts on a transition.
 */
export function dayStart(day: LocalDay, tz: string): Date {
  const guess = dayToUtcMs(day);
  let t = guess - offsetMs(new Date(guess), tz);
  t = guess - offsetMs(new Date(t), tz);
  return new Date(t);
}

/** [start of `from`, start of the day after `to`) as instants: the half-open range SQL wants. */
export function dayRangeInstants(from: LocalDay, to: LocalDay, tz: string): { start: Date; end: Date } {
  return { start: dayStart(from, tz), end: dayStart(addDays(to, 1), tz) };
}

const MONTHS_GEN = ["янв", "фев", "мар", "апр", "мая", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"];

function split(day: LocalDay): [number, number, number] {
  const m = DAY_RE.exec(day);
  if (!m) throw new RangeError(`not a YYYY-MM-DD day: ${day}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/** "23.11.2026" */
export function formatDay(day: LocalDay): string {
  const [y, m, d] = split(day);
  return `${pad(d)}.${pad(m)}.${y}`;
}

/** "23.11" */
export function formatDayShort(day: LocalDay): string {
  const [, m, d] = split(day);
  return `${pad(d)}.${pad(m)}`;
}

/** "17.11–23.11.2026", "28.12.2025–03.01.2026", or one day "23.11.2026". */
export function formatPeriod(from: LocalDay, to: LocalDay): string {
  if (from === to) return formatDay(from);
  if (from.slice(0, 4) === to.slice(0, 4)) return `${formatDayShort(from)}–${formatDay(to)}`;
  return `${formatDay(from)}–${formatDay(to)}`;
}

/** "23 ноя, 14:05" in the shop time zone; the year is added when it is not the year of `now`. */
export function formatDateTime(instant: Date, tz: string, now?: Date): string {
  const p = localParts(instant, tz);
  const year = now && localParts(now, tz).year !== p.year ? ` ${p.year}` : "";
  return `${p.day} ${MONTHS_GEN[p.month - 1]}${year}, ${pad(p.hour)}:${pad(p.minute)}`;
}

/** "3 ч 20 мин", "2 д 4 ч", "45 мин", "< 1 мин". */
export function formatDuration(ms: number): string {
  const totalMin = Math.floor(Math.max(0, ms) / 60_000);
  if (totalMin < 1) return "< 1 мин";
  const d = Math.floor(totalMin / 1440);
  const h = Math.floor((totalMin % 1440) / 60);
  const m = totalMin % 60;
  if (d > 0) return h > 0 ? `${d} д ${h} ч` : `${d} д`;
  if (h > 0) return m > 0 ? `${h} ч ${m} мин` : `${h} ч`;
  return `${m} мин`;
}

/**
 * A day the owner or a template typed: "2026-11-23", "23.11.2026", "today"/"сегодня",
 * "yesterday"/"вчера". Relative words resolve against the shop's today, never the server's.
 */
export function parseDayInput(raw: string, today: LocalDay): LocalDay | null {
  const s = raw.trim().toLowerCase();
  if (s === "today" || s === "сегодня" || s === "@today") return today;
  if (s === "yesterday" || s === "вчера" || s === "@yesterday") return addDays(today, -1);
  if (isLocalDay(s)) return s;
  const ru = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(s);
  if (ru) {
    const iso = `${ru[3]}-${pad(Number(ru[2]))}-${pad(Number(ru[1]))}`;
    return isLocalDay(iso) ? iso : null;
  }
  return null;
}
