import type { Artifact } from "../domain/contract.ts";
import type { ReportRequest } from "./doc.ts";
import type { ReportBrowser } from "./browser.ts";
import { chartToHtml, docToHtml } from "./html.ts";

/**
 * Draws a report request. PNG shows the document's first chart (or, when it has none, the whole
 * document as one picture); PDF is the whole document on A4 pages.
 */
export async function renderReport(browser: ReportBrowser, req: ReportRequest): Promise<Artifact> {
  const caption = req.caption ? { caption: req.caption } : {};
  if (req.format === "pdf") {
    const content = await browser.htmlToPdf(await docToHtml(req.doc), req.doc.footer);
    return { kind: "pdf", filename: req.filename, content, ...caption };
  }
  const first = req.doc.blocks.find((b) => b.kind === "chart");
  const html = first ? await chartToHtml(first.chart, req.doc) : await docToHtml(req.doc);
  return { kind: "png", filename: req.filename, content: await browser.htmlToPng(html, "#report"), ...caption };
}
