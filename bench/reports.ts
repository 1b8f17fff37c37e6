// Report render time, warm, as worker-report draws them: the revenue-trend chart as a PNG and the
// weekly report as a PDF, both built by the real tools from a seeded demo shop, through one
// long-lived headless Chromium. Baselines in the same run: the vega SVG of the same chart alone
// (what the browser adds to a PNG), and the weekly document's HTML with its SVGs (the PDF's share
// that is not the browser's). Targets: PNG p95 ≤ 150 ms, PDF p95 ≤ 800 ms.
import { createDb } from "@ownerbot/core/db";
import type { ShopSettings, ToolContext, ToolResult } from "@ownerbot/domain/contract";
import { seedDemo } from "@ownerbot/domain/demo";
import { buildWeeklyReport, trendReport } from "@ownerbot/domain/digest";
import { refreshReadRollups, runTool, type TrendData } from "@ownerbot/domain/tools";
import { createReportBrowser } from "@ownerbot/reports/browser";
import { chartToSvg } from "@ownerbot/reports/chart";
import type { ReportRequest } from "@ownerbot/core/queue";
import { docToHtml } from "@ownerbot/reports/html";
import { renderReport } from "@ownerbot/reports/render";
import { percentile, scratchDb } from "./lib.ts";

const ROUNDS = Number(process.env.ROUNDS ?? 40);
const WARMUP = Number(process.env.WARMUP ?? 5);
const SHOP: ShopSettings = { shopId: "bench", currency: "RUB", timeZone: "Europe/Moscow", locale: "ru-RU" };

const db = await scratchDb("reports");
const today = new Intl.DateTimeFormat("en-CA", { timeZone: SHOP.timeZone }).format(new Date());
await seedDemo(db.pool, { scale: 5000, seed: 7, anchorDay: today, timeZone: SHOP.timeZone, currency: SHOP.currency });
await refreshReadRollups(createDb(db.pool), { wait: true });
const ctx: ToolContext = { db: createDb(db.pool), shop: SHOP, now: new Date(), correlationId: "bench" };

const trend = await runTool("revenue_trend", { days: 30 }, ctx);
if (!trend.ok) throw new Error(`revenue_trend failed: ${trend.error.message}`);
const png: ReportRequest = trendReport(trend.result as ToolResult<TrendData>, SHOP, "png");
const weekly = await buildWeeklyReport(ctx);
const pdf: ReportRequest = { format: "pdf", filename: "weekly_report.pdf", doc: weekly.doc };
const chart = png.doc.blocks.find((b) => b.kind === "chart");
if (!chart || chart.kind !== "chart") throw new Error("the trend report has no chart");

const browser = createReportBrowser({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", timeoutMs: 30_000 });

async function time(
  label: string,
  fn: () => Promise<unknown>,
): Promise<{ label: string; p50: number; p95: number; max: number; bytes: number }> {
  let bytes = 0;
  for (let i = 0; i < WARMUP; i++) await fn();
  const ms: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const t0 = performance.now();
    const out = await fn();
    ms.push(performance.now() - t0);
    bytes = typeof out === "string" ? Buffer.byteLength(out) : ((out as { content?: Buffer }).content?.length ?? 0);
  }
  ms.sort((a, b) => a - b);
  return { label, p50: percentile(ms, 50), p95: percentile(ms, 95), max: ms.at(-1)!, bytes };
}

const rows = [
  await time("baseline: vega-lite → SVG of the trend chart (no browser)", () =>
    chartToSvg(chart.chart, { locale: SHOP.locale, currency: SHOP.currency }),
  ),
  await time("baseline: weekly report → HTML with its SVGs (no browser)", () => docToHtml(weekly.doc)),
  await time("chart PNG (revenue_trend 30 d), renderReport", () => renderReport(browser, png)),
  await time("weekly PDF (buildWeeklyReport), renderReport", () => renderReport(browser, pdf)),
];
await browser.close();
await db.drop();

console.log(`reports: ${ROUNDS} warm renders each after ${WARMUP} warm-up, one Chromium, demo shop of 5 000 orders`);
for (const r of rows)
  console.log(
    `  ${r.label.padEnd(62)} p50 ${r.p50.toFixed(1).padStart(6)} ms  p95 ${r.p95.toFixed(1).padStart(6)} ms  max ${r.max.toFixed(1).padStart(6)} ms  ${(r.bytes / 1024).toFixed(0)} KB`,
  );
const [, , p, d] = rows as [unknown, unknown, (typeof rows)[number], (typeof rows)[number]];
const verdict = (r: (typeof rows)[number], target: number) =>
  `${r.p95 <= target ? "met" : "MISSED"} (p95 ${r.p95.toFixed(0)} ≤ ${target} ms)`;
console.log(`  targets: PNG ${verdict(p, 150)}, PDF ${verdict(d, 800)}`);
process.exit(0);
