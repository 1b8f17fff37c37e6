import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ToolResult } from "../contract.ts";
import { presentTool, runTool } from "./index.ts";
import type { DashboardData } from "./results/dashboard.ts";
import { one, seededShop, type TestShop } from "@ownerbot/testkit/test-shop";

// The five composite tools through the registry: formats, file names, the owner's digest format,
// tz validation, ops rule overrides, and texts that fit Telegram.

let s: TestShop;
beforeAll(async () => {
  s = await seededShop();
});
afterAll(async () => {
  await s.env.close();
});

async function run(name: string, input: unknown, ctx = s.ctx): Promise<ToolResult<DashboardData>> {
  const outcome = await runTool(name, input, ctx);
  if (!outcome.ok) throw new Error(`${name}: ${outcome.error.code} ${outcome.error.message}`);
  for (const r of presentTool(outcome, ctx)) expect(r.text.length).toBeLessThanOrEqual(4096);
  expect(outcome.result.warnings).toEqual([]);
  return outcome.result as ToolResult<DashboardData>;
}

describe("file names and formats", () => {
  it("biz_dashboard_daily: png by default, captioned with its title (the text goes first); text; pdf", async () => {
    const png = await run("biz_dashboard_daily", {});
    expect(png.report?.format).toBe("png");
    expect(png.report?.filename).toBe("business_dashboard_daily.png");
    const doc = png.report?.doc;
    expect(png.report?.caption).toBe([doc?.title, doc?.subtitle].filter(Boolean).join("\n"));
    expect(png.report?.caption).toMatch(/^Дашборд дня/u);
    expect(png.report?.doc.blocks.some((b) => b.kind === "chart")).toBe(true);
    expect(png.data.text).toMatch(/^📰 Дашборд дня за 23\.11\.2026/u);
    expect((await run("biz_dashboard_daily", { format: "text" })).report).toBeUndefined();
    const pdf = await run("biz_dashboard_daily", { format: "PDF", tz: "Asia/Tokyo" });
    expect(pdf.report?.filename).toBe("business_dashboard_daily.pdf");
    expect(pdf.report?.doc.timeZone).toBe("Asia/Tokyo");
  });

  it("weekly and ops are PDFs with their reference file names", async () => {
    const weekly = await run("biz_dashboard_weekly", { week_mode: "last7" });
    expect(weekly.report).toMatchObject({ format: "pdf", filename: "business_dashboard_weekly.pdf" });
    const now = await run("ntf_send_weekly_now", {});
    expect(now.report).toMatchObject({ format: "pdf", filename: "weekly_report.pdf" });
    expect(now.data.text).toMatch(/^🗓 Недельный отчёт: 16\.11–22\.11\.2026/u);
    const ops = await run("biz_dashboard_ops", {});
    expect(ops.report).toMatchObject({ format: "pdf", filename: "ops_report.pdf" });
    expect(ops.report?.doc.blocks[0]?.kind).toBe("table");
    expect(ops.data.text).toContain("Что сделать:");
  });

  it("rejects an unknown time zone and a week mode other than last7", async () => {
    const bad = await runTool("biz_dashboard_daily", { tz: "Mars/Olympus" }, s.ctx);
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error.code).toBe("VALIDATION_ERROR");
    expect(!bad.ok && bad.error.message).toContain("Параметр tz");
    const mode = await runTool("biz_dashboard_weekly", { week_mode: "calendar" }, s.ctx);
    expect(!mode.ok && mode.error.code).toBe("VALIDATION_ERROR");
  });
});

describe("ntf_send_digest_now", () => {
  it("text without a settings row; the owner's digest_format otherwise", async () => {
    const plain = await run("ntf_send_digest_now", {}, { ...s.ctx, actorId: 501 });
    expect(plain.data.format).toBe("text");
    expect(plain.report).toBeUndefined();
    expect(plain.data.facts?.day).toBe("2026-11-23");

    await s.env.pool.query("INSERT INTO owner_notify_settings (owner_id, digest_format, digest_include_fx) VALUES (502, 'pdf', false)");
    const pdf = await run("ntf_send_digest_now", {}, { ...s.ctx, actorId: 502 });
    expect(pdf.report).toMatchObject({ format: "pdf", filename: "daily_digest.pdf" });
    expect(pdf.data.text).not.toContain("💱");
    expect(pdf.data.facts?.fxWouldApply).toBeNull();
  });
});

describe("biz_dashboard_ops", () => {
  it("counts follow the rules given", async () => {
    const raw = await one<{ all: number; over6: number }>(
      s.env,
      `SELECT count(*)::int AS all, count(*) FILTER (WHERE last_customer_message_at <= $1::timestamptz - interval '6 hours')::int AS over6
       FROM demo_chat_threads WHERE open AND last_customer_message_at <= $1
         AND (last_manager_reply_at IS NULL OR last_manager_reply_at < last_customer_message_at)`,
      [s.asOf],
    );
    const r0 = await run("biz_dashboard_ops", { rules: { unanswered_threshold_hours: 0 } });
    const r6 = await run("biz_dashboard_ops", { rules: { unanswered_threshold_hours: "6", unanswered_min_count: 999 } });
    expect(r0.data.counts?.unanswered).toBe(raw.all);
    expect(r6.data.counts?.unanswered).toBe(raw.over6);
    expect(r6.data.hits?.some((h) => h.rule === "unanswered")).toBe(false);
    expect(r6.data.text).toContain("Чаты без ответа > 6 ч");
  });
});
