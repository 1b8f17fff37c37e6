import type { Button, Reply, ShopSettings } from "../contract.ts";
import { addDays } from "../format/dates.ts";
import { timeZoneLabel } from "../format/time-zones.ts";
import { shopToday } from "../intent/period.ts";
import { nav, rows } from "../ui/keyboard.ts";
import { getTemplate } from "./catalog.ts";
import { parseAnswer, type ParseContext } from "./parsers.ts";
import type { TemplateDef, TemplatePresentation } from "./types.ts";

// The template input flow as pure functions. The worker keeps `state` in Redis under the owner's
// key with TEMPLATE_STATE_TTL_SECONDS and passes it back with the next answer; everything else
// (which step, what was typed, what to run) is decided here.

export const TEMPLATE_STATE_TTL_SECONDS = 900;

export type TemplateContext = { shop: ShopSettings; now: Date };

/** Small enough for a Redis string: the template, the step being asked, the answers so far. */
export type TemplateState = { v: 1; id: string; step: number; answers: Record<string, unknown> };

export type TemplateRun = {
  kind: "run";
  templateId: string;
  tool: string;
  input: Record<string, unknown>;
  presentation?: TemplatePresentation;
  /** ACTION templates go through preview → confirm; the pipeline adds dry_run. */
  action: boolean;
};
export type TemplateAsk = { kind: "ask"; state: TemplateState; reply: Reply };
/** A bad answer keeps `state` (same step); an unusable state or id has none. */
export type TemplateError = { kind: "error"; reply: Reply; state?: TemplateState };
export type TemplateCancelled = { kind: "cancelled"; reply: Reply };
export type TemplateStep = TemplateRun | TemplateAsk | TemplateError;

/** Typed text, or a preset button (`tpl:ps:<id>:<step>:<index>`) the worker decoded. */
export type TemplateAnswer = string | { id: string; step: number; preset: number };

const CANCEL_WORDS = /^\s*\/?(?:отмена|отменить|cancel|стоп|stop)\s*$/iu;

function tokens(ctx: TemplateContext): Record<string, unknown> {
  const today = shopToday(ctx.now, ctx.shop.timeZone);
  return {
    "@today": today,
    "@yesterday": addDays(today, -1),
    "@now": ctx.now.toISOString(),
    "@tz": ctx.shop.timeZone,
    "@tz_label": `Как у магазина (${timeZoneLabel(ctx.shop.timeZone)})`,
    "@currency": ctx.shop.currency,
  };
}

/** Replaces whole-string tokens in defaults; they resolve at run time, in the shop's zone. */
function resolve(values: Record<string, unknown>, t: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) out[k] = typeof v === "string" && v in t ? t[v] : v;
  return out;
}

function parseContext(ctx: TemplateContext): ParseContext {
  return { today: shopToday(ctx.now, ctx.shop.timeZone), timeZone: ctx.shop.timeZone, currency: ctx.shop.currency };
}

/** Answers keyed "updates.x" go into the object `updates` of the tool input. */
function nest(answers: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(answers)) {
    const [head, sub] = k.split(".", 2) as [string, string | undefined];
    if (sub === undefined) out[k] = v;
    else out[head] = { ...(out[head] ?? {}), [sub]: v };
  }
  return out;
}

function run(def: TemplateDef, answers: Record<string, unknown>, ctx: TemplateContext): TemplateRun {
  const out: TemplateRun = {
    kind: "run",
    templateId: def.id,
    tool: def.tool,
    input: { ...resolve(def.defaults, tokens(ctx)), ...nest(answers) },
    action: def.kind === "ACTION",
  };
  if (def.presentation) out.presentation = def.presentation;
  return out;
}

function promptButtons(def: TemplateDef, step: number, ctx: TemplateContext): Button[][] {
  const t = tokens(ctx);
  const seen = new Set<string>();
  const presets: Button[] = [];
  (def.inputs[step]?.presets ?? []).forEach((p, i) => {
    // "@currency" next to a fixed list may name one of its entries: offer each answer once.
    const value = p.value in t ? String(t[p.value]) : p.value;
    if (seen.has(value)) return;
    seen.add(value);
    presets.push(nav(p.text in t ? String(t[p.text]) : p.text, `tpl:ps:${def.id}:${step}:${i}`));
  });
  return [...rows(presets, 3), [nav("✖️ Отмена", "tpl:cancel")]];
}

function promptText(def: TemplateDef, step: number): string {
  const input = def.inputs[step];
  const n = def.inputs.length;
  const head = n > 1 ? `Шаг ${step + 1} из ${n}: ` : "";
  return `🧩 ${def.title}\n${head}${input?.prompt ?? ""}`;
}

function ask(def: TemplateDef, step: number, answers: Record<string, unknown>, ctx: TemplateContext): TemplateAsk {
  return {
    kind: "ask",
    state: { v: 1, id: def.id, step, answers },
    reply: { text: promptText(def, step), buttons: promptButtons(def, step, ctx) },
  };
}

function gone(text: string): TemplateError {
  return { kind: "error", reply: { text, buttons: [[nav("🧩 Шаблоны", "templates"), nav("🏠 Домой", "home")]] } };
}

export function startTemplate(id: string, ctx: TemplateContext): TemplateStep {
  const def = getTemplate(id);
  if (!def) return gone("Такого шаблона нет. Откройте список шаблонов.");
  return def.inputs.length === 0 ? run(def, {}, ctx) : ask(def, 0, {}, ctx);
}

function validState(state: unknown): (TemplateState & { def: TemplateDef }) | undefined {
  if (typeof state !== "object" || state === null) return undefined;
  const s = state as Partial<TemplateState>;
  if (s.v !== 1 || typeof s.id !== "string" || typeof s.step !== "number" || !Number.isInteger(s.step)) return undefined;
  if (typeof s.answers !== "object" || s.answers === null || Array.isArray(s.answers)) return undefined;
  const def = getTemplate(s.id);
  if (!def || s.step < 0 || s.step >= def.inputs.length) return undefined;
  return { v: 1, id: s.id, step: s.step, answers: s.answers, def };
}

/** Applies one answer to a pending template: the next question, the run, or what to fix. */
export function feedTemplate(state: unknown, answer: TemplateAnswer, ctx: TemplateContext): TemplateStep | TemplateCancelled {
  if (typeof answer === "string" && CANCEL_WORDS.test(answer)) {
    return {
      kind: "cancelled",
      reply: { text: "Ок, отменил ввод.", buttons: [[nav("🧩 Шаблоны", "templates"), nav("🏠 Домой", "home")]] },
    };
  }
  const s = validState(state);
  if (!s) return gone("Этот ввод уже закрыт или устарел. Запустите шаблон заново.");
  const input = s.def.inputs[s.step];
  if (!input) return gone("Этот ввод уже закрыт или устарел. Запустите шаблон заново.");
  let raw: string;
  if (typeof answer === "string") raw = answer;
  else {
    const preset = input.presets?.[answer.preset];
    if (answer.id !== s.id || answer.step !== s.step || !preset) {
      return {
        kind: "error",
        state: stripDef(s),
        reply: { text: `Эта кнопка от другого шага.\n\n${promptText(s.def, s.step)}`, buttons: promptButtons(s.def, s.step, ctx) },
      };
    }
    raw = preset.value;
  }
  const parsed = parseAnswer(input, raw, parseContext(ctx));
  if (!parsed.ok) {
    return {
      kind: "error",
      state: stripDef(s),
      reply: { text: `⚠️ ${parsed.error}\n\n${promptText(s.def, s.step)}`, buttons: promptButtons(s.def, s.step, ctx) },
    };
  }
  const answers = { ...s.answers, [input.key]: parsed.value };
  const next = s.step + 1;
  return next < s.def.inputs.length ? ask(s.def, next, answers, ctx) : run(s.def, answers, ctx);
}

function stripDef(s: TemplateState & { def: TemplateDef }): TemplateState {
  return { v: 1, id: s.id, step: s.step, answers: s.answers };
}

/**
 * Runs a template with answers given up front (e.g. "/tpl_bump 5"): each given answer is parsed
 * as if typed; the first missing one is asked for.
 */
export function runTemplateWith(id: string, raw: Record<string, string>, ctx: TemplateContext): TemplateStep {
  const def = getTemplate(id);
  if (!def) return gone("Такого шаблона нет. Откройте список шаблонов.");
  let step: TemplateStep | TemplateCancelled = startTemplate(id, ctx);
  while (step.kind === "ask") {
    const key = def.inputs[step.state.step]?.key ?? "";
    const value = raw[key];
    if (value === undefined) return step;
    step = feedTemplate(step.state, value, ctx);
  }
  return step.kind === "cancelled" ? gone(step.reply.text) : step;
}
