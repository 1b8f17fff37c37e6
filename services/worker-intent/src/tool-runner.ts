import type { Db } from "@ownerbot/core/db";
import type { Reply, ShopSettings, SystemInfo, ToolContext, ToolResult } from "@ownerbot/domain/contract";
import { qualityOf, redact, toolCallAudit, type ToolOutcome, type ToolRegistry, type TrendData } from "@ownerbot/domain/tools";
import type { ReportRequest } from "@ownerbot/core/queue";
import { trendReport } from "@ownerbot/domain/digest";
import { type SisTarget, sourceNote, type Upstream } from "@ownerbot/domain/sis";
import { KNOWN_TOOLS, toolTitle } from "@ownerbot/domain/intent";
import { HOME, withWayHome } from "@ownerbot/domain/ui";
import { localDay } from "@ownerbot/domain/format";
import { withProvenance } from "@ownerbot/domain/quality";
import type { Logger } from "@ownerbot/core/logger";
import type { DomainCtx } from "./handle.ts";

/** A tool that answers within this is not worth a "typing…" indicator. */
const TYPING_AFTER_MS = 300;

/** How the owner asked: typed text, a button, a template's answers. */
export type AskedBy = "text" | "button" | "template" | "llm";

export type RunOptions = {
  presentation?: string;
  notes?: string[];
  edit?: boolean;
  /** Kept in the tool_call audit row (retrospective_last): how it was asked and, for text, the words. */
  asked?: { by: AskedBy; text?: string };
};

/** What the audit row keeps of how the owner asked; retrospective_last shows it. */
export function askedPayload(asked: RunOptions["asked"]): Record<string, unknown> {
  if (!asked) return {};
  return { asked: { by: asked.by, ...(asked.text !== undefined ? { text: redact(asked.text) } : {}) } };
}

export function createToolRunner(d: {
  registry: ToolRegistry;
  db: Db;
  shop: ShopSettings;
  /** Tools that report on the bot itself get its status (read only for them). */
  systemTools: ReadonlySet<string>;
  system: (ctx: DomainCtx) => Promise<SystemInfo>;
  /** How tools reach SIS, when it is configured. */
  sis?: SisTarget;
  /** Where the shop's numbers come from (mode, override, DEMO and SIS providers). */
  upstream?: Upstream;
  /** Warns when a tool answers numbers that name no source (they are withheld). */
  log?: Logger;
}) {
  const context = async (name: string, ctx: DomainCtx): Promise<ToolContext> => ({
    db: d.db,
    shop: d.shop,
    now: new Date(),
    correlationId: ctx.correlationId,
    actorId: ctx.userId,
    ...(d.systemTools.has(name) ? { system: await d.system(ctx) } : {}),
    ...(d.sis ? { sis: d.sis } : {}),
  });

  /**
   * The tool on the provider of the mode in force. AUTO runs it on SIS and, when SIS is unavailable
   * or does not serve that report, runs it again on DEMO — the whole answer from one source, and
   * labelled as demo data, never mixed or passed off as the shop's.
   */
  async function runOnUpstream(name: string, input: Record<string, unknown>, base: ToolContext) {
    const up = d.upstream;
    const plain = async () => ({ outcome: await d.registry.run(name, input, base), ctx: base, note: null as string | null });
    if (!up) return plain();
    const { mode } = await up.mode();
    const onDemo = mode === "DEMO" || up.sis === null;
    const first: ToolContext = { ...base, provider: onDemo ? up.demo : up.sis! };
    let outcome = await d.registry.run(name, input, first);
    let ctx = first;
    let fallbackReason: string | undefined =
      mode !== "DEMO" && up.sis === null ? "SIS не настроен (SIS_BASE_URL и ключ пусты)." : undefined;
    const fallible = !outcome.ok && ["UPSTREAM_UNAVAILABLE", "UPSTREAM_NOT_IMPLEMENTED", "UPSTREAM_TIMEOUT"].includes(outcome.error.code);
    if (mode === "AUTO" && !onDemo && fallible && !outcome.ok) {
      fallbackReason = outcome.error.message;
      ctx = { ...base, provider: up.demo };
      outcome = await d.registry.run(name, input, ctx);
    }
    // Only answers built from shop data name their source; the bot's own status has none to name.
    const sources = outcome.ok ? outcome.result.provenance.sources : [];
    const shopData = sources.some((s) => s.startsWith("demo:") || s.startsWith("sis:"));
    const usedDemo = ctx.provider === up.demo;
    const note = shopData
      ? sourceNote({ configured: up.configured, effective: mode, usedDemo, ...(fallbackReason !== undefined ? { fallbackReason } : {}) })
      : null;
    return { outcome, ctx, note };
  }

  const runTool = async (name: string, input: Record<string, unknown>, ctx: DomainCtx, o: RunOptions = {}): Promise<Reply[]> => {
    const def = d.registry.get(name);
    if (!def) {
      // A gap, not a failure of the bot: retro_gaps lists what owners asked for and did not get.
      const code = KNOWN_TOOLS.has(name) ? "NOT_IMPLEMENTED" : "UNKNOWN_TOOL";
      ctx.audit({ type: "tool_call", payload: { tool: name, ok: false, error_code: code, quality: "low", ...askedPayload(o.asked) } });
      return [notAvailable(name)];
    }
    const base = await context(name, ctx);
    const timer = setTimeout(() => void ctx.typing().catch(() => undefined), TYPING_AFTER_MS);
    let replies: Reply[];
    let report: ReportRequest | undefined;
    let lastOutcome: ToolOutcome | undefined;
    let source: string | null;
    let withheld: boolean;
    let tctx: ToolContext;
    try {
      const ran = await runOnUpstream(name, input, base);
      const outcome = ran.outcome;
      tctx = ran.ctx;
      source = ran.note;
      lastOutcome = outcome;
      const audit = toolCallAudit(outcome);
      // One row per request: the call, how well it answered, and how it was asked.
      ctx.audit({ ...audit, payload: { ...audit.payload, quality: qualityOf(outcome), ...askedPayload(o.asked) } });
      // The provenance line and badge go on every numeric answer here, in one place (reference §10.4).
      const badged = withProvenance(outcome, d.registry.present(outcome, tctx), d.shop, tctx.now);
      replies = badged.replies;
      withheld = badged.blocked;
      if (withheld) d.log?.warn({ tool: name, correlation_id: ctx.correlationId }, "tool answered numbers without a source; not shown");
      else report = reportOf(outcome, o.presentation, tctx);
    } finally {
      clearTimeout(timer);
    }
    // The report worker draws it and sends it after the text (report_jobs row, see drain.ts).
    const last = replies.length - 1;
    if (report && replies[last]) replies[last] = { ...replies[last], report };
    const notes = [...(o.notes ?? []), ...(source !== null ? [source] : [])];
    if (!report && !withheld && (o.presentation === "chart" || o.presentation === "pdf")) {
      notes.push(o.presentation === "chart" ? "График пока недоступен — показываю цифры." : "PDF-отчёт пока недоступен — показываю цифры.");
    }
    if (notes.length > 0 && replies[0])
      replies[0] = { ...replies[0], text: `${notes.map((n) => `ℹ️ ${n}`).join("\n")}\n\n${replies[0].text}` };
    if (o.edit === true && replies[0]) replies[0] = { ...replies[0], editInPlace: true };
    if (o.presentation === "json" && !withheld) return jsonExport(lastOutcome, replies, tctx);
    return withWayHome(replies);
  };

  /**
   * A read tool's outcome on the mode's provider, audited like any call, without composing replies:
   * the decision memo takes its facts and provenance from it.
   */
  const readOutcome = async (
    name: string,
    input: Record<string, unknown>,
    ctx: DomainCtx,
  ): Promise<{ outcome: ToolOutcome; ctx: ToolContext }> => {
    const ran = await runOnUpstream(name, input, await context(name, ctx));
    const audit = toolCallAudit(ran.outcome);
    ctx.audit({ ...audit, payload: { ...audit.payload, quality: qualityOf(ran.outcome), ...askedPayload({ by: "button" }) } });
    return { outcome: ran.outcome, ctx: ran.ctx };
  };
  return Object.assign(runTool, { readOutcome, present: d.registry.present });
}

export type ToolRunner = ReturnType<typeof createToolRunner>;

/**
 * A template that asks for a file («💾 Склад в JSON») gets the tool's result as a JSON document,
 * with a one-line reply naming it; a failed call keeps its usual error text.
 */
function jsonExport(outcome: ToolOutcome | undefined, replies: Reply[], ctx: ToolContext): Reply[] {
  if (!outcome?.ok) return replies;
  const r = outcome.result;
  const day = localDay(ctx.now, ctx.shop.timeZone);
  const filename = `${outcome.tool.name}_${day}.json`;
  const body = {
    generated_at: ctx.now.toISOString(),
    tool: outcome.tool.name,
    input: r.input ?? {},
    provenance: r.provenance,
    data: r.data,
  };
  const content = Buffer.from(JSON.stringify(body, null, 2), "utf8");
  const size = Math.max(1, Math.ceil(content.length / 1024));
  return [
    {
      text: `💾 ${outcome.tool.title} — файл ${filename} (${size} КБ).`,
      artifacts: [{ kind: "json", filename, content, caption: outcome.tool.title }],
      buttons: [[HOME]],
    },
  ];
}

/** The tool's own report request, or the revenue chart/PDF the owner asked for. */
function reportOf(outcome: ToolOutcome, presentation: string | undefined, ctx: ToolContext): ReportRequest | undefined {
  if (!outcome.ok) return undefined;
  if (outcome.result.report) return outcome.result.report;
  if (outcome.tool.name === "revenue_trend" && (presentation === "chart" || presentation === "pdf"))
    return trendReport(outcome.result as ToolResult<TrendData>, ctx.shop, presentation === "chart" ? "png" : "pdf");
  return undefined;
}

/** An honest answer for a report the reference bot had and this version does not (actions never get here: domain.ts previews them). */
function notAvailable(name: string): Reply {
  const text = KNOWN_TOOLS.has(name)
    ? `🛠 Отчёт «${toolTitle(name)}» ещё не подключён в этой версии. Остальные отчёты доступны: /help`
    : "Такого отчёта нет. Список возможностей: /help";
  return { text, buttons: [[HOME]] };
}
