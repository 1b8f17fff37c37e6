import type { z } from "zod";
import type { PresentedTool, Presenter, Reply, ToolContext, ToolDef, ToolResult, ToolWarning } from "../contract.ts";
import { isAppError, type AppErrorCode } from "@ownerbot/core/errors";
import { splitMessage, TELEGRAM_TEXT_LIMIT } from "../format/text.ts";
import { validationMessage } from "./validation.ts";

// One table of tools: run them by name with raw input, never throwing into the chat, and render
// their results or errors as replies that fit Telegram.

export type ToolErrorCode = AppErrorCode;

export type ToolError = {
  code: ToolErrorCode;
  /** Russian, for the owner: which parameter is wrong and what is allowed, or what went wrong. */
  message: string;
  retryable: boolean;
  details?: Record<string, unknown>;
};

export type ToolOutcome<O = unknown> =
  | { ok: true; tool: ToolDef; input: unknown; result: ToolResult<O>; durationMs: number }
  | { ok: false; tool: ToolDef | undefined; name: string; error: ToolError; durationMs: number };

export type ToolInfo = Pick<ToolDef, "name" | "version" | "kind" | "title" | "description">;

/** Runs tools by name: enough for code that reads their data (digest parts, scheduler checks). */
export type ToolRunner = {
  get: (name: string) => ToolDef | undefined;
  list: () => ToolInfo[];
  run: (name: string, rawInput: unknown, ctx: ToolContext) => Promise<ToolOutcome>;
};

/** A runner that also renders its outcomes for the owner, each with its tool's presenter. */
export type ToolRegistry = ToolRunner & { present: (outcome: ToolOutcome, ctx: ToolContext) => Reply[] };

declare const output: unique symbol;
/** An erased tool that still remembers, for the type checker only, what its `run` returns. */
export type TypedTool<O> = ToolDef & { readonly [output]?: O };

/** Erases a tool's precise input/output types so tools of all shapes sit in one table. */
export function defineTool<I extends z.ZodType, O>(def: ToolDef<I, O>): TypedTool<O> {
  return def as unknown as TypedTool<O>;
}

/** Pairs a tool with its presenter; the presenter must read what the tool returns. */
export function presented<O>(tool: TypedTool<O>, present: Presenter<O>): PresentedTool {
  return { ...tool, present: present as Presenter };
}

export function createRunner(defs: readonly ToolDef[]): ToolRunner {
  const byName = new Map<string, ToolDef>();
  for (const d of defs) {
    if (byName.has(d.name)) throw new Error(`tool ${d.name} is declared twice`);
    byName.set(d.name, d);
  }
  return {
    get: (name) => byName.get(name),
    list: () =>
      [...byName.values()]
        .map(({ name, version, kind, title, description }) => ({ name, version, kind, title, description }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    run: (name, rawInput, ctx) => runWith(byName, name, rawInput, ctx),
  };
}

export function createRegistry(defs: readonly PresentedTool[]): ToolRegistry {
  const presenters = new Map(defs.map((d) => [d.name, d.present]));
  return { ...createRunner(defs), present: (outcome, ctx) => presentOutcome(outcome, ctx, presenters.get(outcome.tool?.name ?? "")) };
}

async function runWith(byName: Map<string, ToolDef>, name: string, rawInput: unknown, ctx: ToolContext): Promise<ToolOutcome> {
  const started = performance.now();
  const ms = (): number => Math.round((performance.now() - started) * 10) / 10;
  const tool = byName.get(name);
  if (!tool) {
    return {
      ok: false,
      tool: undefined,
      name,
      error: { code: "UNKNOWN_TOOL", message: `Инструмента «${name}» нет. Список: /tools`, retryable: false },
      durationMs: ms(),
    };
  }
  const raw = rawInput ?? {};
  const parsed = tool.input.safeParse(raw);
  if (!parsed.success) {
    return {
      ok: false,
      tool,
      name,
      error: { code: "VALIDATION_ERROR", message: validationMessage(parsed.error, tool.input, raw), retryable: false },
      durationMs: ms(),
    };
  }
  try {
    const result = await tool.run(parsed.data, ctx);
    result.warnings = [...result.warnings, ...checkProvenance(result)];
    result.input = parsed.data as Record<string, unknown>;
    return { ok: true, tool, input: parsed.data, result, durationMs: ms() };
  } catch (e) {
    return { ok: false, tool, name, error: toToolError(e, tool), durationMs: ms() };
  }
}

const PG_UNAVAILABLE = /^(08|53|57P0)/;

function toToolError(e: unknown, tool: ToolDef): ToolError {
  if (isAppError(e)) {
    return { code: e.code, message: e.message, retryable: e.retryable, ...(e.details ? { details: e.details } : {}) };
  }
  const err = e as { code?: string; message?: string };
  if (typeof err?.code === "string" && (PG_UNAVAILABLE.test(err.code) || err.code === "ECONNREFUSED" || err.code === "57014")) {
    return {
      code: "UPSTREAM_UNAVAILABLE",
      message: "Данные магазина сейчас недоступны. Попробуйте через минуту.",
      retryable: true,
      details: { cause: err.code },
    };
  }
  return {
    code: "INTERNAL",
    message: `Не получилось выполнить «${tool.title}»: внутренняя ошибка.`,
    retryable: false,
    details: { cause: String(err?.message ?? e).slice(0, 300) },
  };
}

/**
 * The reference's verifier, kept: numbers without a named source, or without the period they cover,
 * are flagged rather than trusted silently.
 */
export function checkProvenance(result: ToolResult): ToolWarning[] {
  if (!hasNumbers(result.data, 0)) return [];
  if (result.provenance.sources.length === 0) {
    return [{ code: "PROVENANCE_MISSING", message: "У чисел не указан источник данных" }];
  }
  if (!result.provenance.window) {
    return [{ code: "PROVENANCE_INCOMPLETE", message: "У чисел не указан период" }];
  }
  return [];
}

export function hasNumbers(v: unknown, depth = 0): boolean {
  if (typeof v === "number") return true;
  if (depth > 4 || v === null || typeof v !== "object" || v instanceof Date) return false;
  const values = Array.isArray(v) ? v.slice(0, 20) : Object.values(v).slice(0, 50);
  return values.some((x) => hasNumbers(x, depth + 1));
}

/** Tool badge of the reference's quality header: low / med / high. */
export function qualityOf(outcome: ToolOutcome): "low" | "med" | "high" {
  if (!outcome.ok) return "low";
  const r = outcome.result;
  if (r.provenance.sources.length === 0) return "low";
  if (r.warnings.length > 0 || !r.provenance.window) return "med";
  return "high";
}

export function presentError(error: ToolError, title?: string): Reply {
  const icon = error.code === "UPSTREAM_UNAVAILABLE" ? "🔌" : error.code === "NOT_FOUND" ? "🔎" : "⚠️";
  return { text: `${icon} ${title ? `${title}: ` : ""}${error.message}` };
}

/** Renders an outcome; a presenter bug (or a tool without one) degrades to a short notice instead of a silent chat. */
export function presentOutcome(outcome: ToolOutcome, ctx: ToolContext, present: Presenter | undefined): Reply[] {
  if (!outcome.ok) return [presentError(outcome.error, outcome.tool?.title)];
  let replies: Reply[];
  try {
    if (!present) throw new Error(`tool ${outcome.tool.name} has no presenter here`);
    replies = present(outcome.result, ctx);
  } catch {
    replies = [{ text: `⚠️ ${outcome.tool.title}: данные получены, но показать их не удалось.` }];
  }
  return fitTelegram(replies);
}

/** Splits any reply over 4096 characters; its buttons stay with the last part. */
export function fitTelegram(replies: Reply[]): Reply[] {
  const out: Reply[] = [];
  for (const r of replies) {
    const parts = splitMessage(r.text, TELEGRAM_TEXT_LIMIT);
    if (parts.length === 1) {
      out.push(r);
      continue;
    }
    // Only the first part can replace the clicked message; the rest are new messages.
    parts.forEach((text, i) => {
      const { editInPlace, ...rest } = r;
      const base = i === parts.length - 1 ? { ...rest, text } : { text };
      out.push(i === 0 && editInPlace ? { ...base, editInPlace } : base);
    });
  }
  return out;
}

/**
 * Answers about what the owner asked rather than about the bot: an order number that does not
 * exist, a date or parameter that is wrong, a report this version does not have. They are audited
 * as ordinary tool calls (with their code), so /errors, the ops report and the error counts of the
 * digest and retro show only what went wrong in the bot or its upstreams.
 */
export const OWNER_SIDE_CODES: ReadonlySet<string> = new Set<ToolErrorCode>([
  "NOT_FOUND",
  "VALIDATION_ERROR",
  "BAD_INPUT",
  "NOT_IMPLEMENTED",
  "UPSTREAM_NOT_IMPLEMENTED",
]);

/** The audit row the caller may write for a tool call (in its own transaction). */
export function toolCallAudit(outcome: ToolOutcome): { type: string; payload: Record<string, unknown> } {
  return {
    type: outcome.ok || OWNER_SIDE_CODES.has(outcome.error.code) ? "tool_call" : "tool_call_failed",
    payload: {
      tool: outcome.ok ? outcome.tool.name : outcome.name,
      ok: outcome.ok,
      duration_ms: outcome.durationMs,
      ...(outcome.ok
        ? { warnings: outcome.result.warnings.map((w) => w.code) }
        : { error_code: outcome.error.code, message: outcome.error.message }),
    },
  };
}
