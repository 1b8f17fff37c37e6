import type { ShopSettings } from "../contract.ts";
import type { ReportBlock, ReportRequest } from "@ownerbot/core/queue";
import { truncate } from "../format/text.ts";
import { PLAYBOOKS, type AdviceTopic } from "./topics.ts";

// The decision memo (reference §7, render_decision_memo_pdf): one topic on A4 — the facts of the
// data brief, each with its source, period, as_of and badge, then the playbook's hypotheses, risks,
// experiments and proposed action, every part that is advice marked «гипотеза». It is a ReportDoc,
// so it travels in a report_jobs row and the report worker draws it like the weekly PDF.

/** One read tool of the brief as it ended up in the memo. */
export type MemoFact =
  | {
      kind: "data";
      title: string;
      /** The presenter's lines, already in the shop's currency and locale. */
      lines: string[];
      /** In the owner's words (provenanceParts): «демо-данные · KPI по дням». */
      sources: string[];
      /** "17.11–23.11.2026 (Europe/Moscow)", or null when the tool gave no period. */
      window: string | null;
      /** "23 ноя, 18:00" in the shop's zone, or null when unknown. */
      asOf: string | null;
      badge: "high" | "med" | "low";
    }
  /** Not shown as data: the tool failed, was an action, or its numbers named no source. */
  | { kind: "missing"; title: string; why: string };

/** The reference's caps: facts ≤10 lines per tool here, hypotheses ≤7, risks ≤3, experiments ≤6; bullets ≤160 chars. */
const CAPS = { factLines: 10, hypotheses: 7, risks: 3, experiments: 6, bullet: 160 } as const;

// DejaVu Sans has Cyrillic, currency signs and arrows, not emoji: a pictograph would print as a box.
const PICTOGRAPH = /\p{Extended_Pictographic}|\u{FE0F}|\u{200D}|\u{20E3}/gu;

/** A presenter's line made fit for print: no emoji, single spaces, at most 160 characters. */
export function printable(line: string): string {
  return truncate(line.replace(PICTOGRAPH, "").replace(/\s+/g, " ").trim(), CAPS.bullet);
}

/**
 * The lines of a presented answer that belong in the memo: its text without emoji, empty lines, the
 * presenter's own bullets (the memo's list draws its own), footer and provenance line (the memo
 * prints its own under each fact).
 */
export function factLines(text: string): string[] {
  return text
    .split("\n")
    .map((l) => printable(l).replace(/^[•·▪]\s+/u, ""))
    .filter((l) => l.length > 0 && !/^(Период:|Данные:|Качество:)/u.test(l))
    .slice(0, CAPS.factLines);
}

function factBlocks(f: MemoFact): ReportBlock[] {
  if (f.kind === "missing") return [{ kind: "paragraph", text: `■ ${f.title}: ${f.why}` }];
  const prov = [
    `Источники: ${f.sources.join(", ")}`,
    `Период: ${f.window ?? "не указан"}`,
    `Данные на: ${f.asOf ?? "не указано"}`,
    `Качество: ${f.badge}`,
  ].join(" · ");
  return [
    { kind: "paragraph", text: `■ ${f.title}` },
    { kind: "list", items: f.lines },
    { kind: "paragraph", text: prov },
  ];
}

export type MemoInput = { topic: AdviceTopic; facts: readonly MemoFact[]; shop: ShopSettings; now: Date; dataAsOf?: string };

/** The PDF request of a topic's decision memo. */
export function memoReport(m: MemoInput): ReportRequest {
  const p = PLAYBOOKS[m.topic];
  const bullets = (items: readonly string[], cap: number): string[] => items.slice(0, cap).map(printable);
  const shown = m.facts.filter((f) => f.kind === "data").length;
  const blocks: ReportBlock[] = [
    {
      kind: "paragraph",
      text: `Тема: ${p.title} (${m.topic}). Валюта магазина: ${m.shop.currency}. Факты — из отчётов магазина, у каждого источник, период и время данных; всё остальное — гипотезы советника, а не данные.`,
    },
    { kind: "heading", text: "Сводка данных" },
    ...(m.facts.length > 0 ? m.facts.flatMap(factBlocks) : [{ kind: "paragraph" as const, text: "Отчётов по теме нет." }]),
    { kind: "heading", text: "Гипотезы (гипотеза, не данные)" },
    { kind: "list", items: bullets(p.hypotheses, CAPS.hypotheses) },
    { kind: "heading", text: "Риски (гипотеза)" },
    { kind: "list", items: bullets(p.risks, CAPS.risks) },
    { kind: "heading", text: "Что проверить (эксперименты)" },
    { kind: "list", items: bullets(p.experiments, CAPS.experiments) },
    { kind: "heading", text: "Предлагаемое действие (гипотеза)" },
    {
      kind: "list",
      items: [printable(`${p.action.label} — инструмент ${p.action.tool}; только предпросмотр, выполняется после подтверждения в чате.`)],
    },
  ];
  if (shown < m.facts.length)
    blocks.push({ kind: "warnings", items: [`Без данных: ${m.facts.length - shown} из ${m.facts.length} отчётов.`] });
  return {
    format: "pdf",
    filename: `decision_memo_${m.topic.toLowerCase()}.pdf`,
    caption: `📄 Записка: ${p.title}`,
    doc: {
      title: `Служебная записка: ${p.title}`,
      subtitle: "Качество: гипотеза — решение за владельцем; цифры только из отчётов ниже",
      generatedAt: m.now.toISOString(),
      ...(m.dataAsOf ? { dataAsOf: m.dataAsOf } : {}),
      locale: m.shop.locale,
      currency: m.shop.currency,
      timeZone: m.shop.timeZone,
      blocks,
      footer: `Записка советника OwnerBot · ${p.title} · гипотезы не являются данными магазина`,
    },
  };
}
