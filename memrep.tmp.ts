import { readFileSync } from "node:fs";
import { createReportBrowser } from "./shared/src/reports/browser.ts";
import { renderReport } from "./shared/src/reports/render.ts";
import type { ReportDoc } from "./shared/src/reports/doc.ts";
const hwm = () => Number(/VmHWM:\s+(\d+)/.exec(readFileSync("/proc/self/status", "utf8"))![1]) / 1024;
const x = Array.from({ length: 30 }, (_, i) => `2026-11-${String(i + 1).padStart(2, "0")}`);
const chart = { type: "line" as const, title: "Выручка", x, series: [{ name: "Выручка", unit: "money" as const, values: x.map((_, i) => 1000 + i * 37) }, { name: "Заказы", unit: "count" as const, values: x.map((_, i) => 10 + i) }] };
const doc: ReportDoc = { title: "Недельный отчёт", generatedAt: new Date().toISOString(), locale: "ru-RU", currency: "RUB", timeZone: "Europe/Moscow",
  blocks: [{ kind: "chart", chart }, { kind: "table", columns: ["a", "b"], rows: x.map((d) => [d, "1 000 ₽"]) }, { kind: "chart", chart }] };
const b = createReportBrowser({ executablePath: "/usr/bin/chromium", timeoutMs: 30000 });
const start = hwm();
await import("vega"); await import("vega-lite");
const loaded = hwm();
for (let i = 0; i < 60; i++) { await renderReport(b, { format: i % 2 ? "pdf" : "png", filename: "a", doc }); }
console.log(`start ${start.toFixed(0)} after-import ${loaded.toFixed(0)} after-60 ${hwm().toFixed(0)} MB heapUsed ${(process.memoryUsage().heapUsed/1048576).toFixed(0)} ext ${(process.memoryUsage().external/1048576).toFixed(0)}`);
await b.close(); process.exit(0);
