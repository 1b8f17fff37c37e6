import { z } from "zod";
import { resolveTimeZone } from "../format/time-zones.ts";
import { AppError } from "@ownerbot/core/errors";
import type { ToolContext, ToolResult } from "../contract.ts";
import { buildDailyDigest, type DigestOptions } from "../digest/daily.ts";
import { buildOpsReport } from "../digest/ops-report.ts";
import { opsSnapshot, type OpsRules } from "../digest/ops-snapshot.ts";
import { isTimeZone } from "../digest/parts.ts";
import { buildWeeklyReport } from "../digest/weekly.ts";
import { loadNotifySettings } from "../notify/settings.ts";
import { opsRulesOf } from "../notify/ops-alerts.ts";
import type { ReportDoc, ReportRequest } from "@ownerbot/core/queue";
import { enumParam, intParam } from "./params.ts";
import { defineTool } from "./registry.ts";
import { makeResult, toolEnv } from "./runtime.ts";
import type { DashboardData } from "./results/dashboard.ts";

// Composite read tools: the daily digest, the weekly report and the dashboards. Each returns its
// text and, for png/pdf, a `result.report` the report worker renders and sends afterwards. The
// reference guarded the dashboards with a per-owner Redis cooldown and lock; here they are cheap
// reads, and a repeat within the report queue's dedupe window is one report job, not two.

/**
 * The text answer goes out at once and the picture follows it, so the photo's caption only names
 * it (title and period): repeating the whole digest under the chart said everything twice.
 */
function captionOf(doc: ReportDoc): string {
  return doc.subtitle ? `${doc.title}\n${doc.subtitle}` : doc.title;
}

function reportOf(format: "text" | "png" | "pdf", filename: string, doc: ReportDoc): ReportRequest | undefined {
  if (format === "text") return undefined;
  return format === "png"
    ? { format, filename: `${filename}.png`, caption: captionOf(doc), doc }
    : { format, filename: `${filename}.pdf`, doc };
}

function checkTz(tz: string | undefined): string | undefined {
  if (tz === undefined || tz === "" || tz === "@tz") return undefined;
  const zone = resolveTimeZone(tz);
  if (!zone || !isTimeZone(zone))
    throw new AppError(
      "VALIDATION_ERROR",
      `Параметр tz: ожидается город или часовой пояс, например Москва или Europe/Moscow, получено «${tz}»`,
    );
  return zone;
}

async function result(
  ctx: ToolContext,
  data: DashboardData,
  p: { sources: string[]; window: { from: string; to: string } },
  report: ReportRequest | undefined,
): Promise<ToolResult<DashboardData>> {
  const env = await toolEnv(ctx);
  const r = makeResult(ctx, env, data, { sources: p.sources.length > 0 ? p.sources : [env.src("demo_kpi_daily")], window: p.window });
  if (report) r.report = report;
  return r;
}

const tzParam = z.string().trim().max(64).optional();

export const ntfSendDigestNow = defineTool({
  name: "ntf_send_digest_now",
  version: "1.0",
  kind: "read",
  title: "Дайджест сейчас",
  description:
    "The daily digest now: 7-day revenue and orders week over week, what needs attention, FX; png/pdf per the owner's digest format.",
  input: z.object({}),
  async run(_input, ctx) {
    const opts: DigestOptions = {};
    let format: DashboardData["format"] = "text";
    if (ctx.actorId !== undefined) {
      const s = await loadNotifySettings(ctx.db, ctx.actorId);
      format = s.digest_format === "png" || s.digest_format === "pdf" ? s.digest_format : "text";
      Object.assign(opts, {
        rules: opsRulesOf(s),
        includeKpi: s.digest_include_kpi,
        includeFx: s.digest_include_fx,
        includeOps: s.digest_include_ops,
        ...(s.digest_tz ? { tz: s.digest_tz } : {}),
      });
    }
    const d = await buildDailyDigest(ctx, opts);
    return result(ctx, { kind: "digest", text: d.text, format, facts: d.facts }, d, reportOf(format, "daily_digest", d.doc));
  },
});

export const ntfSendWeeklyNow = defineTool({
  name: "ntf_send_weekly_now",
  version: "1.0",
  kind: "read",
  title: "Недельный отчёт сейчас",
  description:
    "The weekly report now: week over week, 30-day trend, stuck orders, waiting chats, top products, errors; PDF weekly_report.pdf.",
  input: z.object({}),
  async run(_input, ctx) {
    const w = await buildWeeklyReport(ctx);
    return result(ctx, { kind: "weekly", text: w.text, format: "pdf" }, w, reportOf("pdf", "weekly_report", w.doc));
  },
});

export const bizDashboardDaily = defineTool({
  name: "biz_dashboard_daily",
  version: "1.0",
  kind: "read",
  title: "Дашборд дня",
  description: "Today's dashboard: the digest as text, then a 14-day net revenue chart (png) or a PDF.",
  input: z.object({ format: enumParam(["png", "text", "pdf"]).default("png"), tz: tzParam }),
  async run(input, ctx) {
    const tz = checkTz(input.tz);
    const d = await buildDailyDigest(ctx, { title: "Дашборд дня", ...(tz ? { tz } : {}) });
    const data: DashboardData = { kind: "digest", text: d.text, format: input.format, facts: d.facts };
    return result(ctx, data, d, reportOf(input.format, "business_dashboard_daily", d.doc));
  },
});

export const bizDashboardWeekly = defineTool({
  name: "biz_dashboard_weekly",
  version: "1.0",
  kind: "read",
  title: "Дашборд недели",
  description: "The last 7 days as a PDF dashboard (business_dashboard_weekly.pdf): week over week, 30-day chart, issues, top products.",
  input: z.object({ format: enumParam(["pdf"]).default("pdf"), tz: tzParam, week_mode: enumParam(["last7"]).default("last7") }),
  async run(input, ctx) {
    const tz = checkTz(input.tz);
    const w = await buildWeeklyReport(ctx, { title: "Дашборд недели", ...(tz ? { tz } : {}) });
    return result(ctx, { kind: "weekly", text: w.text, format: "pdf" }, w, reportOf("pdf", "business_dashboard_weekly", w.doc));
  },
});

const count = intParam(0, 999).optional();
const rulesInput = z
  .object({
    unanswered_threshold_hours: intParam(0, 168).optional(),
    unanswered_min_count: count,
    stuck_min_count: count,
    payment_min_count: count,
    errors_window_hours: intParam(1, 168).optional(),
    errors_min_count: count,
    out_of_stock_min_count: count,
    low_stock_lte: count,
    low_stock_min_count: count,
  })
  .optional();

type NumericRule = { [K in keyof OpsRules]: OpsRules[K] extends number ? K : never }[keyof OpsRules];

function rulesFrom(r: z.output<typeof rulesInput>): Partial<OpsRules> {
  if (!r) return {};
  const map: [keyof NonNullable<typeof r>, NumericRule][] = [
    ["unanswered_threshold_hours", "unansweredThresholdHours"],
    ["unanswered_min_count", "unansweredMinCount"],
    ["stuck_min_count", "stuckMinCount"],
    ["payment_min_count", "paymentMinCount"],
    ["errors_window_hours", "errorsWindowHours"],
    ["errors_min_count", "errorsMinCount"],
    ["out_of_stock_min_count", "outOfStockMinCount"],
    ["low_stock_lte", "lowStockLte"],
    ["low_stock_min_count", "lowStockMinCount"],
  ];
  const out: Partial<Pick<OpsRules, NumericRule>> = {};
  for (const [from, to] of map) if (r[from] !== undefined) out[to] = r[from];
  return out;
}

export const bizDashboardOps = defineTool({
  name: "biz_dashboard_ops",
  version: "1.0",
  kind: "read",
  title: "Операционный отчёт",
  description: "What needs attention now (chats, stuck orders, payments, errors, stock) against the ops rules; PDF ops_report.pdf.",
  input: z.object({ format: enumParam(["pdf"]).default("pdf"), tz: tzParam, rules: rulesInput }),
  async run(input, ctx) {
    const tz = checkTz(input.tz);
    const snap = await opsSnapshot(ctx, rulesFrom(input.rules));
    const rep = buildOpsReport(ctx, snap, tz ? { tz } : {});
    const counts = {
      unanswered: snap.unanswered.count,
      stuck: snap.stuck.count,
      payment: snap.payment.count,
      errors: snap.errors.count,
      outOfStock: snap.outOfStock.count,
      lowStock: snap.lowStock.count,
    };
    const data: DashboardData = { kind: "ops", text: rep.text, format: "pdf", counts, hits: rep.hits };
    return result(
      ctx,
      data,
      { sources: snap.sources, window: { from: snap.today, to: snap.today } },
      reportOf("pdf", "ops_report", rep.doc),
    );
  },
});

export const dashboardTools = [ntfSendDigestNow, ntfSendWeeklyNow, bizDashboardDaily, bizDashboardWeekly, bizDashboardOps];
