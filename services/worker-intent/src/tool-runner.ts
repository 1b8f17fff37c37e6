import type { Db } from "@ownerbot/shared/db/pool";
import type { Reply, ShopSettings, SystemInfo, ToolContext, ToolResult } from "@ownerbot/shared/domain/contract";
import type { TrendData } from "@ownerbot/shared/domain/tools/kpi-tools";
import type { ReportRequest } from "@ownerbot/shared/reports/doc";
import { trendReport } from "@ownerbot/shared/reports/trend";
import type { ToolOutcome } from "@ownerbot/shared/domain/tools/registry";
import type { ToolRegistry } from "@ownerbot/shared/domain/tools/registry";
import type { SisTarget } from "@ownerbot/shared/sis/capabilities";
import { toolCallAudit } from "@ownerbot/shared/domain/tools/registry";
import { KNOWN_TOOLS } from "@ownerbot/shared/domain/intent/tool-names";
import { HOME } from "@ownerbot/shared/domain/ui/keyboard";
import type { DomainCtx } from "./handle.ts";

/** A tool that answers within this is not worth a "typing…" indicator. */
const TYPING_AFTER_MS = 300;

export type RunOptions = { presentation?: string; notes?: string[]; edit?: boolean };

export function createToolRunner(d: {
  registry: ToolRegistry;
  db: Db;
  shop: ShopSettings;
  /** Tools that report on the bot itself get its status (read only for them). */
  systemTools: ReadonlySet<string>;
  system: (ctx: DomainCtx) => Promise<SystemInfo>;
  /** How tools reach SIS, when it is configured. */
  sis?: SisTarget;
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

  return async function runTool(name: string, input: Record<string, unknown>, ctx: DomainCtx, o: RunOptions = {}): Promise<Reply[]> {
    const def = d.registry.get(name);
    if (!def) return [notAvailable(name)];
    const tctx = await context(name, ctx);
    const timer = setTimeout(() => void ctx.typing().catch(() => undefined), TYPING_AFTER_MS);
    let replies: Reply[];
    let report: ReportRequest | undefined;
    try {
      const outcome = await d.registry.run(name, input, tctx);
      ctx.audit(toolCallAudit(outcome));
      replies = d.registry.present(outcome, tctx);
      report = reportOf(outcome, o.presentation, tctx);
    } finally {
      clearTimeout(timer);
    }
    // The report worker draws it and sends it after the text (report_jobs row, see drain.ts).
    const last = replies.length - 1;
    if (report && replies[last]) replies[last] = { ...replies[last], report };
    const notes = [...(o.notes ?? [])];
    if (!report && (o.presentation === "chart" || o.presentation === "pdf")) {
      notes.push(o.presentation === "chart" ? "График пока недоступен — показываю цифры." : "PDF-отчёт пока недоступен — показываю цифры.");
    }
    if (notes.length > 0 && replies[0])
      replies[0] = { ...replies[0], text: `${notes.map((n) => `ℹ️ ${n}`).join("\n")}\n\n${replies[0].text}` };
    if (o.edit === true && replies[0]) replies[0] = { ...replies[0], editInPlace: true };
    return replies;
  };
}

/** The tool's own report request, or the revenue chart/PDF the owner asked for. */
function reportOf(outcome: ToolOutcome, presentation: string | undefined, ctx: ToolContext): ReportRequest | undefined {
  if (!outcome.ok) return undefined;
  if (outcome.result.report) return outcome.result.report;
  if (outcome.tool.name === "revenue_trend" && (presentation === "chart" || presentation === "pdf"))
    return trendReport(outcome.result as ToolResult<TrendData>, ctx.shop, presentation === "chart" ? "png" : "pdf", ctx.correlationId);
  return undefined;
}

/** An honest answer for a report the reference bot had and this version does not (actions never get here: domain.ts previews them). */
function notAvailable(name: string): Reply {
  const text = KNOWN_TOOLS.has(name)
    ? `🛠 Отчёт «${name}» ещё не подключён в этой версии. Остальные отчёты доступны: /help`
    : "Такого отчёта нет. Список возможностей: /help";
  return { text, buttons: [[HOME]] };
}
