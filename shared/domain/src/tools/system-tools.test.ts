import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestEnv, type TestEnv } from "@ownerbot/testkit/harness";
import type { ToolContext } from "../contract.ts";
import { runTool, presentTool } from "./index.ts";
import type { RetroExportData, RetroGapsData, RetroSummaryData } from "./results/retro.ts";
import type { AuditListData, RetrospectiveData } from "./results/system.ts";
import { SHOP } from "@ownerbot/testkit/test-shop";

// The journal tools over hand-made audit_events: the real clock, no demo shop needed.

let env: TestEnv;
let ctx: ToolContext;
const NOW = new Date("2026-11-23T12:00:00Z");
const H = 3_600_000;

type Ev = { type: string; hoursAgo: number; payload?: Record<string, unknown> };

const EVENTS: Ev[] = [
  ...Array.from({ length: 6 }, (_, i): Ev => ({ type: "tool_call", hoursAgo: 1 + i, payload: { tool: "kpi_snapshot", ok: true } })),
  ...Array.from({ length: 3 }, (_, i): Ev => ({ type: "tool_call", hoursAgo: 30 + i, payload: { tool: "orders_search", ok: true } })),
  { type: "tool_call", hoursAgo: 2, payload: { tool: "top_products", ok: false, error_code: "VALIDATION_ERROR" } },
  { type: "tool_call_failed", hoursAgo: 3, payload: { tool: "weekly_magic", error_code: "UNKNOWN_TOOL" } },
  // An order number that does not exist: the owner's typo, not an error of the bot.
  { type: "tool_call", hoursAgo: 2.5, payload: { tool: "order_detail", ok: false, error_code: "NOT_FOUND" } },
  { type: "upstream_unavailable", hoursAgo: 4, payload: { endpoint: "/kpi", note: "x".repeat(500) } },
  { type: "intent_unknown", hoursAgo: 5, payload: { text: "позвони +7 916 123-45-67 или a@b.ru" } },
  { type: "retrospective", hoursAgo: 6, payload: { tool: "kpi_snapshot", quality: "high", text: "выручка вчера" } },
  { type: "action_committed", hoursAgo: 7, payload: { tool: "create_coupon" } },
  // The worker's row of an owner's request: the call and how it was asked.
  {
    type: "tool_call",
    hoursAgo: 0.5,
    payload: { tool: "revenue_trend", ok: true, quality: "high", asked: { by: "text", text: "выручка за неделю" } },
  },
  // The parameter wizard asked twice for a coupon's percent and lifetime (retro_gaps lists it).
  ...Array.from({ length: 2 }, (_, i): Ev => ({
    type: "agent_action_wizard_started",
    hoursAgo: 40 + i,
    payload: { tool: "create_coupon", fields: ["percent_off", "hours"], code: "percent_off+hours", by: "text" },
  })),
  // The advisor: two data briefs and a check this week, one brief the week before; two memos, one with a report left out.
  ...[10, 11, 24 * 8].map((hoursAgo): Ev => ({
    type: "advice_brief_built",
    hoursAgo,
    payload: { topic: "PROMO_STRATEGY", tools: ["coupons_status"] },
  })),
  { type: "advice_validated", hoursAgo: 12, payload: { topic: "PROMO_STRATEGY", tools: ["kpi_compare"] } },
  { type: "advice_memo_requested", hoursAgo: 13, payload: { topic: "PRICING_STRATEGY", tools: ["kpi_compare"] } },
  {
    type: "advice_memo_requested",
    hoursAgo: 14,
    payload: { topic: "PRICING_STRATEGY", tools: ["kpi_compare", "top_products"], code: "partial", left_out: 1 },
  },
  // The previous 7-day window: 2 tool calls, one failure.
  { type: "tool_call", hoursAgo: 24 * 8, payload: { tool: "kpi_snapshot" } },
  { type: "tool_call", hoursAgo: 24 * 9, payload: { tool: "kpi_snapshot" } },
  { type: "tool_call", hoursAgo: 24 * 10, payload: { tool: "top_products", ok: false, error_code: "VALIDATION_ERROR" } },
];

beforeAll(async () => {
  env = await createTestEnv();
  for (const e of EVENTS) {
    await env.pool.query("INSERT INTO audit_events (occurred_at, event_type, correlation_id, payload) VALUES ($1, $2, 'c', $3)", [
      new Date(NOW.getTime() - e.hoursAgo * H),
      e.type,
      JSON.stringify(e.payload ?? {}),
    ]);
  }
  // The two memos' PDFs: one sent, one that never went out; a weekly PDF is not a memo.
  for (const [status, file, hoursAgo] of [
    ["done", "decision_memo_pricing_strategy.pdf", 13],
    ["dead", "decision_memo_pricing_strategy.pdf", 14],
    ["done", "weekly_report.pdf", 15],
  ] as const)
    await env.pool.query("INSERT INTO report_jobs (cause, chat_id, request, status, created_at) VALUES ($1, 1, $2, $3, $4)", [
      `upd:${hoursAgo}:0`,
      JSON.stringify({ format: "pdf", filename: file }),
      status,
      new Date(NOW.getTime() - hoursAgo * H),
    ]);
  ctx = { db: env.db, shop: SHOP, now: NOW, correlationId: "t" };
});
afterAll(async () => {
  await env.close();
});

async function data<T>(name: string, input: unknown): Promise<T> {
  const o = await runTool(name, input, ctx);
  if (!o.ok) throw new Error(o.error.message);
  return o.result.data as T;
}

describe("sys_audit_recent / sys_last_errors", () => {
  it("lists newest first and pages with hasMore", async () => {
    const d = await data<AuditListData>("sys_audit_recent", { limit: 5 });
    // Equal times fall back to the id, i.e. the later insert first.
    const expected = EVENTS.map((e, i) => ({ ...e, i }))
      .sort((a, b) => a.hoursAgo - b.hoursAgo || b.i - a.i)
      .slice(0, 5)
      .map((e) => e.type);
    expect(d.events.map((e) => e.eventType)).toEqual(expected);
    expect(d.hasMore).toBe(true);
    const last = await data<AuditListData>("sys_audit_recent", { limit: 5, offset: EVENTS.length - 2 });
    expect(last.events).toHaveLength(2);
    expect(last.hasMore).toBe(false);
  });

  it("keeps only failure-like types and cuts payloads to 300 characters", async () => {
    const d = await data<AuditListData>("sys_last_errors", { limit: 100 });
    const expected = EVENTS.filter((e) => /failed|error|unavailable|exception/i.test(e.type)).length;
    expect(d.events).toHaveLength(expected);
    expect(d.events.every((e) => e.payloadPreview.length <= 300)).toBe(true);
    expect(d.events.some((e) => e.payloadPreview.endsWith("…"))).toBe(true);
    expect(d.events.map((e) => e.payloadPreview).join()).not.toContain("NOT_FOUND");
  });

  it("shows the journal in words: what happened, which report, how it ended; no JSON or event types", async () => {
    const o = await runTool("sys_audit_recent", { limit: 20 }, ctx);
    const text = presentTool(o, ctx)[0]!.text;
    expect(text).toContain("Запрос «Карточка заказа» — не найдено");
    expect(text).toContain("Сбой при ответе «weekly_magic» — неизвестный отчёт");
    expect(text).toContain("Источник данных не ответил");
    expect(text).not.toMatch(/[{}]|tool_call|upstream_unavailable/);
  });
});

describe("retrospective and retro tools", () => {
  it("retrospective_last shows the owner's requests only, in words", async () => {
    const o = await runTool("retrospective_last", {}, ctx);
    if (!o.ok) throw new Error(o.error.message);
    expect((o.result.data as RetrospectiveData).events.map((e) => e.eventType)).toEqual(["tool_call", "retrospective"]);
    const text = presentTool(o, ctx)[0]?.text ?? "";
    expect(text).toContain("«выручка за неделю» → Динамика выручки ✅");
    expect(text).toContain("«выручка вчера» → KPI за день ✅");
  });

  it("retro_summary counts this week against the week before", async () => {
    const d = await data<RetroSummaryData>("retro_summary", { period_days: 7 });
    const inWeek = EVENTS.filter((e) => e.hoursAgo < 24 * 7);
    const calls = inWeek.filter((e) => e.type.startsWith("tool_call")).length;
    expect(d.metrics.events.current).toBe(inWeek.length);
    expect(d.metrics.toolCalls).toMatchObject({ current: calls, previous: 3, absolute: calls - 3 });
    expect(d.metrics.toolFailures).toMatchObject({ current: 1, previous: 0 });
    expect(d.metrics.ownerMisses).toMatchObject({ current: 2, previous: 1, percent: 100 });
    expect(d.metrics.errors.current).toBe(2);
    expect(d.topErrors.map((e) => e.key)).not.toContain("tool_call:NOT_FOUND");
    expect(d.metrics.unknownIntents.current).toBe(1);
    expect(d.metrics.actionsCommitted.current).toBe(1);
    expect(d.topTools[0]).toEqual({ key: "kpi_snapshot", count: 6 });
    expect(d.failureRatePct).toBe(Math.round((1 / calls) * 10000) / 100);
  });

  it("retro_summary and retro_gaps count the advisor's briefs and memos, and memos that came incomplete or unsent", async () => {
    const d = await data<RetroSummaryData>("retro_summary", { period_days: 7 });
    expect(d.advisor.briefs).toMatchObject({ current: 2, previous: 1 });
    expect(d.advisor.checks).toMatchObject({ current: 1, previous: 0 });
    expect(d.advisor.memos).toMatchObject({ current: 2, previous: 0 });
    expect(d.advisor.memosPartial.current).toBe(1);
    expect(d.advisor.memosSent).toMatchObject({ current: 1, previous: 0 });
    expect(d.advisor.memosFailed).toMatchObject({ current: 1, previous: 0 });
    const summary = await runTool("retro_summary", { period_days: 7 }, ctx);
    const text = presentTool(summary, ctx)[0]!.text;
    expect(text).toContain("Сводки советника по данным: 2 ");
    expect(text).toContain("Записки советника: 2 ");
    expect(text).toContain("Из записок: отправлено 1, не отправлено 1, без части отчётов 1");

    const g = await data<RetroGapsData>("retro_gaps", { period_days: 30 });
    expect(g.advisor).toEqual([{ topic: "PRICING_STRATEGY", partial: 1, failed: 1 }]);
    const gaps = presentTool(await runTool("retro_gaps", { period_days: 30 }, ctx), ctx)[0]!.text;
    expect(gaps).toContain("Записки советника с пробелами:\n• Цены: без части отчётов 1, не отправлено 1");
    expect(gaps).toContain("👉 Записки советника без части отчётов или не отправлены");
  });

  it("retro_gaps groups failures by code and tool", async () => {
    const d = await data<RetroGapsData>("retro_gaps", { period_days: 30 });
    expect(d.unknownTools).toEqual([{ tool: "weekly_magic", count: 1, previous: 0 }]);
    expect(d.invalidInput).toEqual([{ tool: "top_products", count: 2, previous: 0 }]);
    expect(d.wizardMissing).toEqual([{ tool: "create_coupon", fields: "percent_off, hours", count: 2, previous: 0 }]);
    const shown = await runTool("retro_gaps", { period_days: 30 }, ctx);
    if (!shown.ok) throw new Error(shown.error.message);
    expect(presentTool(shown, ctx)[0]?.text).toContain("Не хватало параметров (спрашивал мастер):");
    expect(d.hints.length).toBeGreaterThan(0);
  });

  it("retro_export attaches redacted JSON", async () => {
    const o = await runTool("retro_export", { period_days: 7 }, ctx);
    if (!o.ok) throw new Error(o.error.message);
    const art = o.result.artifacts?.[0];
    expect(art?.filename).toBe("retro_7d.json");
    const json = JSON.parse(art?.content.toString("utf8") ?? "{}") as RetroExportData;
    expect(json.summary.metrics.toolCalls.current).toBe((o.result.data as RetroExportData).summary.metrics.toolCalls.current);
    expect(presentTool(o, ctx)[0]?.artifacts?.[0]?.filename).toBe("retro_7d.json");
    // Dates survive the phone redactor; the phone in the unknown phrase does not.
    const raw = JSON.parse(art?.content.toString("utf8") ?? "{}") as { generated_at: string; summary: { from: string; to: string } };
    expect(raw.generated_at).toBe(NOW.toISOString());
    expect(raw.summary.from).toBe("2026-11-16");
    expect(raw.summary.to).toBe("2026-11-23");
  });
});
