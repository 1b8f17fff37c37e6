import type { Reply, ToolContext, ToolResult } from "../contract.ts";
import { formatDateTime } from "../format/dates.ts";
import { truncate } from "../format/text.ts";
import type { AuditListData, RetrospectiveData } from "../tools/system-tools.ts";
import { blocks, footer, pageSizeOf, resultPager } from "./common.ts";

export function presentAuditList(result: ToolResult<AuditListData>, ctx: ToolContext): Reply[] {
  const d = result.data;
  const tz = ctx.shop.timeZone;
  const size = pageSizeOf(result);
  const rows = d.events.slice(0, size).map((e) => {
    const payload = e.payloadPreview === "{}" ? "" : ` · ${truncate(e.payloadPreview, d.kind === "errors" ? 160 : 80)}`;
    return `• ${formatDateTime(e.occurredAt, tz, ctx.now)} · ${e.eventType}${payload}`;
  });
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

export function presentRetrospectiveLast(result: ToolResult<RetrospectiveData>, ctx: ToolContext): Reply[] {
  const tz = ctx.shop.timeZone;
  const rows = result.data.events.map((e) => {
    const p = e.payload;
    const parts = [p.tool, p.intent, p.quality, p.text ?? p.question]
      .filter((x): x is string | number => typeof x === "string" || typeof x === "number")
      .map((x) => truncate(String(x), 60));
    return `• ${formatDateTime(e.occurredAt, tz, ctx.now)}${parts.length > 0 ? ` · ${parts.join(" · ")}` : ""}`;
  });
  return [{ text: blocks("🔁 Последние разборы запросов", rows.length === 0 ? "Разборов пока нет." : rows, footer(result)) }];
}
