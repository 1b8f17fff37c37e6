import { existsSync } from "node:fs";
import { join } from "node:path";
import { renderAsync, type ResvgRenderOptions } from "@resvg/resvg-js";
import { CHART_FONT } from "./chart.ts";

// resvg draws an SVG into a PNG in-process (a native addon, on libuv's thread pool), so a chart
// photo needs no browser. It reads only the font files it is given, never the system's: the charts
// name DejaVu Sans (Cyrillic and the rouble sign), regular for labels and bold for the title.

/** The files of the chart font, in the order they are looked for. */
export const CHART_FONT_FILES = ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf"] as const;

/** The chart font's files in `dir`, and the names of those that are not there. */
export function findChartFonts(dir: string): { files: string[]; missing: string[] } {
  const files: string[] = [];
  const missing: string[] = [];
  for (const name of CHART_FONT_FILES) {
    const path = join(dir, name);
    if (existsSync(path)) files.push(path);
    else missing.push(name);
  }
  return { files, missing };
}

export type SvgRasterizer = (svg: string) => Promise<Buffer>;

/** A PNG of an SVG at `zoom` times its size (2, like Chromium's deviceScaleFactor for photos). */
export function createResvgRasterizer(o: { fontFiles: string[]; zoom: number }): SvgRasterizer {
  if (o.fontFiles.length === 0) throw new Error("resvg needs at least one font file");
  const options: ResvgRenderOptions = {
    fitTo: { mode: "zoom", value: o.zoom },
    background: "#ffffff",
    font: {
      loadSystemFonts: false,
      fontFiles: o.fontFiles,
      defaultFontFamily: CHART_FONT,
      sansSerifFamily: CHART_FONT,
    },
    logLevel: "off",
  };
  return async (svg) => (await renderAsync(svg, options)).asPng();
}
