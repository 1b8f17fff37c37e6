// Chart photos drawn both ways (REPORT_CHART_RENDERER): resvg in-process against the baseline,
// Chromium, in the same run. The charts are the bot's own, built by the real tools from a seeded
// demo shop: /trend 14, /trend 90 and the daily dashboard's photo. Each renderer runs in a fresh
// child process, so the cold render (for Chromium, its launch) and the peak memory are its alone:
// the child's RSS plus its descendants' (Chromium's processes), sampled from /proc every 50 ms.
import { spawn } from "node:child_process";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import type { ToolResult } from "@ownerbot/domain/contract";
import type { TrendData } from "@ownerbot/domain/tools";
import type { ReportRequest } from "@ownerbot/core/queue";
import { percentile } from "./lib.ts";

const ROUNDS = Number(process.env.ROUNDS ?? 30);
const WARMUP = Number(process.env.WARMUP ?? 3);
const FONT_DIR = process.env.REPORT_FONT_DIR ?? "/usr/share/fonts/truetype/dejavu";
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const RENDERERS = ["chromium", "resvg"] as const;
type Renderer = (typeof RENDERERS)[number];
type Chart = { label: string; req: ReportRequest };
type Timing = { label: string; p50: number; p95: number; cpuMs: number; bytes: number; width: number; height: number };
type Outcome = { renderer: Renderer; coldMs: number; charts: Timing[]; peakRssMb: number; browserStarted: boolean };

/**
 * A process and all its descendants from /proc: RSS in bytes (shared pages count in each, so the
 * sum is an upper bound) and CPU time in ms (user + system, its own and its reaped children's).
 */
function procTree(root: number): { rss: number; cpuMs: number } {
  const kids = new Map<number, number[]>();
  const of = new Map<number, { rss: number; cpuMs: number }>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, "utf8");
    } catch {
      continue; // gone meanwhile
    }
    // The fields after the command's closing parenthesis: state, ppid, … utime (12th) … rss (22nd).
    const f = stat
      .slice(stat.lastIndexOf(")") + 2)
      .split(" ")
      .map(Number);
    const pid = Number(name);
    const ticks = (f[11] ?? 0) + (f[12] ?? 0) + (f[13] ?? 0) + (f[14] ?? 0);
    of.set(pid, { rss: (f[21] ?? 0) * 4096, cpuMs: ticks * 10 }); // 4 KiB pages, USER_HZ 100
    kids.set(f[1] ?? 0, [...(kids.get(f[1] ?? 0) ?? []), pid]);
  }
  const sum = { rss: 0, cpuMs: 0 };
  const stack = [root];
  while (stack.length > 0) {
    const p = stack.pop()!;
    sum.rss += of.get(p)?.rss ?? 0;
    sum.cpuMs += of.get(p)?.cpuMs ?? 0;
    stack.push(...(kids.get(p) ?? []));
  }
  return sum;
}

async function child(renderer: Renderer, file: string): Promise<void> {
  const charts = JSON.parse(readFileSync(file, "utf8")) as Chart[];
  const { createReportBrowser } = await import("@ownerbot/reports/browser");
  const { chromiumChartPng, resvgChartPng } = await import("@ownerbot/reports/chart-png");
  const { findChartFonts } = await import("@ownerbot/reports/resvg");
  const { renderReport } = await import("@ownerbot/reports/render");
  let browserStarted = false;
  const t0 = performance.now();
  const browser = createReportBrowser({ executablePath: CHROMIUM, timeoutMs: 60_000 });
  const chartPng = renderer === "resvg" ? resvgChartPng(findChartFonts(FONT_DIR).files) : chromiumChartPng(browser);
  const draw = async (req: ReportRequest): Promise<Buffer> => {
    const a = await renderReport(browser, req, chartPng);
    browserStarted ||= browser.running();
    if (a.kind !== "png") throw new Error(`${req.filename} came out as ${a.kind}`);
    return a.content;
  };
  await draw(charts[0]!.req);
  const coldMs = performance.now() - t0;
  const timings: Timing[] = [];
  for (const c of charts) {
    let png: Buffer = Buffer.alloc(0);
    for (let i = 0; i < WARMUP; i++) png = await draw(c.req);
    const ms: number[] = [];
    const cpu0 = procTree(process.pid).cpuMs;
    for (let i = 0; i < ROUNDS; i++) {
      const s = performance.now();
      png = await draw(c.req);
      ms.push(performance.now() - s);
    }
    const cpuMs = (procTree(process.pid).cpuMs - cpu0) / ROUNDS;
    ms.sort((a, b) => a - b);
    timings.push({
      cpuMs,
      label: c.label,
      p50: percentile(ms, 50),
      p95: percentile(ms, 95),
      bytes: png.length,
      width: png.readUInt32BE(16),
      height: png.readUInt32BE(20),
    });
  }
  await browser.close();
  const out: Omit<Outcome, "peakRssMb"> = { renderer, coldMs, charts: timings, browserStarted };
  process.stdout.write(`${JSON.stringify(out)}\n`);
  process.exit(0);
}

async function buildCharts(): Promise<Chart[]> {
  const { createDb } = await import("@ownerbot/core/db");
  const { seedDemo } = await import("@ownerbot/domain/demo");
  const { refreshReadRollups } = await import("@ownerbot/domain/tools");
  const { runTool } = await import("@ownerbot/domain/tools");
  const { trendReport } = await import("@ownerbot/domain/digest");
  const { scratchDb } = await import("./lib.ts");
  type ToolResultOf = ToolResult<TrendData>;
  const shop = { shopId: "bench", currency: "RUB", timeZone: "Europe/Moscow", locale: "ru-RU" };
  const db = await scratchDb("chartrender");
  try {
    const today = new Intl.DateTimeFormat("en-CA", { timeZone: shop.timeZone }).format(new Date());
    await seedDemo(db.pool, { scale: 5000, seed: 7, anchorDay: today, timeZone: shop.timeZone, currency: shop.currency });
    await refreshReadRollups(createDb(db.pool), { wait: true });
    const ctx = { db: createDb(db.pool), shop, now: new Date(), correlationId: "bench" };
    const trend = async (days: number): Promise<Chart> => {
      const r = await runTool("revenue_trend", { days }, ctx);
      if (!r.ok) throw new Error(`revenue_trend ${days} failed: ${r.error.message}`);
      return { label: `/trend ${days} (revenue_trend)`, req: trendReport(r.result as ToolResultOf, shop, "png") };
    };
    const dash = await runTool("biz_dashboard_daily", { format: "png" }, ctx);
    if (!dash.ok || !dash.result.report) throw new Error("biz_dashboard_daily drew no report");
    return [await trend(14), await trend(90), { label: "daily dashboard (biz_dashboard_daily png)", req: dash.result.report }];
  } finally {
    await db.drop();
  }
}

function runChild(renderer: Renderer, file: string): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [import.meta.filename, "--child", renderer, file], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    let peak = 0;
    // Sampled from here, not in the child, so that the sampling does not hold up its renders.
    const sampler = setInterval(() => (peak = Math.max(peak, procTree(p.pid!).rss)), 50);
    p.stdout.on("data", (b: Buffer) => (out += b.toString()));
    p.on("exit", (code) => {
      clearInterval(sampler);
      if (code !== 0) return reject(new Error(`${renderer}: exit ${code}`));
      const o = JSON.parse(out.trim().split("\n").at(-1)!) as Omit<Outcome, "peakRssMb">;
      resolve({ ...o, peakRssMb: peak / 2 ** 20 });
    });
  });
}

if (process.argv[2] === "--child") {
  await child(process.argv[3] as Renderer, process.argv[4]!);
} else {
  const load = (): string =>
    loadavg()
      .map((l) => l.toFixed(2))
      .join(" ");
  const charts = await buildCharts();
  const file = join(tmpdir(), `chart-render-${process.pid}.json`);
  writeFileSync(file, JSON.stringify(charts));
  const loadBefore = load();
  const results: Outcome[] = [];
  for (const r of RENDERERS) results.push(await runChild(r, file));
  rmSync(file);
  const [base, resvg] = results as [Outcome, Outcome];
  const ms = (v: number): string => `${v.toFixed(0)} ms`;
  const row = (label: string, a: string, b: string, note = ""): void =>
    console.log(`  ${label.padEnd(40)}${a.padEnd(26)}${b.padEnd(26)}${note}`);
  const ratio = (a: number, b: number): string => `${(a / b).toFixed(2)}×`;
  console.log(
    `chart-render: ${ROUNDS} warm renders per chart after ${WARMUP} warm-up, each renderer in a fresh process; demo shop of 5 000 orders`,
  );
  console.log(`  load average before ${loadBefore}, after ${load()} (2 cores, shared with other work)`);
  row("", "chromium (baseline)", "resvg", "resvg/chromium");
  row("cold first render (/trend 14)", ms(base.coldMs), ms(resvg.coldMs), ratio(resvg.coldMs, base.coldMs));
  base.charts.forEach((b, i) => {
    const r = resvg.charts[i]!;
    const png = (t: Timing): string => `${(t.bytes / 1024).toFixed(0)} KB, ${t.width}×${t.height}`;
    row(b.label, "", "");
    row(
      "  warm p50 / p95",
      `${ms(b.p50)} / ${ms(b.p95)}`,
      `${ms(r.p50)} / ${ms(r.p95)}`,
      `${ratio(r.p50, b.p50)} / ${ratio(r.p95, b.p95)}`,
    );
    row("  CPU per render, all processes", ms(b.cpuMs), ms(r.cpuMs), ratio(r.cpuMs, b.cpuMs));
    row("  PNG", png(b), png(r));
  });
  row(
    "peak RSS, process + children",
    `${base.peakRssMb.toFixed(0)} MB`,
    `${resvg.peakRssMb.toFixed(0)} MB`,
    ratio(resvg.peakRssMb, base.peakRssMb),
  );
  row("Chromium started", base.browserStarted ? "yes" : "no", resvg.browserStarted ? "yes" : "no");
  process.exit(0);
}
