import type { Reply, ShopSettings } from "../contract.ts";
import { formatDateTime, formatPeriod } from "../format/dates.ts";
import { hasNumbers, qualityOf, type ToolOutcome } from "../tools/registry.ts";
import { sourceName, sourcesText } from "./source-labels.ts";

// Reference §10.4: every number the owner sees says where it came from, which period it covers and
// when it was read, with a badge of how far to trust it. The line is built here from the fields the
// tool result carries (provenance, asOf, warnings), so no presenter has to remember it; a result
// whose numbers name no source is not shown at all. Sources are shown in words (source-labels.ts);
// their ids stay in the result.

export type Badge = "high" | "med" | "low";

export type Ok = Extract<ToolOutcome, { ok: true }>;

/** Sources shown in the line; the rest are counted. */
const MAX_SOURCES = 2;

/** The provenance of an answer in words, for the line under a reply and for the decision memo. */
export type ProvenanceParts = {
  badge: Badge;
  /** In the owner's words: «демо-данные · KPI по дням». */
  sources: string[];
  /** "17.11–23.11.2026 (Europe/Moscow)", or null when the result names no period. */
  window: string | null;
  /** "23 ноя, 18:00" in the shop's zone, or null when the result has no readable as_of. */
  asOf: string | null;
  warnings: number;
};

export function provenanceParts(outcome: Ok, shop: ShopSettings, now: Date): ProvenanceParts {
  const r = outcome.result;
  const w = r.provenance.window;
  const at = new Date(r.asOf);
  return {
    badge: qualityOf(outcome),
    sources: r.provenance.sources.map(sourceName),
    window: w ? `${formatPeriod(w.from, w.to)} (${w.tz || shop.timeZone})` : null,
    asOf: r.asOf === "" || Number.isNaN(at.getTime()) ? null : formatDateTime(at, shop.timeZone, now),
    warnings: r.warnings.length,
  };
}

/** "🧭 Качество: high | 📌 демо-данные · KPI по дням | 🗓 17.11–23.11.2026 (Europe/Moscow) | ⏱ на 23 ноя, 18:00 | ⚠️ 1" */
export function provenanceLine(outcome: Ok, shop: ShopSettings, now: Date): string {
  const p = provenanceParts(outcome, shop, now);
  return [
    `🧭 Качество: ${p.badge}`,
    `📌 ${sourcesText(outcome.result.provenance.sources, MAX_SOURCES)}`,
    p.window ? `🗓 ${p.window}` : "🗓 период не указан",
    p.asOf ? `⏱ на ${p.asOf}` : "⏱ время данных не указано",
    ...(p.warnings > 0 ? [`⚠️ ${p.warnings}`] : []),
  ].join(" | ");
}

/** A read answer whose data holds numbers: these are the answers that must carry provenance. */
export function isNumericAnswer(outcome: ToolOutcome): outcome is Ok {
  return outcome.ok && outcome.tool.kind === "read" && hasNumbers(outcome.result.data);
}

export type Badged = { replies: Reply[]; blocked: boolean };

/**
 * The presented replies of a read tool with the provenance line under the last one (the message
 * with the buttons, after any split). Numbers with no source are withheld: the owner gets one line
 * saying so, and `blocked` tells the caller to log it and to draw no chart or PDF of them.
 */
export function withProvenance(outcome: ToolOutcome, replies: Reply[], shop: ShopSettings, now: Date): Badged {
  if (!isNumericAnswer(outcome)) return { replies, blocked: false };
  if (outcome.result.provenance.sources.length === 0) {
    return {
      blocked: true,
      replies: [
        {
          text: `⚠️ ${outcome.tool.title}: у этих данных не указан источник, поэтому цифры не показываю. Попробуйте позже или проверьте /systems.`,
        },
      ],
    };
  }
  const last = replies.length - 1;
  if (last < 0) return { replies, blocked: false };
  const line = provenanceLine(outcome, shop, now);
  return { replies: replies.map((r, i) => (i === last ? { ...r, text: `${r.text}\n\n${line}` } : r)), blocked: false };
}
