// Text preparation shared by the router, the period grammar and the extractors.
//
// Two views of one message travel together: `clean` keeps the owner's letters (messages, reasons,
// coupon codes and search queries are cut from it) and `norm` is the lower-cased view that the
// rules match. They have the same length, so an offset found in `norm` slices `clean`; that is why
// typos are tolerated inside the rules' patterns rather than rewritten here.

/** Owner phrases are short; anything past this is a paste and is not worth scanning. */
export const MAX_ROUTED_CHARS = 1000;
/** Raw input looked at before invisible characters are dropped (a 10k blob of zero-width spaces). */
const MAX_RAW_SCAN = 4000;

// Zero-width characters, bidi controls and the BOM are invisible and split keywords when pasted.
const INVISIBLE = /[\u00AD\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u206F\uFEFF]/g;
// eslint-disable-next-line no-control-regex -- removing control characters is the point
const CONTROL_OR_SPACE = /[\u0000-\u001F\u007F-\u009F\s]+/gu;
const DASHES = /[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]/g;
// Punctuation that never carries meaning for routing becomes a space, one char for one char.
const NOISE = /[?!;"«»“”„‘’'()[\]{}…*~|<>^`\\]/g;
const YO = /ё/g;

/** `cut` is true when the message was longer than MAX_ROUTED_CHARS and only its start was kept. */
export type Prepared = { clean: string; norm: string; cut: boolean };

// For command arguments: line breaks survive (a /notify message keeps its lines), the rest goes.
// eslint-disable-next-line no-control-regex -- removing control characters is the point
const CONTROL_OR_BLANK = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F]|[^\S\n]+/gu;
const BLANK_LINES = /\n\s*\n(?:\s*\n)+/g;

/** The owner's text without invisible and control characters, whitespace collapsed. */
export function cleanText(raw: string, opts: { keepLines?: boolean } = {}): string {
  const head = (raw.length > MAX_RAW_SCAN ? raw.slice(0, MAX_RAW_SCAN) : raw).replace(INVISIBLE, "");
  const flat = opts.keepLines
    ? head
        .replace(/\r\n?/g, "\n")
        .replace(CONTROL_OR_BLANK, " ")
        .replace(/ ?\n ?/g, "\n")
        .replace(BLANK_LINES, "\n\n")
    : head.replace(CONTROL_OR_SPACE, " ");
  return flat.replace(DASHES, "-").trim();
}

export function prepare(raw: string): Prepared {
  let clean = cleanText(raw);
  const cut = clean.length > MAX_ROUTED_CHARS;
  if (cut) clean = clean.slice(0, MAX_ROUTED_CHARS);
  const norm = clean.toLowerCase().replace(YO, "е").replace(NOISE, " ");
  // A few letters (e.g. "İ") grow when lower-cased; then offsets no longer line up, and the
  // lower-cased text is used for both views rather than slicing the wrong characters.
  if (norm.length !== clean.length) clean = norm;
  return { clean, norm, cut };
}

// The letters a rule can meet in `norm`: lower-case Latin and Cyrillic (ё is already е), digits.
// A narrow class instead of \p{L} keeps the ~150 patterns cheap to compile: \p{L} inside
// lookbehinds made the first routing calls cost milliseconds each.
const WORD_CHAR = "a-z0-9а-яіїєґў";
const L = `[${WORD_CHAR}]`;
const IN_CLASS = /\[([^\]]*?)\\p\{L\}([^\]]*)\]/g;
// JavaScript's \b only knows ASCII letters; Russian words need their own boundary. A \b in front
// of a word is "no letter before", one after a word is "no letter after": one lookaround each.
const WORD_START = `(?<!${L})`;
const WORD_END = `(?!${L})`;
const STARTS_WORD = /^(?:[a-zа-я0-9([{]|\\d)/u;

function boundary(src: string, at: number): string {
  return STARTS_WORD.test(src.slice(at + 2, at + 4)) ? WORD_START : WORD_END;
}

const UNITS: Record<string, number> = {
  один: 1,
  одна: 1,
  одну: 1,
  одного: 1,
  одной: 1,
  пару: 2,
  пара: 2,
  два: 2,
  две: 2,
  двух: 2,
  двое: 2,
  три: 3,
  трех: 3,
  трое: 3,
  четыре: 4,
  четырех: 4,
  пять: 5,
  пяти: 5,
  шесть: 6,
  шести: 6,
  семь: 7,
  семи: 7,
  восемь: 8,
  восьми: 8,
  девять: 9,
  девяти: 9,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
};
const TEENS: Record<string, number> = {
  десять: 10,
  десяти: 10,
  одиннадцать: 11,
  двенадцать: 12,
  тринадцать: 13,
  четырнадцать: 14,
  пятнадцать: 15,
  шестнадцать: 16,
  семнадцать: 17,
  восемнадцать: 18,
  девятнадцать: 19,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
};
const TENS: Record<string, number> = {
  двадцать: 20,
  двадцати: 20,
  тридцать: 30,
  тридцати: 30,
  сорок: 40,
  пятьдесят: 50,
  шестьдесят: 60,
  девяносто: 90,
  сто: 100,
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  ninety: 90,
};
const WORD_VALUE: Record<string, number> = { ...UNITS, ...TEENS, ...TENS };

const alt = (words: string[]): string => words.sort((a, b) => b.length - a.length).join("|");
const UNIT_ALT = alt(Object.keys(UNITS));
/** A number as digits or as words ("три", "двадцать пять", "two"); read it with `toInt`. */
export const NUM_SRC = `(?:\\d{1,6}|(?:${alt(Object.keys(TENS))})(?: (?:${UNIT_ALT}))?|${alt(Object.keys(TEENS))}|${UNIT_ALT})`;

export function toInt(s: string): number | undefined {
  if (/^\d+$/.test(s)) return Number(s);
  let total = 0;
  for (const w of s.split(" ")) {
    const v = WORD_VALUE[w];
    if (v === undefined) return undefined;
    total += v;
  }
  return total;
}

/**
 * Builds a regex from a readable source: `\b` becomes a Latin/Cyrillic word boundary, `\p{L}` a
 * Latin/Cyrillic letter and `{NUM}` a number in digits or words. Compile once at module load.
 */
export function rx(source: string, flags = ""): RegExp {
  const src = source
    .replace(IN_CLASS, (_, a: string, b: string) => `[${a}${WORD_CHAR}${b}]`)
    .replaceAll("\\p{L}", L)
    .replace(/\\b/g, (_m, at: number, whole: string) => boundary(whole, at))
    .replaceAll("{NUM}", NUM_SRC);
  return new RegExp(src, `u${flags}`);
}

/** The message without trailing punctuation and doubled spaces, for whole-phrase lookups. */
export function phraseKey(norm: string): string {
  return norm
    .replace(/[\s.,:-]+$/u, "")
    .replace(/\s+/gu, " ")
    .trim();
}

/** Drops separators a message or reason tends to start with ("— текст", ": текст"). */
export function trimLead(s: string): string {
  return s.replace(/^[\s,.:;\-–—]+/u, "").trim();
}

/** A user fragment that is safe to echo back in any parse mode. */
export function echo(s: string, max = 40): string {
  const safe = s.replace(/[<>&]/g, "").trim();
  return safe.length > max ? `${safe.slice(0, max - 1)}…` : safe;
}
