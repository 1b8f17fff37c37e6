// A report as data: what the weekly PDF, the dashboards and the charts show, independent of how it
// is drawn. Tools build a ReportDoc from their numbers (already formatted for the owner, in Russian,
// in the shop's currency and locale); the report worker turns it into a PNG or a PDF. Keeping the
// document plain JSON lets it travel in a durable job row and be rendered by any worker later.

/** One line of a chart: values line up with `ChartSpec.x`; null is a gap (no data that day). */
export type ChartSeries = {
  name: string;
  values: (number | null)[];
  /** money values are drawn with the shop currency; the second axis is used when series differ in unit. */
  unit: "money" | "count" | "percent";
  axis?: "left" | "right";
};

export type ChartSpec = {
  type: "line" | "bar";
  title: string;
  /** Category labels in order, usually shop-local days `YYYY-MM-DD`. */
  x: string[];
  series: ChartSeries[];
  /** A note under the chart, e.g. the time zone or "нет данных". */
  footnote?: string;
};

export type KpiItem = { label: string; value: string; delta?: string; tone?: "up" | "down" | "flat" };

export type ReportBlock =
  | { kind: "heading"; text: string }
  | { kind: "paragraph"; text: string }
  | { kind: "kpis"; items: KpiItem[] }
  | { kind: "chart"; chart: ChartSpec }
  | { kind: "table"; columns: string[]; rows: string[][]; align?: ("left" | "right")[] }
  | { kind: "list"; items: string[] }
  | { kind: "warnings"; items: string[] };

export type ReportDoc = {
  title: string;
  subtitle?: string;
  /** ISO timestamp of when the document was made (the wall clock). */
  generatedAt: string;
  /** ISO timestamp the shop's numbers are as of, when the provider has its own clock (DEMO). */
  dataAsOf?: string;
  locale: string;
  currency: string;
  timeZone: string;
  blocks: ReportBlock[];
  /** Small print at the bottom of every page: period and sources (no ids: those are for ops). */
  footer?: string;
};

/**
 * A tool asks for a picture or a document besides its text answer. PNG draws the document's first
 * chart; PDF draws the whole document.
 */
export type ReportRequest = {
  format: "png" | "pdf";
  filename: string;
  caption?: string;
  doc: ReportDoc;
};
