import type { Button, Reply } from "../contract.ts";
import { formatDayShort, localDay } from "../format/dates.ts";
import { HOME, nav, rows } from "../ui/keyboard.ts";
import {
  isWizardCancel,
  parseCouponPercent,
  parseHours,
  parseIds,
  parseMessage,
  parseOrderId,
  parseSignedPercent,
  type WizardParsed,
} from "./wizard-parsers.ts";

// The parameter wizard (reference §9 step 1 and "Coercion"): an action asked for by text or by the
// LLM planner whose payload lacks a parameter the owner must choose is not previewed with a guess.
// The wizard asks for each missing field in turn (presets as buttons, a typed answer parsed), and
// when nothing is missing hands the completed payload to the normal preview. Pure: the worker
// keeps the state in Redis (WIZARD_TTL_SECONDS) and does the I/O.

export const WIZARD_TTL_SECONDS = 900;

export type WizardField = "percent_off" | "hours" | "bump_percent" | "discount_percent" | "message" | "order_id" | "product_ids";

export type WizardState = {
  v: 1;
  /** Short random id: a preset of another (older) wizard is not taken as an answer to this one. */
  id: string;
  tool: string;
  input: Record<string, unknown>;
  /** Every field this wizard asks (for the audit), and those still to ask: the first is being asked. */
  fields: WizardField[];
  missing: WizardField[];
  /** The direction the owner asked for («снизь цены» = −1), for unsigned answers. */
  sign?: 1 | -1;
};

export type WizardHint = { sign?: 1 | -1 };
export type WizardCtx = { now: Date; timeZone: string };

type FieldSpec = {
  question: (s: WizardState) => string;
  presets: (s: WizardState) => { label: string; value: string }[];
  parse: (raw: string, s: WizardState) => WizardParsed<unknown>;
  apply: (input: Record<string, unknown>, value: unknown, c: WizardCtx) => Record<string, unknown>;
};

const has = (input: Record<string, unknown>, key: string): boolean => input[key] !== undefined && input[key] !== "";

const FIELDS: Record<WizardField, FieldSpec> = {
  percent_off: {
    question: () => "🎟 Какую скидку дать по купону?",
    presets: () => [5, 10, 15, 20].map((n) => ({ label: `−${n} %`, value: String(n) })),
    parse: parseCouponPercent,
    apply: (i, v) => ({ ...i, percent_off: v }),
  },
  hours: {
    question: (s) => `🎟 Купон${typeof s.input.percent_off === "number" ? ` −${s.input.percent_off} %` : ""}: на какой срок?`,
    presets: () => [
      { label: "24 ч", value: "24" },
      { label: "48 ч", value: "48" },
      { label: "72 ч", value: "72" },
      { label: "Без срока", value: "none" },
    ],
    parse: parseHours,
    apply: (i, v, c) => (v === null ? { ...i } : { ...i, ends_at: new Date(c.now.getTime() + (v as number) * 3_600_000).toISOString() }),
  },
  bump_percent: {
    question: (s) =>
      s.sign === -1
        ? "💹 На сколько процентов снизить все цены?"
        : s.sign === 1
          ? "💹 На сколько процентов поднять все цены?"
          : "💹 На сколько процентов изменить все цены? Плюс — поднять, минус — снизить.",
    presets: (s) => {
      const signs: (1 | -1)[] = s.sign ? [s.sign] : [1, -1];
      return signs.flatMap((sg) => [3, 5, 10].map((n) => ({ label: `${sg < 0 ? "−" : "+"}${n} %`, value: String(sg * n) })));
    },
    parse: (raw, s) => parseSignedPercent(raw, s.sign ?? 1),
    apply: (i, v) => ({ ...i, bump_percent: v }),
  },
  discount_percent: {
    question: () => "🏷 Какой процент скидки?",
    presets: () => [10, 15, 20, 30].map((n) => ({ label: `−${n} %`, value: String(n) })),
    parse: parseCouponPercent,
    apply: (i, v) => ({ ...i, discount_percent: v }),
  },
  message: {
    question: () => "📣 Что написать команде? Пришлите текст сообщения одним сообщением.",
    presets: () => [],
    parse: parseMessage,
    apply: (i, v) => ({ ...i, message: v }),
  },
  order_id: {
    question: () => "🚩 Какой заказ? Пришлите номер, например 1234.",
    presets: () => [],
    parse: parseOrderId,
    apply: (i, v) => ({ ...i, order_id: v }),
  },
  product_ids: {
    question: () => "📦 Какие товары? Пришлите id через запятую, например 12, 13.",
    presets: () => [],
    parse: parseIds,
    apply: (i, v) => ({ ...i, product_ids: v }),
  },
};

type ToolSpec = {
  missing: (input: Record<string, unknown>) => WizardField[];
  /** Fills what follows from the answers (a coupon's code from its percent and the day). */
  finish?: (input: Record<string, unknown>, c: WizardCtx) => Record<string, unknown>;
};

const creating = (i: Record<string, unknown>): boolean => i.active !== false && i.active !== "false";

const TOOLS: Readonly<Record<string, ToolSpec>> = {
  create_coupon: {
    missing: (i) => {
      if (!creating(i)) return [];
      const out: WizardField[] = [];
      if (!has(i, "percent_off") && !has(i, "amount_off")) out.push("percent_off");
      if (!has(i, "ends_at") && !has(i, "starts_at")) out.push("hours");
      return out;
    },
    finish: (i, c) => {
      if (has(i, "code")) return i;
      const pct = typeof i.percent_off === "number" ? i.percent_off : "X";
      return { code: `SALE${pct}-${formatDayShort(localDay(c.now, c.timeZone)).replace(".", "")}`, ...i };
    },
  },
  sis_prices_bump: { missing: (i) => (has(i, "bump_percent") ? [] : ["bump_percent"]) },
  sis_discounts_set: {
    missing: (i) => (has(i, "discount_percent") ? [] : ["discount_percent"]),
  },
  notify_team: { missing: (i) => (has(i, "message") ? [] : ["message"]) },
  flag_order: { missing: (i) => (has(i, "order_id") ? [] : ["order_id"]) },
  adjust_price: { missing: (i) => (has(i, "mode") && has(i, "value") && !has(i, "product_ids") ? ["product_ids"] : []) },
};

/** The fields the wizard would ask for this payload (empty: preview it as it is). */
export function wizardMissing(tool: string, input: Record<string, unknown>): WizardField[] {
  return TOOLS[tool]?.missing(input) ?? [];
}

const PAYLOAD_KEYS: Readonly<Record<WizardField, readonly string[]>> = {
  percent_off: ["percent_off"],
  hours: ["ends_at"],
  bump_percent: ["bump_percent"],
  discount_percent: ["discount_percent"],
  message: ["message"],
  order_id: ["order_id"],
  product_ids: ["product_ids"],
};

/** The payload keys the wizard will fill for this payload (a coupon's code follows from its percent). */
export function wizardKeys(tool: string, input: Record<string, unknown>): string[] {
  const missing = wizardMissing(tool, input);
  if (missing.length === 0) return [];
  const keys = missing.flatMap((f) => PAYLOAD_KEYS[f]);
  return tool === "create_coupon" && !has(input, "code") ? [...keys, "code"] : keys;
}

export type WizardStep =
  | { kind: "ask"; state: WizardState; reply: Reply; field: WizardField }
  | { kind: "error"; state: WizardState; reply: Reply; field: WizardField }
  | { kind: "done"; tool: string; input: Record<string, unknown>; fields: WizardField[] }
  | { kind: "cancelled"; reply: Reply };

const CANCEL_BUTTON: Button = nav("✖ Отмена", "wizard:cancel");

/** The question for the first missing field, its presets and «✖ Отмена». */
export function wizardPrompt(s: WizardState, error?: string): Reply {
  const field = s.missing[0]!;
  const spec = FIELDS[field];
  const presets = spec.presets(s).map((p) => nav(p.label, `wizard:ps:${s.id}:${field}:${p.value}`));
  const hint = presets.length > 0 ? "Нажмите кнопку или напишите ответ" : "Напишите ответ";
  const head = error ? `⚠️ ${error}\n\n` : "";
  return {
    text: `${head}${spec.question(s)}\n${hint}; «отмена» — выйти.`,
    buttons: [...rows(presets, presets.length === 4 ? 2 : 3), [CANCEL_BUTTON]],
  };
}

/** Starts a wizard when the payload misses something; undefined when it is complete. */
export function startWizard(tool: string, input: Record<string, unknown>, id: string, hint: WizardHint = {}): WizardStep | undefined {
  const missing = wizardMissing(tool, input);
  if (missing.length === 0) return undefined;
  const state: WizardState = { v: 1, id, tool, input, fields: missing, missing, ...(hint.sign ? { sign: hint.sign } : {}) };
  return { kind: "ask", state, reply: wizardPrompt(state), field: missing[0]! };
}

export type WizardAnswer = { text: string } | { preset: { id: string; field: string; value: string } };

/** Feeds one answer; a preset of another wizard or field is refused without touching the state. */
export function feedWizard(s: WizardState, answer: WizardAnswer, c: WizardCtx): WizardStep {
  const field = s.missing[0]!;
  let raw: string;
  if ("text" in answer) {
    if (isWizardCancel(answer.text))
      return { kind: "cancelled", reply: { text: "✖ Отменено: действие не запускалось.", buttons: [[HOME]] } };
    raw = answer.text;
  } else {
    if (answer.preset.id !== s.id || answer.preset.field !== field)
      return { kind: "error", state: s, reply: wizardPrompt(s, "Эта кнопка от прошлого вопроса."), field };
    raw = answer.preset.value;
  }
  const spec = FIELDS[field];
  const parsed = spec.parse(raw, s);
  if (!parsed.ok) return { kind: "error", state: s, reply: wizardPrompt(s, parsed.error), field };
  const input = spec.apply(s.input, parsed.value, c);
  const missing = s.missing.slice(1);
  if (missing.length === 0) {
    const done = TOOLS[s.tool]?.finish?.(input, c) ?? input;
    return { kind: "done", tool: s.tool, input: done, fields: s.fields };
  }
  const next: WizardState = { ...s, input, missing };
  return { kind: "ask", state: next, reply: wizardPrompt(next), field: missing[0]! };
}

/** A stored state read back from Redis (anything else is treated as no wizard). */
export function isWizardState(v: unknown): v is WizardState {
  const s = v as Partial<WizardState> | null;
  return (
    typeof s === "object" &&
    s !== null &&
    s.v === 1 &&
    typeof s.id === "string" &&
    typeof s.tool === "string" &&
    typeof s.input === "object" &&
    Array.isArray(s.fields) &&
    Array.isArray(s.missing) &&
    s.missing.length > 0 &&
    s.missing.every((f) => typeof f === "string" && f in FIELDS)
  );
}
