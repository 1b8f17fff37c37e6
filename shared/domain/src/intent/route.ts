import { orderIdFrom } from "./extract.ts";
import { Message } from "./message.ts";
import { orderChoice, unknown } from "./replies.ts";
import type { Rule } from "./rule.ts";
import { ACTION_RULES, FX_STATUS_RULE } from "./rules-action.ts";
import { makePlanRule } from "./rules-plan.ts";
import { SETUP_RULES } from "./rules-setup.ts";
import { NOTIFY_FX_APPLY_RULE, NOTIFY_SETTINGS_RULE } from "./rules-notify.ts";
import { PERIOD_ONLY_RULE, READ_RULES } from "./rules-read.ts";
import { routeCommand } from "./slash.ts";
import { cleanText, MAX_ROUTED_CHARS, phraseKey } from "./text.ts";
import type { Intent, RouteContext } from "./types.ts";

// routeText: slash commands, then whole-phrase shortcuts, then the rules in priority order.
// Actions come before reads because an action phrase carries free text ("сообщи команде: склад
// пуст") that would otherwise look like a report request.

/** Rules in priority order. */
export const RULES: readonly Rule[] = [
  NOTIFY_FX_APPLY_RULE,
  // A plan ("… и сообщи команде") before its parts, which would each take the message alone.
  makePlanRule(ACTION_RULES),
  ...SETUP_RULES,
  ...ACTION_RULES,
  NOTIFY_SETTINGS_RULE,
  FX_STATUS_RULE,
  ...READ_RULES,
];

// Prefix → indexes of the rules that can match a word starting with it (built once).
const INDEX = new Map<string, number[]>();
RULES.forEach((rule, i) => {
  for (const key of rule.keys) {
    const list = INDEX.get(key) ?? [];
    if (!list.includes(i)) list.push(i);
    INDEX.set(key, list);
  }
});
const MAX_WORDS = 64;
const WORD = /[a-z0-9а-яіїєґў]+/g;
const DIGITS = /^\d+$/u;

/** Marks the rules that have a key starting one of the first words; returns them in order. */
function candidates(norm: string): number[] {
  const hit = new Uint8Array(RULES.length);
  let words = 0;
  WORD.lastIndex = 0;
  for (let m = WORD.exec(norm); m !== null && words < MAX_WORDS; m = WORD.exec(norm), words++) {
    const w = m[0];
    if (DIGITS.test(w)) {
      for (const i of INDEX.get("0") ?? []) hit[i] = 1;
      continue;
    }
    for (let len = 2; len <= 4 && len <= w.length; len++) {
      const list = INDEX.get(w.slice(0, len));
      if (list) for (const i of list) hit[i] = 1;
    }
    if (w.length === 1) for (const i of INDEX.get(w) ?? []) hit[i] = 1;
  }
  const out: number[] = [];
  for (let i = 0; i < hit.length; i++) if (hit[i] === 1) out.push(i);
  return out;
}

const ALL_RULES = RULES.map((_, i) => i);

type Shortcut = () => Intent;
const nav =
  (to: string): Shortcut =>
  () => ({ kind: "nav", to });
const help: Shortcut = () => ({ kind: "help" });

/** Whole messages that are a navigation word, a greeting or a cancel. */
const SHORTCUTS = new Map<string, Shortcut>([
  ...["меню", "menu", "главная", "домой", "home", "старт", "start", "начало", "панель"].map((w): [string, Shortcut] => [w, nav("home")]),
  ...[
    "помощь",
    "help",
    "справка",
    "что ты умеешь",
    "что умеешь",
    "команды",
    "commands",
    "примеры",
    "привет",
    "hi",
    "hello",
    "здравствуйте",
    "добрый день",
  ].map((w): [string, Shortcut] => [w, help]),
  ...["шаблоны", "templates", "пресеты", "кнопки"].map((w): [string, Shortcut] => [w, nav("templates")]),
  ...["отчеты", "отчет", "reports", "дай отчет", "покажи отчеты", "покажи отчет"].map((w): [string, Shortcut] => [w, nav("dash")]),
  ...["что горит", "горит", "пожары", "проблемы", "что не так"].map((w): [string, Shortcut] => [w, nav("focus:burn")]),
  ...["деньги", "финансы", "money"].map((w): [string, Shortcut] => [w, nav("focus:money")]),
  ...["товары", "каталог", "products", "catalog", "покажи товары", "мои товары", "список товаров"].map((w): [string, Shortcut] => [
    w,
    nav("products"),
  ]),
  ...["цены", "prices", "прайс"].map((w): [string, Shortcut] => [w, nav("prices")]),
  ...["скидки", "discounts"].map((w): [string, Shortcut] => [w, nav("tpl:cat:discounts:p:0")]),
  ...["луки", "looks"].map((w): [string, Shortcut] => [w, nav("tpl:cat:looks:p:0")]),
  ...["уведомления", "notifications", "оповещения"].map((w): [string, Shortcut] => [w, nav("notify")]),
  ...["настройки", "settings", "система", "system", "systems"].map((w): [string, Shortcut] => [w, nav("systems")]),
  ...["советник", "советы", "совет", "advisor"].map((w): [string, Shortcut] => [w, nav("advisor")]),
  ...["инструменты", "tools"].map((w): [string, Shortcut] => [w, nav("tools")]),
  ...["режим", "upstream"].map((w): [string, Shortcut] => [w, nav("upstream")]),
  ...["отмена", "отменить", "cancel", "стоп", "stop", "хватит"].map((w): [string, Shortcut] => [
    w,
    () => ({ kind: "command", name: "cancel", args: "" }),
  ]),
  ...["принято", "ack"].map((w): [string, Shortcut] => [w, () => ({ kind: "tool", tool: "ntf_escalation_ack", input: {} })]),
]);

const BARE_NUMBER = /^(?:№|#|ob-?)?\s?(\d{1,12})$/u;

function route(text: string, ctx: RouteContext, prefilter: boolean): Intent {
  if (typeof text !== "string") return unknown();
  const m = new Message(text, ctx);
  if (m.clean.startsWith("/")) {
    // Commands read the longer cleaned text: /notify may carry up to the tool's 1000 characters.
    const command = routeCommand(cleanText(text, { keepLines: true }), ctx);
    if (command) return command;
  }
  const key = phraseKey(m.norm);
  if (key === "") return unknown();
  const shortcut = SHORTCUTS.get(key);
  if (shortcut) return shortcut();
  for (const i of prefilter ? candidates(m.norm) : ALL_RULES) {
    const intent = RULES[i]?.run(m);
    if (intent) return intent;
  }
  const bare = BARE_NUMBER.exec(key);
  if (bare?.[1]) return orderChoice(orderIdFrom(bare[1]));
  return PERIOD_ONLY_RULE.run(m) ?? unknown();
}

/** The question a long paste ends with: its last line or sentence, when that is short. */
const LAST_SENTENCE_CHARS = 200;
function lastSentence(text: string): string | undefined {
  const tail = text.slice(-4 * LAST_SENTENCE_CHARS).trimEnd();
  const last = tail
    .split(/\n|(?<=[.!?…])\s+/u)
    .at(-1)
    ?.trim();
  return last && last.length > 0 && last.length <= LAST_SENTENCE_CHARS && last.length < tail.length ? last : undefined;
}

const withNote = (intent: Intent, note: string): Intent =>
  intent.kind === "tool" ? { ...intent, notes: [...(intent.notes ?? []), note] } : intent;

/**
 * A message longer than the router reads (a paste with a question): the question usually ends it,
 * so its last line or sentence is routed first; else its start, saying that only the start was read.
 * The owner always hears that the text was cut.
 */
function routeLong(text: string, ctx: RouteContext, prefilter: boolean): Intent {
  const size = text.length.toLocaleString("ru-RU").replace(/\s/g, "\u00a0");
  const last = lastSentence(text);
  if (last) {
    const intent = route(last, ctx, prefilter);
    if (intent.kind !== "unknown" && intent.kind !== "clarify")
      return withNote(intent, `Сообщение длинное (${size} симв.) — ответил на последнюю фразу: «${last}».`);
  }
  const start = route(text, ctx, prefilter);
  if (start.kind === "tool")
    return withNote(start, `Сообщение длинное (${size} симв.) — прочитал только первые ${MAX_ROUTED_CHARS} символов.`);
  if (start.kind !== "unknown") return start;
  return unknown(
    `📏 Сообщение очень длинное (${size} симв.): я читаю вопросы до ${MAX_ROUTED_CHARS} символов и здесь вопроса не нашёл. Напишите его отдельным сообщением — например «выручка за неделю».`,
  );
}

/**
 * The intent behind one owner message. Pure and synchronous; never throws (a routing bug becomes
 * the "не понял" reply, not a failed job); reads at most 1000 characters, and of a longer message
 * its last sentence or its start (routeLong).
 */
export function routeText(text: string, ctx: RouteContext): Intent {
  try {
    return isLong(text) ? routeLong(text, ctx, true) : route(text, ctx, true);
  } catch {
    return unknown();
  }
}

/** Longer than the router reads, and not a command (a command carries its own long argument). */
function isLong(text: string): boolean {
  if (typeof text !== "string" || text.length <= MAX_ROUTED_CHARS) return false;
  const clean = cleanText(text);
  return clean.length > MAX_ROUTED_CHARS && !clean.startsWith("/");
}

/** The same routing without the keyword prefilter: the benchmark's baseline and a test oracle. */
export function routeTextNaive(text: string, ctx: RouteContext): Intent {
  try {
    return route(text, ctx, false);
  } catch {
    return unknown();
  }
}
