import { execFileSync } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { createReportBrowser } from "./browser.ts";
import { renderReport } from "./render.ts";
import { CHART_WIDTH } from "./chart.ts";
import { resvgChartPng } from "./chart-png.ts";
import { findChartFonts } from "./resvg.ts";
import type { ReportDoc } from "@ownerbot/core/queue";

// A real headless Chromium, as the report worker runs it.
const browser = createReportBrowser({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", timeoutMs: 30_000 });
afterAll(async () => browser.close());

const x = ["2026-11-17", "2026-11-18", "2026-11-19", "2026-11-20", "2026-11-21", "2026-11-22", "2026-11-23"];
const doc: ReportDoc = {
  title: "Недельный отчёт магазина",
  subtitle: "17.11–23.11.2026",
  generatedAt: "2026-11-23T15:00:00Z",
  locale: "ru-RU",
  currency: "RUB",
  timeZone: "Europe/Moscow",
  blocks: [
    { kind: "kpis", items: [{ label: "Выручка", value: "123 456 ₽", delta: "▲ +4,2 %", tone: "up" }] },
    {
      kind: "chart",
      chart: {
        type: "line",
        title: "Выручка по дням",
        x,
        series: [
          { name: "Выручка", unit: "money", values: [1000, 2000, null, 4000, 3500, 5000, 4200] },
          { name: "Заказы", unit: "count", values: [1, 2, null, 4, 3, 5, 4] },
        ],
      },
    },
    { kind: "table", columns: ["Товар", "Выручка"], rows: [["Шарф «Зима»", "9 900 ₽"]], align: ["left", "right"] },
  ],
  footer: "Данные: демо",
};

/** A binary PPM (P6) as pdftoppm writes it, with a pixel reader. */
function ppm(b: Buffer): { width: number; height: number; at: (x: number, y: number) => [number, number, number] } {
  const head = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(b.subarray(0, 40).toString("latin1"));
  if (!head) throw new Error("not a P6 image");
  const [, w, h] = head;
  const width = Number(w);
  const offset = head[0].length;
  return {
    width,
    height: Number(h),
    at: (x, y) => {
      const i = offset + (y * width + x) * 3;
      return [b[i] ?? 255, b[i + 1] ?? 255, b[i + 2] ?? 255];
    },
  };
}

function pngSize(b: Buffer): { width: number; height: number } {
  expect(b.subarray(0, 8).toString("hex")).toBe("89504e470d0a1a0a");
  expect(b.subarray(12, 16).toString("ascii")).toBe("IHDR");
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

describe("renderReport in Chromium", () => {
  it.each([
    ["chromium", undefined],
    ["resvg", resvgChartPng(findChartFonts(process.env.REPORT_FONT_DIR ?? "/usr/share/fonts/truetype/dejavu").files)],
  ])(
    "draws the first chart as a PNG at twice its size (%s)",
    async (_, chartPng) => {
      const a = await renderReport(browser, { format: "png", filename: "trend.png", caption: "подпись", doc }, chartPng);
      expect(a).toMatchObject({ kind: "png", filename: "trend.png", caption: "подпись" });
      const { width, height } = pngSize(a.content);
      expect(width).toBeGreaterThanOrEqual(CHART_WIDTH * 2);
      expect(height).toBeGreaterThan(600);
      expect(height).toBeLessThan(width);
    },
    60_000,
  );

  it("draws a document without charts as one picture of the whole document", async () => {
    const noChart = { ...doc, blocks: doc.blocks.filter((b) => b.kind !== "chart") };
    const a = await renderReport(browser, { format: "png", filename: "doc.png", doc: noChart });
    const { width, height } = pngSize(a.content);
    expect(width).toBe(1800); // #report is 900 CSS px wide
    expect(height).toBeGreaterThan(200);
  }, 60_000);

  it("sends a chartless document too tall for a Telegram photo as a PDF instead", async () => {
    const rows = Array.from({ length: 400 }, (_, i) => [`Товар ${i + 1}`, `${i + 1} ₽`]);
    const long: ReportDoc = { ...doc, blocks: [{ kind: "table", columns: ["Товар", "Сумма"], rows }] };
    const a = await renderReport(browser, { format: "png", filename: "ops.png", doc: long });
    expect(a.kind).toBe("pdf");
    expect(a.filename).toBe("ops.pdf");
    expect(a.content.subarray(0, 5).toString("ascii")).toBe("%PDF-");
  }, 60_000);

  it("prints an A4 PDF whose text keeps the Russian title, ₽ and page numbers", async () => {
    const a = await renderReport(browser, { format: "pdf", filename: "weekly.pdf", doc });
    expect(a.kind).toBe("pdf");
    expect(a.content.subarray(0, 5).toString("ascii")).toBe("%PDF-");
    const text = execFileSync("pdftotext", ["-layout", "-", "-"], { input: a.content }).toString("utf8");
    expect(text).toContain("Недельный отчёт магазина");
    expect(text).toContain("123 456 ₽");
    expect(text).toContain("Шарф «Зима»");
    expect(text).toMatch(/1\s*\/\s*1/);
    const info = execFileSync("pdfinfo", ["-"], { input: a.content }).toString("utf8");
    expect(info).toMatch(/Page size:\s+595\.\d* x 841\.\d* pts \(A4\)/);
  }, 60_000);

  it("keeps the right border of the fourth KPI card inside the printable width", async () => {
    const cards = ["Выручка", "Чистая выручка", "Оплаченные заказы", "Средний чек"].map((label) => ({ label, value: "2 684 183 ₽" }));
    const four: ReportDoc = { ...doc, blocks: [{ kind: "kpis", items: cards }] };
    const a = await renderReport(browser, { format: "pdf", filename: "k.pdf", doc: four });
    const img = ppm(
      execFileSync("pdftoppm", ["-r", "100", "-f", "1", "-l", "1", "-H", "400", "-"], { input: a.content, maxBuffer: 8 << 20 }),
    );
    // The cards' band: rows mostly covered by the cards; their border is #e5e7eb.
    const white = (x: number, y: number): boolean => img.at(x, y).every((c) => c === 255);
    const border = (x: number, y: number): boolean => {
      const [r, g, b] = img.at(x, y);
      return Math.abs(r - 0xe5) <= 4 && Math.abs(g - 0xe7) <= 4 && Math.abs(b - 0xeb) <= 4;
    };
    const xs = Array.from({ length: img.width }, (_, x) => x);
    const band = Array.from({ length: img.height }, (_, y) => y).filter((y) => xs.filter((x) => !white(x, y)).length > img.width / 2);
    expect(band.length).toBeGreaterThan(20);
    // The rightmost column that is a border line over most of the band.
    const right = xs.findLast((x) => band.filter((y) => border(x, y)).length > band.length * 0.6) ?? -1;
    const printableRight = img.width - Math.round((12 / 25.4) * 100);
    expect(right).toBeGreaterThan(printableRight - 12);
    expect(right).toBeLessThan(printableRight);
  }, 60_000);

  it("draws on kept pages, several at once and again after (a kept page behind another must not hang)", async () => {
    for (let round = 0; round < 3; round++) {
      const out = await Promise.all([
        renderReport(browser, { format: "png", filename: "a.png", doc }),
        renderReport(browser, { format: "pdf", filename: "a.pdf", doc }),
        renderReport(browser, { format: "png", filename: "b.png", doc }),
        renderReport(browser, { format: "pdf", filename: "b.pdf", doc }),
        renderReport(browser, { format: "png", filename: "c.png", doc }),
      ]);
      expect(out.map((a) => a.kind)).toEqual(["png", "pdf", "png", "pdf", "png"]);
      expect(new Set(out.filter((a) => a.kind === "png").map((a) => a.content.toString("base64"))).size).toBe(1);
    }
  }, 60_000);

  it("starts a new browser after the old one died", async () => {
    await renderReport(browser, { format: "png", filename: "a.png", doc });
    // Kill the running Chromium the hard way, as a crash would.
    const pids = execFileSync("pgrep", ["-P", String(process.pid), "-f", "chromium"])
      .toString()
      .trim()
      .split("\n");
    for (const pid of pids) process.kill(Number(pid), "SIGKILL");
    await new Promise((r) => setTimeout(r, 300));
    const a = await renderReport(browser, { format: "png", filename: "b.png", doc });
    expect(pngSize(a.content).width).toBeGreaterThan(0);
  }, 60_000);
});
