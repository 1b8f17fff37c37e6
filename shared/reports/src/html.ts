import type { ChartSpec, KpiItem, ReportBlock, ReportDoc } from "@ownerbot/core/queue";
import { chartToSvg } from "./chart.ts";

// A ReportDoc as one self-contained HTML page: no scripts, no network, every piece of text
// escaped. The font is DejaVu Sans from the system (fonts-dejavu-core), which has Cyrillic and the
// rouble sign — the reference's PDFs used Helvetica and lost both.

export function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

const STYLE = `
@font-face { font-family: "Report Sans"; src: local("DejaVu Sans"), local("DejaVuSans"); }
@font-face { font-family: "Report Sans"; font-weight: bold; src: local("DejaVu Sans Bold"), local("DejaVuSans-Bold"); }
* { box-sizing: border-box; }
html, body { margin: 0; background: #fff; }
body { font-family: "Report Sans", "DejaVu Sans", sans-serif; color: #111827; font-size: 12.5px; line-height: 1.45; }
#report { width: 900px; padding: 28px 32px; }
/* A hair of room on the right: a card ending exactly at the printable edge lost its right border there. */
@media print { #report { width: auto; padding: 0 3px 0 0; } .doc-footer { display: none; } }
h1 { font-size: 24px; margin: 0 0 4px; }
.subtitle { color: #4b5563; font-size: 14px; margin: 0 0 2px; }
.generated { color: #6b7280; font-size: 11px; margin: 0 0 18px; }
h2 { font-size: 16px; margin: 20px 0 8px; padding-bottom: 4px; border-bottom: 2px solid #e5e7eb; break-after: avoid; }
p { margin: 6px 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.kpis { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 10px; margin: 10px 0; }
.kpi { border: 1px solid #e5e7eb; border-radius: 8px; padding: 10px 12px; background: #f9fafb; break-inside: avoid; }
.kpi .label { color: #6b7280; font-size: 11.5px; }
.kpi .value { font-size: 20px; font-weight: bold; margin-top: 2px; overflow-wrap: anywhere; }
.kpi .delta { font-size: 12px; margin-top: 2px; color: #6b7280; }
.kpi .delta.up { color: #15803d; } .kpi .delta.down { color: #b91c1c; }
.chart { margin: 12px 0; break-inside: avoid; }
.chart svg { width: 100%; height: auto; display: block; }
.footnote { color: #6b7280; font-size: 11px; margin-top: 2px; }
table { width: 100%; border-collapse: collapse; margin: 8px 0; font-size: 12px; }
thead { display: table-header-group; }
th { text-align: left; background: #f3f4f6; font-weight: bold; white-space: nowrap; }
th, td { padding: 5px 8px; border-bottom: 1px solid #e5e7eb; vertical-align: top; overflow-wrap: break-word; }
.nw { white-space: nowrap; }
tr { break-inside: avoid; }
tbody tr:nth-child(even) td { background: #fafafa; }
.right { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
ul { margin: 6px 0; padding-left: 20px; } li { margin: 2px 0; overflow-wrap: anywhere; }
.warnings { border: 1px solid #fcd34d; background: #fffbeb; border-radius: 8px; padding: 8px 12px; margin: 10px 0; break-inside: avoid; }
.warnings .head { font-weight: bold; color: #92400e; }
.doc-footer { margin-top: 24px; padding-top: 8px; border-top: 1px solid #e5e7eb; color: #6b7280; font-size: 10.5px; }
`;

/** "23.11.2026, 14:05" in the document's time zone and locale; the raw value when unreadable. */
export function formatGenerated(doc: Pick<ReportDoc, "generatedAt" | "locale" | "timeZone">): string {
  const d = new Date(doc.generatedAt);
  if (Number.isNaN(d.getTime())) return doc.generatedAt;
  try {
    return new Intl.DateTimeFormat(doc.locale, { timeZone: doc.timeZone, dateStyle: "short", timeStyle: "short" }).format(d);
  } catch {
    return d.toISOString();
  }
}

/**
 * "Сформировано: 02.12.2026, 07:25 (Europe/Moscow)": always the moment the document was made; a
 * shop whose data is older (the demo shop's clock, a source that lags) adds "данные на …".
 */
export function generatedLine(doc: Pick<ReportDoc, "generatedAt" | "dataAsOf" | "locale" | "timeZone">): string {
  const made = `Сформировано: ${formatGenerated(doc)} (${doc.timeZone})`;
  if (!doc.dataAsOf) return made;
  const gap = Math.abs(new Date(doc.generatedAt).getTime() - new Date(doc.dataAsOf).getTime());
  return gap >= 60_000 ? `${made} · данные на ${formatGenerated({ ...doc, generatedAt: doc.dataAsOf })}` : made;
}

function kpiCard(k: KpiItem): string {
  const tone = k.tone ? ` ${k.tone}` : "";
  const delta = k.delta ? `<div class="delta${tone}">${esc(k.delta)}</div>` : "";
  return `<div class="kpi"><div class="label">${esc(k.label)}</div><div class="value">${esc(k.value)}</div>${delta}</div>`;
}

/** Short cells (ids like OB-1005, dates, amounts) never wrap; long text wraps at word boundaries. */
const SHORT_CELL = 16;

function table(b: Extract<ReportBlock, { kind: "table" }>): string {
  const cls = (i: number): string => (b.align?.[i] === "right" ? ' class="right"' : "");
  const cell = (c: string, i: number): string => {
    const k = b.align?.[i] === "right" ? "right" : c.length <= SHORT_CELL ? "nw" : "";
    return `<td${k ? ` class="${k}"` : ""}>${esc(c)}</td>`;
  };
  const head = b.columns.map((c, i) => `<th${cls(i)}>${esc(c)}</th>`).join("");
  const rows = b.rows.map((r) => `<tr>${r.map(cell).join("")}</tr>`).join("\n");
  return `<table><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>`;
}

/** A chart with its footnote; the SVG comes from vega and carries only escaped text. */
export function chartFigure(chart: ChartSpec, svg: string): string {
  const note = chart.footnote ? `<div class="footnote">${esc(chart.footnote)}</div>` : "";
  return `<div class="chart">${svg}${note}</div>`;
}

async function block(b: ReportBlock, doc: ReportDoc): Promise<string> {
  switch (b.kind) {
    case "heading":
      return `<h2>${esc(b.text)}</h2>`;
    case "paragraph":
      return `<p>${esc(b.text)}</p>`;
    case "kpis":
      return `<div class="kpis">${b.items.map(kpiCard).join("")}</div>`;
    case "chart":
      return chartFigure(b.chart, await chartToSvg(b.chart, doc));
    case "table":
      return table(b);
    case "list":
      return `<ul>${b.items.map((i) => `<li>${esc(i)}</li>`).join("")}</ul>`;
    case "warnings":
      return b.items.length === 0
        ? ""
        : `<div class="warnings"><div class="head">⚠ Обратите внимание</div><ul>${b.items.map((i) => `<li>${esc(i)}</li>`).join("")}</ul></div>`;
  }
}

function page(lang: string, title: string, body: string): string {
  return `<!doctype html>
<html lang="${esc(lang)}"><head><meta charset="utf-8"><title>${esc(title)}</title><style>${STYLE}</style></head>
<body>${body}</body></html>`;
}

/** The whole document (PDF, or a PNG of a report without charts). */
export async function docToHtml(doc: ReportDoc): Promise<string> {
  const parts: string[] = [];
  for (const b of doc.blocks) parts.push(await block(b, doc));
  const lang = doc.locale.split("-")[0] ?? "ru";
  const body = `<div id="report">
<h1>${esc(doc.title)}</h1>
${doc.subtitle ? `<div class="subtitle">${esc(doc.subtitle)}</div>` : ""}
<div class="generated">${esc(generatedLine(doc))}</div>
${parts.join("\n")}
${doc.footer ? `<div class="doc-footer">${esc(doc.footer)}</div>` : ""}
</div>`;
  return page(lang, doc.title, body);
}

/** One chart on its own page, for a photo: the chart, its footnote and the document's footer. */
export async function chartToHtml(chart: ChartSpec, doc: ReportDoc): Promise<string> {
  const lang = doc.locale.split("-")[0] ?? "ru";
  const svg = await chartToSvg(chart, doc);
  const footer = doc.footer ? `<div class="footnote">${esc(doc.footer)}</div>` : "";
  return page(lang, chart.title, `<div id="report" style="width:auto;padding:16px 20px">${chartFigure(chart, svg)}${footer}</div>`);
}
