import type { Preset, TemplateCategory, TemplateDef, TemplateInput, TemplateKind, TemplatePresentation } from "./types.ts";

// Compact constructors so each catalogue file reads as a table, one template per line.

export type Row = [
  id: string,
  kind: TemplateKind,
  tool: string,
  button: string,
  title: string,
  defaults?: Record<string, unknown>,
  extra?: { presentation?: TemplatePresentation; inputs?: TemplateInput[] },
];

/** A category's templates in display order; `order` steps by 10 so one can be slotted between. */
export function category(cat: TemplateCategory, rows: Row[]): TemplateDef[] {
  return rows.map(([id, kind, tool, button, title, defaults = {}, extra = {}], i) => {
    const def: TemplateDef = { id, category: cat, title, button, kind, tool, defaults, inputs: extra.inputs ?? [], order: (i + 1) * 10 };
    if (extra.presentation) def.presentation = extra.presentation;
    return def;
  });
}

const presets = (values: (string | [text: string, value: string])[]): Preset[] =>
  values.map((v) => (typeof v === "string" ? { text: v, value: v } : { text: v[0], value: v[1] }));

/** Input constructors, one per parser kind. */
export const ask = {
  str: (key: string, prompt: string, maxLength = 1000, p: (string | [string, string])[] = []): TemplateInput => ({
    key,
    prompt,
    parser: "str",
    maxLength,
    ...(p.length > 0 ? { presets: presets(p) } : {}),
  }),
  ids: (key: string, prompt: string): TemplateInput => ({ key, prompt, parser: "ids" }),
  int: (key: string, prompt: string, min: number, max: number, p: (string | [string, string])[] = []): TemplateInput => ({
    key,
    prompt,
    parser: "int",
    min,
    max,
    ...(p.length > 0 ? { presets: presets(p) } : {}),
  }),
  number: (key: string, prompt: string, min: number, max: number, p: string[] = []): TemplateInput => ({
    key,
    prompt,
    parser: "number",
    min,
    max,
    ...(p.length > 0 ? { presets: presets(p) } : {}),
  }),
  percent: (key: string, prompt: string, p: string[] = ["10", "15", "20", "30"]): TemplateInput => ({
    key,
    prompt,
    parser: "percent_1_95",
    presets: presets(p.map((v) => [`${v} %`, v])),
  }),
  stock: (key: string, prompt: string): TemplateInput => ({ key, prompt, parser: "stock_1_9999", presets: presets(["1", "3", "5", "10"]) }),
  signedPercent: (key: string, prompt: string, p: string[]): TemplateInput => ({
    key,
    prompt,
    parser: "signed_percent",
    presets: presets(p.map((v) => [`${v.startsWith("-") ? "−" + v.slice(1) : "+" + v} %`, v])),
  }),
  kv: (key: string, prompt: string): TemplateInput => ({ key, prompt, parser: "json_or_kv" }),
  orderId: (key: string, prompt: string): TemplateInput => ({ key, prompt, parser: "order_id" }),
  day: (key: string, prompt: string): TemplateInput => ({
    key,
    prompt,
    parser: "day",
    presets: presets([
      ["Вчера", "@yesterday"],
      ["Сегодня", "@today"],
    ]),
  }),
  time: (key: string, prompt: string, p: string[]): TemplateInput => ({ key, prompt, parser: "time_hhmm", presets: presets(p) }),
  choice: (key: string, prompt: string, choices: [text: string, value: string][]): TemplateInput => ({
    key,
    prompt,
    parser: "choice",
    choices: choices.map(([, v]) => v),
    presets: presets(choices),
  }),
  bool: (key: string, prompt: string): TemplateInput => ({
    key,
    prompt,
    parser: "bool",
    presets: presets([
      ["Да", "true"],
      ["Нет", "false"],
    ]),
  }),
  tz: (key: string, prompt: string): TemplateInput => ({ key, prompt, parser: "tz", presets: presets([["@tz_label", "@tz"], "UTC"]) }),
  currency: (key: string, prompt: string, p: string[]): TemplateInput => ({ key, prompt, parser: "currency", presets: presets(p) }),
  code: (key: string, prompt: string): TemplateInput => ({ key, prompt, parser: "code" }),
  /** A weekday, Monday = 0: a button, a name («понедельник», «пн», "monday") or 0–6. */
  weekday: (key: string, prompt: string, p: [string, string][]): TemplateInput => ({ key, prompt, parser: "weekday", presets: presets(p) }),
};
