import { addDays, isLocalDay } from "../format/dates.ts";
import { resolveTimeZone } from "../format/time-zones.ts";
import type { TemplateInput } from "./types.ts";

// Answer parsers for template inputs. A failure says what was wrong and what to type instead;
// the flow keeps the step, so the owner just answers again.

export type ParseContext = { today: string; timeZone: string; currency: string };
export type Parsed = { ok: true; value: unknown } | { ok: false; error: string };

const ok = (value: unknown): Parsed => ({ ok: true, value });
const fail = (error: string): Parsed => ({ ok: false, error });

/** A fragment of the owner's answer that is safe to echo back. */
function quote(s: string): string {
  const t = s.replace(/[<>&]/g, "").trim();
  return `«${t.length > 24 ? `${t.slice(0, 23)}…` : t}»`;
}

const MAX_IDS = 200;
const ID_RE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

function ids(raw: string): Parsed {
  const parts = raw.split(/[\s,;]+/).filter((p) => p.length > 0);
  if (parts.length === 0) return fail("Не нашёл id. Пришлите id через запятую или пробел, например: 12, 15, 31.");
  const bad = parts.find((p) => !ID_RE.test(p));
  if (bad !== undefined) return fail(`${quote(bad)} не похоже на id: нужны буквы, цифры и дефис, например 12 или PRD-00012.`);
  const unique = [...new Set(parts.map((p) => p.toUpperCase()))];
  if (unique.length > MAX_IDS) return fail(`Слишком много id: ${unique.length}. За один раз можно до ${MAX_IDS}.`);
  return ok(unique);
}

function integer(raw: string, min: number, max: number, what: string, example: string): Parsed {
  const s = raw.replace(/[\s\u00a0]/g, "").replace(/[%шт.]+$/u, "");
  if (!/^[+-]?\d{1,9}$/.test(s)) return fail(`${quote(raw)} — не целое число. Нужно ${what} от ${min} до ${max}, например ${example}.`);
  const n = Number(s);
  if (n < min || n > max) return fail(`${n} не подходит: нужно ${what} от ${min} до ${max}, например ${example}.`);
  return ok(n);
}

function decimal(raw: string): number | undefined {
  const s = raw
    .replace(/[\s\u00a0]/g, "")
    .replace(/^минус/iu, "-")
    .replace(/^плюс/iu, "+")
    .replace(/[\u2212\u2013]/g, "-")
    .replace(/%$/, "")
    .replace(",", ".");
  return /^[+-]?\d{1,9}(?:\.\d{1,4})?$/.test(s) ? Number(s) : undefined;
}

function number(raw: string, min: number, max: number, example: string): Parsed {
  const n = decimal(raw);
  if (n === undefined) return fail(`${quote(raw)} — не число. Нужно число от ${min} до ${max}, например ${example}.`);
  if (n < min || n > max) return fail(`${n} не подходит: нужно от ${min} до ${max}, например ${example}.`);
  return ok(n);
}

/** PRC_BUMP: the tool wants a string; a minus lowers prices. */
function signedPercent(raw: string): Parsed {
  const n = decimal(raw);
  const hint = "Нужен процент от 0.1 до 95, с минусом — чтобы снизить: например 5 или -3.";
  if (n === undefined) return fail(`${quote(raw)} — не процент. ${hint}`);
  if (Math.abs(n) < 0.1 || Math.abs(n) > 95) return fail(`${n} % не подходит. ${hint}`);
  return ok(String(n));
}

const KEY_RE = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

function coerce(v: string): unknown {
  const s = v.trim();
  if (/^(true|да|yes|on)$/i.test(s)) return true;
  if (/^(false|нет|no|off)$/i.test(s)) return false;
  if (/^[+-]?\d+$/.test(s) && s.length < 16) return Number(s);
  if (/^[+-]?\d+[.,]\d+$/.test(s)) return Number(s.replace(",", "."));
  return s.replace(/^["']|["']$/g, "");
}

function jsonOrKv(raw: string): Parsed {
  const example = "Например: reprice_schedule_mode=daily, min_rate_delta_percent=0.5";
  const s = raw.trim();
  if (s.startsWith("{")) {
    let v: unknown;
    try {
      v = JSON.parse(s);
    } catch {
      return fail(`Это не JSON-объект. Пришлите {"ключ": значение} или пары ключ=значение. ${example}`);
    }
    if (typeof v !== "object" || v === null || Array.isArray(v) || Object.keys(v).length === 0) {
      return fail(`Нужен непустой JSON-объект. ${example}`);
    }
    const bad = Object.keys(v).find((k) => !KEY_RE.test(k));
    return bad === undefined ? ok(v) : fail(`Ключ ${quote(bad)} не подходит: латиница, цифры и _. ${example}`);
  }
  const out: Record<string, unknown> = {};
  for (const pair of s.split(/[,;\n]+/)) {
    if (pair.trim() === "") continue;
    const eq = pair.indexOf("=") >= 0 ? pair.indexOf("=") : pair.indexOf(":");
    if (eq <= 0) return fail(`${quote(pair)} — не пара ключ=значение. ${example}`);
    const key = pair.slice(0, eq).trim();
    if (!KEY_RE.test(key)) return fail(`Ключ ${quote(key)} не подходит: латиница, цифры и _. ${example}`);
    out[key] = coerce(pair.slice(eq + 1));
  }
  return Object.keys(out).length > 0 ? ok(out) : fail(`Пустой ответ. ${example}`);
}

function day(raw: string, c: ParseContext): Parsed {
  const s = raw.trim().toLowerCase();
  const hint = "Пришлите день как 15.11, 15.11.2026, 2026-11-15, «вчера» или «сегодня».";
  let d: string | undefined;
  if (s === "сегодня" || s === "today" || s === "@today") d = c.today;
  else if (s === "вчера" || s === "yesterday" || s === "@yesterday") d = addDays(c.today, -1);
  else if (/^\d{4}-\d{2}-\d{2}$/.test(s)) d = s;
  else {
    const m = /^(\d{1,2})[./](\d{1,2})(?:[./](\d{2}|\d{4}))?$/.exec(s);
    if (m) {
      const year = m[3] === undefined ? Number(c.today.slice(0, 4)) : Number(m[3]) + (m[3].length === 2 ? 2000 : 0);
      d = `${year}-${m[2]?.padStart(2, "0")}-${m[1]?.padStart(2, "0")}`;
      if (m[3] === undefined && d > c.today) d = `${year - 1}${d.slice(4)}`;
    }
  }
  if (d === undefined || !isLocalDay(d)) return fail(`Не понял дату ${quote(raw)}. ${hint}`);
  if (d > c.today) return fail(`Дата ${quote(raw)} ещё не наступила. ${hint}`);
  return ok(d);
}

function time(raw: string): Parsed {
  const m = /^(\d{1,2})(?:[:.\s]?(\d{2}))?$/.exec(raw.trim());
  const h = m ? Number(m[1]) : NaN;
  const min = m?.[2] === undefined ? 0 : Number(m[2]);
  if (!m || h > 23 || min > 59) return fail(`Не понял время ${quote(raw)}. Нужно ЧЧ:ММ, например 09:30.`);
  return ok(`${String(h).padStart(2, "0")}:${String(min).padStart(2, "0")}`);
}

function choice(raw: string, input: TemplateInput): Parsed {
  const s = raw.trim().toLowerCase();
  for (const v of input.choices ?? []) if (v.toLowerCase() === s) return ok(v);
  for (const p of input.presets ?? []) if (p.text.toLowerCase() === s) return ok(p.value);
  const options = (input.presets ?? []).map((p) => p.text).join(", ");
  return fail(`${quote(raw)} — нет такого варианта. Выберите: ${options}.`);
}

/** A city («Москва», "Berlin") or an IANA name, stored as the IANA name. */
function tz(raw: string, c: ParseContext): Parsed {
  const zone = raw.trim() === "@tz" ? c.timeZone : resolveTimeZone(raw);
  return zone
    ? ok(zone)
    : fail(
        `Не знаю часовой пояс ${quote(raw)}. Напишите город — Москва, Екатеринбург, Новосибирск, Berlin — или пояс вроде Europe/Moscow.`,
      );
}

const WEEKDAY_STEMS = [
  ["пон", "пн", "mon"],
  ["вт", "tue"],
  ["ср", "wed"],
  ["чет", "чт", "thu"],
  ["пят", "пт", "fri"],
  ["суб", "сб", "sat"],
  ["вос", "вс", "sun"],
];

/** Monday = 0 … Sunday = 6, as the weekly schedule stores it. */
function weekday(raw: string): Parsed {
  const s = raw.trim().toLowerCase().replace(/ё/g, "е");
  if (/^[0-6]$/.test(s)) return ok(Number(s));
  const i = WEEKDAY_STEMS.findIndex((stems) => stems.some((st) => s.startsWith(st)));
  return i >= 0 ? ok(i) : fail(`Не понял день недели ${quote(raw)}. Напишите, например, «понедельник» или «пт».`);
}

const YES = /^(да|д|yes|y|true|вкл|включить|\+|1)$/iu;
const NO = /^(нет|н|no|n|false|выкл|выключить|-|0)$/iu;

export function parseAnswer(input: TemplateInput, raw: string, c: ParseContext): Parsed {
  // A typed button label («Пн», «Каждый день») means that button.
  const typed = raw.trim().toLowerCase();
  const preset = input.presets?.find((p) => !p.text.startsWith("@") && p.text.toLowerCase() === typed);
  if (preset && preset.value !== raw) return parseAnswer(input, preset.value, c);
  const example = input.presets?.[0]?.value ?? String(input.min ?? 1);
  switch (input.parser) {
    case "ids":
      return ids(raw);
    case "int":
      return integer(raw, input.min ?? -1e9, input.max ?? 1e9, "целое число", example);
    case "percent_1_95":
      return integer(raw, 1, 95, "процент", "10");
    case "stock_1_9999":
      return integer(raw, 1, 9999, "количество штук", "5");
    case "signed_percent":
      return signedPercent(raw);
    case "number":
      return number(raw, input.min ?? -1e9, input.max ?? 1e9, example);
    case "json_or_kv":
      return jsonOrKv(raw);
    case "order_id": {
      const m = /^(?:заказ\s*)?(?:ob\s?-?\s?|#|№\s*)?(\d{1,12})$/iu.exec(raw.trim());
      return m?.[1]
        ? ok(`OB-${m[1].replace(/^0+(?=\d)/, "")}`)
        : fail(`Не понял номер заказа ${quote(raw)}. Пришлите число, например 1234 или OB-1234.`);
    }
    case "day":
      return day(raw, c);
    case "time_hhmm":
      return time(raw);
    case "choice":
      return choice(raw, input);
    case "tz":
      return tz(raw, c);
    case "bool":
      return YES.test(raw.trim()) ? ok(true) : NO.test(raw.trim()) ? ok(false) : fail("Ответьте «да» или «нет».");
    case "currency": {
      const s = raw.trim() === "@currency" ? c.currency : raw.trim();
      return /^[A-Za-z]{3}$/.test(s)
        ? ok(s.toUpperCase())
        : fail(`${quote(raw)} — не код валюты. Нужны три латинские буквы, например USD.`);
    }
    case "weekday":
      return weekday(raw);
    case "code": {
      const s = raw.trim();
      return /^[A-Za-z0-9_-]{3,64}$/.test(s)
        ? ok(s.toUpperCase())
        : fail(`${quote(raw)} не подходит: код — от 3 до 64 символов, латиница, цифры, - и _. Например SPRING10.`);
    }
    case "str": {
      const s = raw.trim();
      const max = input.maxLength ?? 1000;
      if (s.length === 0) return fail("Пустой ответ — напишите текстом.");
      if (s.length > max) return fail(`Слишком длинно: ${s.length} символов, можно до ${max}.`);
      return ok(s);
    }
  }
}
