import type { Reply, ToolContext, ToolResult } from "../contract.ts";
import { formatDateTime } from "../format/dates.ts";
import { truncate } from "../format/text.ts";
import type { AuditListData, RetrospectiveData } from "../tools/results/system.ts";
import { toolTitle } from "../intent/tool-names.ts";
import { describeEvent } from "./audit-labels.ts";
import { blocks, footer, pageSizeOf, resultPager } from "./common.ts";

export function presentAuditList(result: ToolResult<AuditListData>, ctx: ToolContext): Reply[] {
  const d = result.data;
  const tz = ctx.shop.timeZone;
  const size = pageSizeOf(result);
  const rows = d.events
    .slice(0, size)
    .map((e) => `• ${formatDateTime(e.occurredAt, tz, ctx.now)} · ${describeEvent(e.eventType, e.detail)}`);
  const title = d.kind === "errors" ? "🧯 Последние ошибки" : "🗂 Журнал событий";
  const empty = d.kind === "errors" ? "Ошибок нет." : "Событий пока нет.";
  const more = d.hasMore || d.events.length > size;
  return [
    {
      text: blocks(title, rows.length === 0 ? empty : rows, footer(result)),
      buttons: resultPager(result, d.kind === "errors" ? "sys_last_errors" : "sys_audit_recent", {
        offset: d.offset,
        pageSize: size,
        hasMore: more,
      }),
    },
  ];
}

const HOW_ASKED: Record<string, string> = { text: "текстом", button: "кнопкой", template: "шаблон" };
const QUALITY: Record<string, string> = { high: "✅", med: "⚠️ с оговорками", low: "❌ без ответа" };

/**
 * «как дела» → KPI за день ✅. Reads the worker's rows (`asked` in a tool_call or intent_unknown)
 * and the reference's `retrospective` rows (tool, intent, quality, text).
 */
function retrospectiveLine(type: string, p: Record<string, unknown>): string {
  const asked = (p.asked ?? {}) as { by?: unknown; text?: unknown };
  const words = typeof asked.text === "string" ? asked.text : typeof p.text === "string" ? p.text : null;
  const by = typeof asked.by === "string" ? asked.by : typeof p.intent === "string" ? p.intent : "";
  const question = words !== null ? `«${truncate(words, 60)}»` : (HOW_ASKED[by] ?? "запрос");
  if (type.startsWith("intent_") || by === "unknown") return `${question} → не понял`;
  const answer = typeof p.tool === "string" ? toolTitle(p.tool) : "—";
  const quality = typeof p.quality === "string" ? QUALITY[p.quality] : undefined;
  return `${question} → ${answer}${quality ? ` ${quality}` : ""}`;
}

export function presentRetrospectiveLast(result: ToolResult<RetrospectiveData>, ctx: ToolContext): Reply[] {
  const tz = ctx.shop.timeZone;
  const rows = result.data.events.map(
    (e) => `• ${formatDateTime(e.occurredAt, tz, ctx.now)} · ${retrospectiveLine(e.eventType, e.payload)}`,
  );
  return [{ text: blocks("🔁 Последние запросы", rows.length === 0 ? "Запросов пока нет." : rows, footer(result)) }];
}
