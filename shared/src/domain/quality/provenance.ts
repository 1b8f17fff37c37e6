import type { Reply, ShopSettings, ToolResult } from "../contract.ts";
import { formatDateTime, formatPeriod } from "../format/dates.ts";
import { hasNumbers, qualityOf, type ToolOutcome } from "../tools/registry.ts";

// Reference §10.4: every number the owner sees says where it came from, which period it covers and
// when it was read, with a badge of how far to trust it. The line is built here from the fields the
// tool result carries (provenance, asOf, warnings), so no presenter has to remember it; a result
// whose numbers name no source is not shown at all.

export type Badge = "high" | "med" | "low";

type Ok = Extract<ToolOutcome, { ok: true }>;

/** Sources shown in the line; the rest are counted. */
const MAX_SOURCES = 2;

/** "🗓 17.11–23.11.2026 (Europe/Moscow)", or that the period is not known. */
function windowPart(r: ToolResult, shop: ShopSettings): string {
  const w = r.provenance.window;
  if (!w) return "🗓 период не указан";
  return `🗓 ${formatPeriod(w.from, w.to)} (${w.tz || shop.timeZone})`;
}

/** "⏱ на 23 ноя, 18:00" in the shop's zone. */
function asOfPart(r: ToolResult, shop: ShopSettings, now: Date): string {
  const at = new Date(r.asOf);
  if (r.asOf === "" || Number.isNaN(at.getTime())) return "⏱ время данных не указано";
  return `⏱ на ${formatDateTime(at, shop.timeZone, now)}`;
}

function sourcesPart(sources: readonly string[]): string {
  const shown = sources.slice(0, MAX_SOURCES).join(", ");
  return `📌 ${shown}${sources.length > MAX_SOURCES ? ` +${sources.length - MAX_SOURCES}` : ""}`;
}

/** "🧭 Качество: high | 📌 demo:demo_kpi_daily | 🗓 17.11–23.11.2026 (Europe/Moscow) | ⏱ на 23 ноя, 18:00 | ⚠️ 1" */
export function provenanceLine(outcome: Ok, shop: ShopSettings, now: Date): string {
  const r = outcome.result;
  const warnings = r.warnings.length > 0 ? ` | ⚠️ ${r.warnings.length}` : "";
  return `🧭 Качество: ${qualityOf(outcome)} | ${sourcesPart(r.provenance.sources)} | ${windowPart(r, shop)} | ${asOfPart(r, shop, now)}${warnings}`;
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
