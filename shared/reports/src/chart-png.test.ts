import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { decodePng, hasColour, inkedPixels, type Pixels } from "@ownerbot/testkit/png";
import { createReportBrowser } from "./browser.ts";
import { chromiumChartPng, resvgChartPng, type ChartPng } from "./chart-png.ts";
import { chartPhotoSvg, PHOTO_WIDTH, wrapText } from "./chart-photo.ts";
import type { ChartSpec, ReportDoc } from "@ownerbot/core/queue";
import { renderReport } from "./render.ts";
import { createResvgRasterizer, findChartFonts } from "./resvg.ts";

// The chart photo drawn both ways (REPORT_CHART_RENDERER): resvg in-process and Chromium. Both must
// give the same card at twice its CSS size, with the chart's lines and readable Russian text.

const FONT_DIR = process.env.REPORT_FONT_DIR ?? "/usr/share/fonts/truetype/dejavu";
const fonts = findChartFonts(FONT_DIR);
const browser = createReportBrowser({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", timeoutMs: 30_000 });
afterAll(async () => browser.close());

const x = Array.from({ length: 14 }, (_, i) => new Date(Date.UTC(2026, 10, 10 + i)).toISOString().slice(0, 10));
const chart: ChartSpec = {
  type: "line",
  title: "Выручка и оплаченные заказы за 14 дн.",
  x,
  series: [
    { name: "Выручка", unit: "money", axis: "left", values: x.map((_, i) => (i === 3 ? null : 100_000 + 17_000 * (i % 5))) },
    { name: "Оплаченные заказы", unit: "count", axis: "right", values: x.map((_, i) => (i === 3 ? null : 20 + (i % 4))) },
  ],
  footnote: "Часовой пояс: Europe/Moscow · нет данных за 1 дн. (разрывы линий)",
};
const doc: ReportDoc = {
  title: "Выручка за 14 дн.",
  generatedAt: "2026-11-23T15:00:00Z",
  locale: "ru-RU",
  currency: "RUB",
  timeZone: "Europe/Moscow",
  blocks: [{ kind: "chart", chart }],
  footer: "Период: 10.11–23.11.2026 · Данные: демо",
};

const renderers: [string, () => ChartPng][] = [
  ["resvg", () => resvgChartPng(fonts.files)],
  ["chromium", () => chromiumChartPng(browser)],
];

describe("chart photos", () => {
  it("finds the DejaVu fonts here, and names the files a directory lacks", () => {
    expect(fonts.missing).toEqual([]);
    expect(fonts.files.map((f) => f.slice(FONT_DIR.length + 1))).toEqual(["DejaVuSans.ttf", "DejaVuSans-Bold.ttf"]);
    const empty = mkdtempSync(join(tmpdir(), "fonts-"));
    writeFileSync(join(empty, "DejaVuSans.ttf"), "");
    expect(findChartFonts(empty)).toEqual({ files: [join(empty, "DejaVuSans.ttf")], missing: ["DejaVuSans-Bold.ttf"] });
  });

  const sizes: Record<string, Pixels> = {};
  it.each(renderers)(
    "%s draws the card at twice its size with both lines, the title and the notes",
    async (name, make) => {
      const img = decodePng(await make()(chart, doc));
      sizes[name] = img;
      expect(img.width).toBe(PHOTO_WIDTH * 2);
      expect(img.height).toBeGreaterThan(1000);
      expect(img.height).toBeLessThan(1150);
      // Ink is a few per cent of a mostly white card: lines, axes and text, not an empty or black picture.
      const share = inkedPixels(img) / (img.width * img.height);
      expect(share).toBeGreaterThan(0.01);
      expect(share).toBeLessThan(0.3);
      expect(hasColour(img, "#2563eb")).toBe(true); // the revenue line
      expect(hasColour(img, "#f97316")).toBe(true); // the orders line
      // The title's row (bold, black) and the footer's (grey), where chartToHtml's page puts them.
      expect(inkedPixels(img, { x: 40, y: 70, width: 900, height: 50 })).toBeGreaterThan(2000);
      expect(inkedPixels(img, { x: 40, y: img.height - 70, width: 600, height: 40 })).toBeGreaterThan(500);
    },
    60_000,
  );

  it("gives one size with either renderer (a few pixels of line-height rounding apart)", () => {
    const [a, b] = [sizes.resvg, sizes.chromium];
    expect(a && b).toBeTruthy();
    expect(a!.width).toBe(b!.width);
    expect(Math.abs(a!.height - b!.height)).toBeLessThanOrEqual(8);
  });

  it("draws Cyrillic letters and the rouble sign as their own glyphs, not missing-glyph boxes", async () => {
    const rasterize = createResvgRasterizer({ fontFiles: fonts.files, zoom: 2 });
    const glyph = async (ch: string): Promise<string> => {
      const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><text x="4" y="30" font-family="DejaVu Sans" font-size="28">${ch}</text></svg>`;
      const img = decodePng(await rasterize(svg));
      expect(inkedPixels(img)).toBeGreaterThan(40);
      let bits = "";
      for (let y = 0; y < img.height; y++) for (let x = 0; x < img.width; x++) bits += img.at(x, y)[0] < 128 ? "1" : "0";
      return bits;
    };
    // A font without these would draw every one as the same .notdef box (a private-use code point).
    const shapes = await Promise.all(["Ж", "Ш", "₽", "\ue000"].map(glyph));
    expect(new Set(shapes).size).toBe(4);
  });

  it("never starts Chromium for a chart photo drawn by resvg", async () => {
    const lone = createReportBrowser({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", timeoutMs: 30_000 });
    try {
      const a = await renderReport(lone, { format: "png", filename: "trend.png", doc }, resvgChartPng(fonts.files));
      expect(a.kind).toBe("png");
      expect(lone.running()).toBe(false);
    } finally {
      await lone.close();
    }
  });

  it("wraps a long note at word boundaries within the card", async () => {
    const lines = wrapText("слово ".repeat(60).trim(), 960, 11);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.every((l) => l.length * 11 * 0.62 <= 960)).toBe(true);
    expect(lines.join(" ")).toBe("слово ".repeat(60).trim());
    const svg = await chartPhotoSvg({ ...chart, footnote: "Заметка & <разметка>" }, doc);
    expect(svg).toContain("Заметка &amp; &lt;разметка&gt;");
  });
});
