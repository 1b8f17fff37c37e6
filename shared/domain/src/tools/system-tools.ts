import { z } from "zod";
import { localDay } from "../format/dates.ts";
import { truncate } from "../format/text.ts";
import { intParam, offsetParam } from "./params.ts";
import type { AuditEvent } from "./provider.ts";
import { defineTool } from "./registry.ts";
import { makeResult, providerOf } from "./runtime.ts";
import type { AuditDetail, AuditListData } from "./results/system.ts";

// OwnerBot's own journal (audit_events). It runs on the wall clock, not the demo shop's clock:
// these are real events of this bot.

const SOURCE = "core:audit_events";
/** Payload shown per event; the reference cut at 300 characters too. */
export const PAYLOAD_PREVIEW_CHARS = 300;

function detailOf(payload: Record<string, unknown>): AuditDetail {
  const d: AuditDetail = {};
  const code = payload.error_code ?? payload.code;
  if (typeof payload.tool === "string") d.tool = payload.tool.slice(0, 64);
  if (typeof code === "string") d.error_code = code.slice(0, 64);
  if (typeof payload.text === "string") d.text = truncate(payload.text, 80);
  return d;
}

function preview(e: AuditEvent): AuditListData["events"][number] {
  const { payload, ...rest } = e;
  return { ...rest, payloadPreview: truncate(JSON.stringify(payload), PAYLOAD_PREVIEW_CHARS), detail: detailOf(payload) };
}

function auditTool(kind: "recent" | "errors") {
  return defineTool({
    name: kind === "recent" ? "sys_audit_recent" : "sys_last_errors",
    version: "1.0",
    kind: "read",
    title: kind === "recent" ? "Журнал событий" : "Последние ошибки",
    description:
      kind === "recent"
        ? "The latest OwnerBot audit events, newest first."
        : "The latest audit events whose type says failed, error, unavailable or exception.",
    input: z.object({ limit: intParam(1, 100).default(20), offset: offsetParam() }),
    async run(input, ctx) {
      const r = await providerOf(ctx).auditRecent({ limit: input.limit, offset: input.offset, errorsOnly: kind === "errors" });
      const data: AuditListData = { kind, offset: input.offset, hasMore: r.hasMore, events: r.items.map(preview) };
      const tz = ctx.shop.timeZone;
      const to = localDay(ctx.now, tz);
      const oldest = r.items.at(-1)?.occurredAt;
      const from = oldest ? localDay(oldest, tz) : to;
      return makeResult(ctx, { tz }, data, { sources: [SOURCE], window: { from: from < to ? from : to, to } });
    },
  });
}

export const sysAuditRecent = auditTool("recent");
export const sysLastErrors = auditTool("errors");

export const retrospectiveLast = defineTool({
  name: "retrospective_last",
  version: "1.0",
  kind: "read",
  title: "Последние разборы",
  description: "The owner's latest requests from the audit trail: what was asked, which tool answered and how well.",
  input: z.object({ limit: intParam(1, 20).default(5) }),
  async run(input, ctx) {
    const r = await providerOf(ctx).auditRecent({ limit: input.limit, offset: 0, errorsOnly: false, requestsOnly: true });
    const tz = ctx.shop.timeZone;
    const to = localDay(ctx.now, tz);
    const oldest = r.items.at(-1)?.occurredAt;
    const from = oldest ? localDay(oldest, tz) : to;
    return makeResult(ctx, { tz }, { events: r.items }, { sources: [SOURCE], window: { from: from < to ? from : to, to } });
  },
});
