import type { Artifact } from "@ownerbot/domain/contract";
import type { ReportRequest } from "@ownerbot/core/queue";
import type { ReportBrowser } from "./browser.ts";
import { docToHtml } from "./html.ts";
import { chromiumChartPng, type ChartPng } from "./chart-png.ts";

/** Telegram refuses photos over 10 MB, with width + height over 10 000 px, or longer than 20:1. */
export function fitsTelegramPhoto(png: Buffer): boolean {
  if (png.length > 10 * 1024 * 1024 || png.length < 24) return false;
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  return width > 0 && height > 0 && width + height <= 10_000 && Math.max(width / height, height / width) <= 20;
}

/**
 * Draws a report request. PNG shows the document's first chart (or, when it has none, the whole
 * document as one picture); PDF is the whole document on A4 pages. A chartless document too long
 * for a Telegram photo becomes a PDF rather than a photo Telegram would refuse. Charts are drawn
 * by `chartPng` (resvg or Chromium, REPORT_CHART_RENDERER); documents always by the browser.
 */
export async function renderReport(
  browser: ReportBrowser,
  req: ReportRequest,
  chartPng: ChartPng = chromiumChartPng(browser),
): Promise<Artifact> {
  const caption = req.caption ? { caption: req.caption } : {};
  const pdf = async (filename: string): Promise<Artifact> => ({
    kind: "pdf",
    filename,
    content: await browser.htmlToPdf(await docToHtml(req.doc), req.doc.footer),
    ...caption,
  });
  if (req.format === "pdf") return pdf(req.filename);
  const first = req.doc.blocks.find((b) => b.kind === "chart");
  const png = first ? await chartPng(first.chart, req.doc) : await browser.htmlToPng(await docToHtml(req.doc), "#report");
  if (!fitsTelegramPhoto(png)) return pdf(req.filename.replace(/\.png$/i, "") + ".pdf");
  return { kind: "png", filename: req.filename, content: png, ...caption };
}
