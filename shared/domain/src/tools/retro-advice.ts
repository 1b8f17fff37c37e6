import type { AuditCount, MemoJobCount } from "./provider.ts";
import { delta, sum } from "./retro-counts.ts";
import type { AdvisorGapRow, AdvisorSummary } from "./results/retro.ts";

// The advisor's share of the retro: its data briefs and decision memos, from the audit trail
// (advice_brief_built, advice_validated, advice_memo_requested — a memo with reports left out
// carries code "partial") and from report_jobs (whether each memo's PDF was sent).

type Side = { audits: AuditCount[]; memos: MemoJobCount[] };

const count = (rows: AuditCount[], type: string, code?: string): number =>
  sum(rows, (r) => r.eventType === type && (code === undefined || r.code === code));
const jobs = (rows: MemoJobCount[], status: MemoJobCount["status"]): number => sum(rows, (r) => r.status === status);

function side(s: Side): Record<keyof AdvisorSummary, number> {
  return {
    briefs: count(s.audits, "advice_brief_built"),
    checks: count(s.audits, "advice_validated"),
    memos: count(s.audits, "advice_memo_requested"),
    memosPartial: count(s.audits, "advice_memo_requested", "partial"),
    memosSent: jobs(s.memos, "sent"),
    memosFailed: jobs(s.memos, "failed"),
  };
}

/** Briefs, checks and memos this period against the one before. */
export function advisorSummary(cur: Side, prev: Side): AdvisorSummary {
  const c = side(cur);
  const p = side(prev);
  const keys = Object.keys(c) as (keyof AdvisorSummary)[];
  return Object.fromEntries(keys.map((k) => [k, delta(c[k], p[k])])) as AdvisorSummary;
}

/** Topics whose memos came without some reports or whose PDF never went out, most first. */
export function advisorGaps(cur: Side, limit = 5): AdvisorGapRow[] {
  const rows = new Map<string, AdvisorGapRow>();
  const row = (topic: string): AdvisorGapRow => {
    const r = rows.get(topic) ?? { topic, partial: 0, failed: 0 };
    rows.set(topic, r);
    return r;
  };
  for (const a of cur.audits) if (a.eventType === "advice_memo_requested" && a.code === "partial") row(a.topic ?? "—").partial += a.count;
  for (const m of cur.memos) if (m.status === "failed") row(m.topic).failed += m.count;
  return [...rows.values()].sort((a, b) => b.partial + b.failed - (a.partial + a.failed) || a.topic.localeCompare(b.topic)).slice(0, limit);
}
