import type { AuditInsert } from "@ownerbot/core/db";
import type { ToolContext } from "@ownerbot/domain/contract";
import { buildDailyDigest, buildWeeklyReport } from "@ownerbot/domain/digest";
import { digestDue, type NotifySettings, opsRulesOf, quietDigestReasons, quietReasonLine, weeklyDue } from "@ownerbot/domain/notify";
import type { Effect } from "./effect.ts";

// The daily (and quiet) digest and the weekly report. The text is an outbox row; a PNG/PDF is a
// report_jobs row in the same statement, drawn and sent after the text by the report worker.

export type DigestRun = {
  s: NotifySettings;
  ctx: ToolContext;
  now: Date;
  ownerId: number;
  apply: (e: Effect) => Promise<void>;
  audit: (type: string, payload: Record<string, unknown>) => AuditInsert;
  fxLastApplyFailed: boolean;
};

export async function runDigest(r: DigestRun): Promise<void> {
  const { s, now, ownerId } = r;
  const due = digestDue(s, now, r.ctx.shop.timeZone);
  if (!due.due) return;
  const digest = await buildDailyDigest(r.ctx, {
    rules: opsRulesOf(s),
    includeKpi: s.digest_include_kpi,
    includeFx: s.digest_include_fx,
    includeOps: s.digest_include_ops,
    tz: due.tz,
  });
  const cause = `ntf:digest:${ownerId}:${due.day}`;
  let text = digest.text;
  let event = "notify_digest_sent_v2";
  const attempt: Record<string, unknown> = due.quiet ? { digest_last_attempt_at: now } : {};
  if (due.quiet) {
    const f = digest.facts;
    const reasons = quietDigestReasons(
      s,
      {
        revenueWowPct: f.revenueWowPct,
        ordersWowPct: f.ordersWowPct,
        opsHits: f.opsRulesFired.length,
        errors: f.errorsCount,
        fxLastApplyFailed: r.fxLastApplyFailed,
      },
      now,
    );
    if (reasons.length === 0) {
      await r.apply({
        state: { ...attempt, digest_last_skipped_at: now },
        audits: [
          r.audit("notify_digest_skipped_quiet", { day: due.day, revenue_wow_pct: f.revenueWowPct, orders_wow_pct: f.ordersWowPct }),
        ],
      });
      return;
    }
    text = `${quietReasonLine(reasons)}\n\n${text}`;
    event = "notify_digest_sent_quiet_v1";
  }
  const format = s.digest_format === "png" || s.digest_format === "pdf" ? s.digest_format : null;
  await r.apply({
    state: { ...attempt, digest_last_sent_at: now },
    cause,
    texts: [text],
    reports: format
      ? [
          {
            cause: `${cause}:${format}`,
            chatId: ownerId,
            request: { format, filename: `daily_digest.${format}`, caption: `Дайджест за ${due.day}`, doc: digest.doc },
          },
        ]
      : [],
    audits: [r.audit(event, { day: due.day, format: s.digest_format })],
  });
}

export async function runWeekly(r: DigestRun): Promise<void> {
  const { s, now, ownerId } = r;
  const due = weeklyDue(s, now, r.ctx.shop.timeZone);
  if (!due.due) return;
  const report = await buildWeeklyReport(r.ctx, { tz: due.tz });
  const cause = `ntf:weekly:${ownerId}:${due.week}`;
  await r.apply({
    state: { weekly_last_sent_at: now },
    cause,
    texts: [report.text],
    reports: [
      {
        cause: `${cause}:pdf`,
        chatId: ownerId,
        request: { format: "pdf", filename: "weekly_report.pdf", caption: `Недельный отчёт ${due.week}`, doc: report.doc },
      },
    ],
    audits: [r.audit("notify_weekly_sent", { week: due.week })],
  });
}
