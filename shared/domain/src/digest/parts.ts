import type { ToolContext, ToolResult } from "../contract.ts";
import { sisFxStatus } from "../tools/fx-tools.ts";
import { inventoryStatus } from "../tools/inventory-tools.ts";
import { kpiCompare, kpiSnapshot, revenueTrend } from "../tools/kpi-tools.ts";
import { chatsUnanswered } from "../tools/ops-tools.ts";
import { ordersSearch } from "../tools/orders-tools.ts";
import { createRunner } from "../tools/registry.ts";
import { topProducts } from "../tools/sales-tools.ts";
import { sysLastErrors } from "../tools/system-tools.ts";
import { truncate } from "../format/text.ts";

// The digest, weekly report and dashboards are built from other read tools. They run through a
// registry of their own (validation, provenance, errors as values) so one failing part becomes an
// "unavailable" line instead of failing the whole report. Importing the tool definitions directly
// (not tools/index.ts) keeps index.ts free to register the dashboard tools without a cycle.

const parts = createRunner([
  kpiCompare,
  kpiSnapshot,
  revenueTrend,
  sisFxStatus,
  chatsUnanswered,
  ordersSearch,
  inventoryStatus,
  topProducts,
  sysLastErrors,
]);

/** At most this many "unavailable" lines are shown; the rest are summed up. */
export const MAX_UNAVAILABLE_LINES = 3;

/** Collects what could not be read, by the owner-facing name of the part, in the order parts were asked for. */
export class Unavailable {
  private next = 0;
  private readonly found: { slot: number; part: string; message: string }[] = [];
  /** Reserves a place before an await, so parts finishing in any order are listed in asking order. */
  slot(): number {
    return this.next++;
  }
  add(part: string, message: string, slot = this.slot()): void {
    this.found.push({ slot, part, message: truncate(message, 160) });
    this.found.sort((a, b) => a.slot - b.slot);
  }
  get items(): readonly { part: string; message: string }[] {
    return this.found;
  }
  /** "⚠️ Недоступно: курсы валют — …", at most three, then "и ещё N". */
  lines(): string[] {
    const shown = this.found.slice(0, MAX_UNAVAILABLE_LINES).map((u) => `⚠️ Недоступно: ${u.part} — ${u.message}`);
    const rest = this.found.length - shown.length;
    return rest > 0 ? [...shown, `⚠️ Недоступно ещё: ${rest}`] : shown;
  }
}

/**
 * Runs one read tool for a report; its data, or null with the reason added to `missing`.
 * The sources and window of every part that answered are collected in `sources`.
 */
export async function part<T>(
  name: string,
  input: Record<string, unknown>,
  ctx: ToolContext,
  label: string,
  missing: Unavailable,
  sources: Set<string>,
): Promise<ToolResult<T> | null> {
  const slot = missing.slot();
  const outcome = await parts.run(name, input, ctx);
  if (!outcome.ok) {
    missing.add(label, outcome.error.message, slot);
    return null;
  }
  for (const s of outcome.result.provenance.sources) sources.add(s);
  return outcome.result as ToolResult<T>;
}

/** An IANA zone name the runtime knows, e.g. "Europe/Moscow"; false for anything else. */
export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
