import { z } from "zod";
import type { ToolContext } from "../contract.ts";
import { localDay } from "../format/dates.ts";
import { ERROR_TYPE_PATTERNS } from "./demo-ops.ts";
import { boolParam, enumParam, intParam } from "./params.ts";
import type { AuditCount, MemoJobCount } from "./provider.ts";
import { advisorGaps, advisorSummary } from "./retro-advice.ts";
import { delta, sum } from "./retro-counts.ts";
import { defineTool, OWNER_SIDE_CODES } from "./registry.ts";
import { makeResult, providerOf } from "./runtime.ts";
import type { Delta, RetroSummaryData, GapRow, RetroGapsData, ActionFunnel, RetroExportData } from "./results/retro.ts";

// How the bot itself is doing, from audit_events, over the last N days against the N days before.
// The event vocabulary these read is listed in docs/tools.md ("Audit events the retro tools read").

export const TOOL_CALL_TYPES = ["tool_call", "tool_call_finished", "tool_call_failed", "tool_called"];
export const UNKNOWN_INTENT_TYPES = ["intent_unknown", "intent_unrecognized", "intent_unmatched"];
const GAP_CODES = {
  unknownTool: ["UNKNOWN_TOOL", "unknown_tool"],
  notImplemented: ["NOT_IMPLEMENTED", "UPSTREAM_NOT_IMPLEMENTED"],
  invalidInput: ["VALIDATION_ERROR", "MISSING_PARAMETERS"],
  // The LLM planner's audit rows (llm_intent_failed) carry their reason as the code.
  notAllowed: ["ACTION_TOOL_NOT_ALLOWED", "action_not_allowed"],
};

const errorRe = new RegExp(ERROR_TYPE_PATTERNS.map((p) => p.replace(/%/g, "")).join("|"), "i");

type Periods = {
  cur: AuditCount[];
  prev: AuditCount[];
  /** The advisor's memo PDFs (report_jobs) of each period. */
  memos: { cur: MemoJobCount[]; prev: MemoJobCount[] };
  from: string;
  to: string;
  prevFrom: string;
};

async function loadPeriods(ctx: ToolContext, days: number): Promise<Periods> {
  const end = ctx.now;
  const start = new Date(end.getTime() - days * 86_400_000);
  const prevStart = new Date(start.getTime() - days * 86_400_000);
  const p = providerOf(ctx);
  const [cur, prev, memoCur, memoPrev] = await Promise.all([
    p.auditCounts({ start, end }),
    p.auditCounts({ start: prevStart, end: start }),
    p.memoJobs({ start, end }),
    p.memoJobs({ start: prevStart, end: start }),
  ]);
  const tz = ctx.shop.timeZone;
  const memos = { cur: memoCur, prev: memoPrev };
  return { cur, prev, memos, from: localDay(start, tz), to: localDay(end, tz), prevFrom: localDay(prevStart, tz) };
}

const isToolCall = (r: AuditCount): boolean => TOOL_CALL_TYPES.includes(r.eventType);
/** The bot or its upstream failed; older rows wrote owner-side codes as tool_call_failed too. */
const isToolFailure = (r: AuditCount): boolean =>
  isToolCall(r) && (r.eventType === "tool_call_failed" || (r.code !== null && !OWNER_SIDE_CODES.has(r.code)));
/** The call answered "not found", "wrong parameter" or "not in this version": about the request, not the bot. */
const isOwnerMiss = (r: AuditCount): boolean =>
  isToolCall(r) && r.eventType !== "tool_call_failed" && r.code !== null && OWNER_SIDE_CODES.has(r.code);

function top(
  rows: AuditCount[],
  pred: (r: AuditCount) => boolean,
  key: (r: AuditCount) => string | null,
  n: number,
): { key: string; count: number }[] {
  const m = new Map<string, number>();
  for (const r of rows) {
    const k = pred(r) ? key(r) : null;
    if (k) m.set(k, (m.get(k) ?? 0) + r.count);
  }
  return [...m.entries()]
    .map(([k, count]) => ({ key: k, count }))
    .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key))
    .slice(0, n);
}

function summarize(p: Periods, days: number): RetroSummaryData {
  const m = (pred: (r: AuditCount) => boolean): Delta => delta(sum(p.cur, pred), sum(p.prev, pred));
  const calls = m(isToolCall);
  const failures = m(isToolFailure);
  return {
    periodDays: days,
    from: p.from,
    to: p.to,
    metrics: {
      events: m(() => true),
      toolCalls: calls,
      toolFailures: failures,
      ownerMisses: m(isOwnerMiss),
      errors: m((r) => errorRe.test(r.eventType)),
      unknownIntents: m((r) => UNKNOWN_INTENT_TYPES.includes(r.eventType)),
      llmPlanned: m((r) => r.eventType === "llm_intent_planned"),
      // A text the planner could not turn into an intent: the owner got «не понял» with a hint.
      llmFallbacks: m((r) => r.eventType === "llm_intent_failed"),
      llmDisallowed: m((r) => r.eventType === "llm_intent_failed" && r.code === "action_not_allowed"),
      actionsCommitted: m((r) => r.eventType === "action_committed"),
      actionsFailed: m((r) => r.eventType === "action_failed"),
      accessDenied: m((r) => r.eventType === "access_denied"),
    },
    advisor: advisorSummary({ audits: p.cur, memos: p.memos.cur }, { audits: p.prev, memos: p.memos.prev }),
    failureRatePct: calls.current > 0 ? Math.round((failures.current / calls.current) * 10000) / 100 : null,
    topTools: top(p.cur, isToolCall, (r) => r.tool, 5),
    topErrors: top(
      p.cur,
      (r) => errorRe.test(r.eventType) || isToolFailure(r),
      (r) => (r.code ? `${r.eventType}:${r.code}` : r.eventType),
      5,
    ),
    topEventTypes: top(
      p.cur,
      () => true,
      (r) => r.eventType,
      5,
    ),
  };
}

function gapRows(p: Periods, codes: string[]): GapRow[] {
  const pick = (r: AuditCount): boolean => r.code !== null && codes.includes(r.code);
  const prev = new Map(top(p.prev, pick, (r) => r.tool ?? "—", 50).map((x) => [x.key, x.count]));
  return top(p.cur, pick, (r) => r.tool ?? "—", 5).map((x) => ({ tool: x.key, count: x.count, previous: prev.get(x.key) ?? 0 }));
}

const WIZARD_STARTED = (r: AuditCount): boolean => r.eventType === "agent_action_wizard_started";

function wizardRows(p: Periods): RetroGapsData["wizardMissing"] {
  const key = (r: AuditCount): string => `${r.tool ?? "—"}|${r.code ?? "—"}`;
  const prev = new Map(top(p.prev, WIZARD_STARTED, key, 50).map((x) => [x.key, x.count]));
  return top(p.cur, WIZARD_STARTED, key, 5).map((x) => {
    const [tool = "—", fields = "—"] = x.key.split("|");
    return { tool, fields: fields.replace(/\+/g, ", "), count: x.count, previous: prev.get(x.key) ?? 0 };
  });
}

function gaps(p: Periods, days: number): RetroGapsData {
  const g: RetroGapsData = {
    periodDays: days,
    from: p.from,
    to: p.to,
    unknownTools: gapRows(p, GAP_CODES.unknownTool),
    notImplemented: gapRows(p, GAP_CODES.notImplemented),
    invalidInput: gapRows(p, GAP_CODES.invalidInput),
    notAllowed: gapRows(p, GAP_CODES.notAllowed),
    wizardMissing: wizardRows(p),
    advisor: advisorGaps({ audits: p.cur, memos: p.memos.cur }),
    unknownIntents: delta(
      sum(p.cur, (r) => UNKNOWN_INTENT_TYPES.includes(r.eventType)),
      sum(p.prev, (r) => UNKNOWN_INTENT_TYPES.includes(r.eventType)),
    ),
    hints: [],
  };
  if (g.unknownTools.length > 0) g.hints.push("Запросы к несуществующим инструментам: проверьте шаблоны и подсказки LLM.");
  if (g.notImplemented.length > 0)
    g.hints.push("Просили то, чего в этой версии нет или не умеет источник данных: это список на доработку.");
  if (g.invalidInput.length > 0) g.hints.push("Частые ошибки параметров: добавьте пресеты или уточняющие вопросы.");
  if (g.notAllowed.length > 0) g.hints.push("LLM предлагал запрещённые действия: проверьте список разрешённых.");
  if (g.wizardMissing.length > 0)
    g.hints.push("Действия часто просят без параметров: подскажите в примерах фраз, что процент и срок можно назвать сразу.");
  if (g.advisor.length > 0)
    g.hints.push("Записки советника без части отчётов или не отправлены: проверьте источник данных (/systems) и отчёты (/health).");
  if (g.unknownIntents.current > 0) g.hints.push("Непонятые фразы: добавьте их в правила распознавания.");
  return g;
}

const periodParam = intParam(1, 90);

export const retroSummary = defineTool({
  name: "retro_summary",
  version: "1.0",
  kind: "read",
  title: "Итоги работы бота",
  description:
    "Bot usage over the last N days vs the N before: tool calls, failures, errors, unknown intents, actions, advisor briefs and memos, top tools.",
  input: z.object({ period_days: periodParam.default(7) }),
  async run(input, ctx) {
    const p = await loadPeriods(ctx, input.period_days);
    return makeResult(ctx, { tz: ctx.shop.timeZone }, summarize(p, input.period_days), {
      sources: ["core:audit_events"],
      window: { from: p.from, to: p.to },
    });
  },
});

export const retroGaps = defineTool({
  name: "retro_gaps",
  version: "1.0",
  kind: "read",
  title: "Пробелы бота",
  description:
    "What the bot could not do in the last N days: unknown tools, unsupported calls, invalid parameters, not understood phrases, advisor memos left incomplete or unsent.",
  input: z.object({ period_days: periodParam.default(30) }),
  async run(input, ctx) {
    const p = await loadPeriods(ctx, input.period_days);
    return makeResult(ctx, { tz: ctx.shop.timeZone }, gaps(p, input.period_days), {
      sources: ["core:audit_events"],
      window: { from: p.from, to: p.to },
    });
  },
});

/** A run of digits, spaces, brackets and dashes long enough to be a phone number. */
const PHONE_CANDIDATE = /\+?\d[\d\s()-]{8,}\d/g;
/** Dates inside a candidate ("2026-12-02", "02.12.2026") mean it is a timestamp, not a phone. */
const DATE_INSIDE = /\d{4}-\d{2}-\d{2}|\d{2}\.\d{2}\.\d{4}/;

/** A phone has 10–15 digits (E.164); an ISO date has 8, so dates and timestamps are kept. */
function isPhone(candidate: string): boolean {
  const digits = candidate.replace(/\D/g, "").length;
  return digits >= 10 && digits <= 15 && !DATE_INSIDE.test(candidate);
}

/** Strips what could identify a person from exported strings: e-mails, phone numbers; caps length. */
export function redact(s: string): string {
  return s
    .replace(/[\w.+-]+@[\w-]+\.[\w.-]+/g, "[email]")
    .replace(PHONE_CANDIDATE, (m) => (isPhone(m) ? "[phone]" : m))
    .replace(/[\r\n]+/g, " ")
    .slice(0, 120);
}

function redactDeep(v: unknown): unknown {
  if (typeof v === "string") return redact(v);
  if (Array.isArray(v)) return v.map(redactDeep);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, redactDeep(x)]));
  return v;
}

function actionFunnel(p: Periods): ActionFunnel {
  const n = (types: string[]): number => sum(p.cur, (r) => types.includes(r.eventType));
  const previewed = n(["action_previewed", "action_preview"]);
  const committed = n(["action_committed"]);
  return {
    previewed,
    confirmed: n(["action_confirmed"]),
    committed,
    cancelled: n(["action_cancelled"]),
    commitRatePct: previewed > 0 ? Math.round((committed / previewed) * 10000) / 100 : null,
  };
}

export const retroExport = defineTool({
  name: "retro_export",
  version: "1.0",
  kind: "read",
  title: "Выгрузка итогов",
  description: "retro_summary (and retro_gaps) as a redacted JSON file.",
  input: z.object({
    period_days: periodParam.default(7),
    include_gaps: boolParam().default(true),
    include_funnels: boolParam().default(true),
    format: enumParam(["json"]).default("json"),
  }),
  async run(input, ctx) {
    const p = await loadPeriods(ctx, input.period_days);
    const summary = summarize(p, input.period_days);
    const g = input.include_gaps ? gaps(p, input.period_days) : null;
    const funnel = input.include_funnels ? actionFunnel(p) : null;
    const filename = `retro_${input.period_days}d.json`;
    const body = JSON.stringify(redactDeep({ generated_at: ctx.now.toISOString(), summary, gaps: g, action_funnel: funnel }), null, 2);
    const content = Buffer.from(body, "utf8");
    const result = makeResult(
      ctx,
      { tz: ctx.shop.timeZone },
      { filename, bytes: content.length, summary, gaps: g, funnel } satisfies RetroExportData,
      {
        sources: ["core:audit_events"],
        window: { from: p.from, to: p.to },
      },
    );
    result.artifacts = [{ kind: "json", filename, content, caption: `Итоги за ${input.period_days} дн.` }];
    return result;
  },
});
