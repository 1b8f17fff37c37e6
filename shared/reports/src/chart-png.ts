import type { ChartSpec, ReportDoc } from "@ownerbot/core/queue";
import type { ReportBrowser } from "./browser.ts";
import { chartToHtml } from "./html.ts";
import { chartPhotoSvg } from "./chart-photo.ts";
import { createResvgRasterizer } from "./resvg.ts";

// Two ways to draw a chart photo (REPORT_CHART_RENDERER). Both start from the same vega SVG and
// give the same card at twice its CSS size; resvg does it in-process and never starts Chromium,
// which the worker then needs only for PDFs (bench/chart-render.ts measures both).

/** A chart of a document as a PNG photo: the chart, its footnote and the document's footer. */
export type ChartPng = (chart: ChartSpec, doc: ReportDoc) => Promise<Buffer>;

/** Chromium's device scale factor for photos (browser.ts), kept by resvg so both give one size. */
export const PHOTO_ZOOM = 2;

export function chromiumChartPng(browser: ReportBrowser): ChartPng {
  return async (chart, doc) => browser.htmlToPng(await chartToHtml(chart, doc), "#report");
}

export function resvgChartPng(fontFiles: string[]): ChartPng {
  const rasterize = createResvgRasterizer({ fontFiles, zoom: PHOTO_ZOOM });
  return async (chart, doc) => rasterize(await chartPhotoSvg(chart, doc));
}
