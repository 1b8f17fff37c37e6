import type { ChartSpec, ReportDoc } from "@ownerbot/core/queue";
import { CHART_FONT, chartToSvg } from "./chart.ts";
import { esc } from "./html.ts";

// A chart photo as one SVG, laid out like chartToHtml's page in Chromium (the photo the owner got
// before): a 1000-px-wide card, the vega chart scaled into it, the chart's footnote and the
// document's footer under it in small grey text. An SVG rasterizer draws it with no browser.

/** The card's CSS-pixel width: Chromium's 1000-px viewport, which chartToHtml's page fills. */
export const PHOTO_WIDTH = 1000;
const PAD_X = 20;
const PAD_Y = 16;
/** `.chart { margin: 12px 0 }` */
const CHART_MARGIN = 12;
/** `.footnote { font-size: 11px; margin-top: 2px }` with the body's line-height 1.45. */
const NOTE_SIZE = 11;
const NOTE_LINE = NOTE_SIZE * 1.45;
const NOTE_GAP = 2;
const NOTE_COLOR = "#6b7280";
/** DejaVu Sans's ascent (1901/2048 em) and the half-leading: where a line's baseline sits in its box. */
const NOTE_BASELINE = (NOTE_LINE - NOTE_SIZE * 1.164) / 2 + NOTE_SIZE * 0.928;
/**
 * A generous average advance of DejaVu Sans (Latin, Cyrillic and digits run 0.55-0.64 em): a
 * note wraps a little early rather than running off the card, as there is no layout engine here.
 */
const AVG_ADVANCE_EM = 0.62;

/** Greedy word wrap by an estimated width; a word longer than a line stands on its own line. */
export function wrapText(text: string, maxWidth: number, fontSize: number): string[] {
  const perLine = Math.max(1, Math.floor(maxWidth / (fontSize * AVG_ADVANCE_EM)));
  const lines: string[] = [];
  for (const para of text.split("\n")) {
    let line = "";
    for (const word of para.split(/ +/)) {
      if (line === "") line = word;
      else if (line.length + 1 + word.length <= perLine) line += ` ${word}`;
      else {
        lines.push(line);
        line = word;
      }
    }
    lines.push(line);
  }
  return lines;
}

/** The vega SVG's root element and its size. */
function svgRoot(svg: string): { tag: string; width: number; height: number } {
  const tag = /^<svg\b[^>]*>/.exec(svg)?.[0] ?? "";
  const width = Number(/\swidth="([\d.]+)"/.exec(tag)?.[1]);
  const height = Number(/\sheight="([\d.]+)"/.exec(tag)?.[1]);
  if (!(width > 0 && height > 0)) throw new Error("chart SVG has no width/height");
  return { tag, width, height };
}

/** The chart photo of chartToHtml, as a standalone SVG in CSS pixels (the rasterizer zooms it). */
export async function chartPhotoSvg(chart: ChartSpec, doc: ReportDoc): Promise<string> {
  const svg = await chartToSvg(chart, doc);
  const root = svgRoot(svg);
  const width = PHOTO_WIDTH - 2 * PAD_X;
  const chartHeight = (root.height * width) / root.width;
  let y = PAD_Y + CHART_MARGIN + chartHeight;
  const texts: string[] = [];
  const note = (text: string): void => {
    y += NOTE_GAP;
    for (const line of wrapText(text, width, NOTE_SIZE)) {
      texts.push(`<text x="${PAD_X}" y="${(y + NOTE_BASELINE).toFixed(2)}">${esc(line)}</text>`);
      y += NOTE_LINE;
    }
  };
  if (chart.footnote) note(chart.footnote);
  y += CHART_MARGIN;
  if (doc.footer) note(doc.footer);
  const height = Math.ceil(y + PAD_Y);
  // The chart's content goes in a scaled group, not a nested <svg>: a nested viewport clips, which
  // made resvg draw it on a layer of its own and cost about a third of the render.
  const body = svg.trimEnd();
  if (!body.endsWith("</svg>")) throw new Error("chart SVG is not closed");
  const scale = width / root.width;
  const chartGroup = `<g transform="translate(${PAD_X},${PAD_Y + CHART_MARGIN}) scale(${scale.toFixed(6)})">${body.slice(root.tag.length, -"</svg>".length)}</g>`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${PHOTO_WIDTH}" height="${height}" viewBox="0 0 ${PHOTO_WIDTH} ${height}">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    chartGroup,
    `<g font-family="${CHART_FONT}" font-size="${NOTE_SIZE}" fill="${NOTE_COLOR}">${texts.join("")}</g>`,
    `</svg>`,
  ].join("");
}
