import { existsSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { crc32, deflate } from "node:zlib";
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

const deflateAsync = promisify(deflate);

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "ascii");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(data, crc32(head.subarray(4))), 0);
  return Buffer.concat([head, data, crc]);
}

/**
 * RGBA pixels as a PNG with no row filters and zlib's fastest level, on the thread pool: resvg's
 * own encoder took a third of a chart's render for a file ~15 % smaller (Chromium's screenshots
 * make the same trade with optimizeForSpeed).
 */
export async function encodePng(width: number, height: number, rgba: Buffer): Promise<Buffer> {
  const stride = width * 4;
  const rows = Buffer.alloc((stride + 1) * height); // each row starts with filter type 0 (none)
  for (let y = 0; y < height; y++) rgba.copy(rows, y * (stride + 1) + 1, y * stride, (y + 1) * stride);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, deflate, no interlace
  const idat = await deflateAsync(rows, { level: 1 });
  const signature = Buffer.from("89504e470d0a1a0a", "hex");
  return Buffer.concat([signature, chunk("IHDR", ihdr), chunk("IDAT", idat), chunk("IEND", Buffer.alloc(0))]);
}

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
  return async (svg) => {
    const img = await renderAsync(svg, options);
    return encodePng(img.width, img.height, img.pixels);
  };
}
