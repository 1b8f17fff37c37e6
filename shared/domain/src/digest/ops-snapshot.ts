import type { ToolContext } from "../contract.ts";
import { ERROR_TYPE_PATTERNS } from "../tools/demo-ops.ts";
import type { AuditEvent, ChatThread, OrderPreset, OrderSummary, ProductRow, ShopProvider } from "../tools/provider.ts";
import { toolEnv } from "../tools/runtime.ts";

// What needs attention right now (reference §8 "Ops alerts"): unanswered chats, stuck orders,
// payment issues, errors, out-of-stock and low-stock products. Unlike the reference, counts are
// exact (not capped at the list limit) and the error window is applied. The scheduler's ops alerts,
// the daily digest and biz_dashboard_ops all read this one snapshot.

const HOUR = 3_600_000;

export type OpsRules = {
  unansweredEnabled: boolean;
  unansweredThresholdHours: number;
  unansweredMinCount: number;
  stuckEnabled: boolean;
  stuckMinCount: number;
  /** The orders_search preset the "stuck" rule counts (owner_notify_settings.ops_stuck_orders_preset). */
  stuckPreset: OrderPreset;
  paymentEnabled: boolean;
  paymentMinCount: number;
  /** The preset the "payment" rule counts (ops_payment_issues_preset). */
  paymentPreset: OrderPreset;
  /** A pending payment older than this is an issue (orders_search's since_hours). */
  paymentPendingHours: number;
  errorsEnabled: boolean;
  errorsWindowHours: number;
  errorsMinCount: number;
  outOfStockEnabled: boolean;
  outOfStockMinCount: number;
  lowStockEnabled: boolean;
  lowStockLte: number;
  lowStockMinCount: number;
};

/** The reference's ops defaults (§8; the same as owner_notify_settings' column defaults). */
export const DEFAULT_OPS_RULES: OpsRules = {
  unansweredEnabled: true,
  unansweredThresholdHours: 2,
  unansweredMinCount: 1,
  stuckEnabled: true,
  stuckMinCount: 1,
  stuckPreset: "stuck",
  paymentEnabled: true,
  paymentMinCount: 1,
  paymentPreset: "payment_issues",
  paymentPendingHours: 2,
  errorsEnabled: true,
  errorsWindowHours: 24,
  errorsMinCount: 1,
  outOfStockEnabled: true,
  outOfStockMinCount: 1,
  lowStockEnabled: true,
  lowStockLte: 5,
  lowStockMinCount: 3,
};

export type OpsRuleName = "unanswered" | "stuck" | "payment" | "errors" | "outOfStock" | "lowStock";
export const OPS_RULE_NAMES: readonly OpsRuleName[] = ["unanswered", "stuck", "payment", "errors", "outOfStock", "lowStock"];

/** Counting stops here; `capped` says so. High enough to be exact for any real shop's backlog. */
export const OPS_COUNT_CAP = 100_000;

export type OpsErrorItem = { id: number; occurredAt: string; eventType: string; code: string | null; tool?: string };

/** One part of the snapshot; `count` is null when the part could not be read (see `error`). */
export type OpsPart<T> = { count: number | null; capped: boolean; top: T[]; error?: string };

export type OpsSnapshot = {
  /** The shop's now (demo clock) that chats and orders are measured from. */
  now: string;
  today: string;
  /** The wall clock the error window ends at: errors are the bot's own events. */
  errorsUntil: string;
  rules: OpsRules;
  unanswered: OpsPart<ChatThread>;
  stuck: OpsPart<OrderSummary>;
  payment: OpsPart<OrderSummary>;
  errors: OpsPart<OpsErrorItem>;
  outOfStock: OpsPart<ProductRow>;
  lowStock: OpsPart<ProductRow>;
  sources: string[];
};

const ERROR_RE = new RegExp(ERROR_TYPE_PATTERNS.map((p) => p.replace(/%/g, "")).join("|"), "i");

function codeOf(e: AuditEvent): string | null {
  const p = e.payload;
  const c = p["error_code"] ?? p["code"] ?? p["reason"];
  return typeof c === "string" ? c : null;
}

async function guarded<T>(read: () => Promise<OpsPart<T>>): Promise<OpsPart<T>> {
  try {
    return await read();
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    return { count: null, capped: false, top: [], error: msg.slice(0, 200) };
  }
}

/**
 * Reads every part at once; a part that fails has `count: null` and its error, and the others still
 * answer. `topN` items per part (the reference showed three).
 */
export async function opsSnapshot(ctx: ToolContext, rules: Partial<OpsRules> = {}, topN = 3): Promise<OpsSnapshot> {
  const r: OpsRules = { ...DEFAULT_OPS_RULES, ...rules };
  const env = await toolEnv(ctx);
  const p = env.provider;
  const now = env.clock.now;
  const orders = async (preset: OrderPreset): Promise<OpsPart<OrderSummary>> => {
    const page = await p.searchOrders({ preset, now, sinceHours: r.paymentPendingHours, limit: topN, offset: 0 }, OPS_COUNT_CAP);
    return { count: page.total, capped: page.totalCapped, top: page.items };
  };
  const errorsSince = new Date(ctx.now.getTime() - r.errorsWindowHours * HOUR);
  const [unanswered, stuck, payment, errors, stock] = await Promise.all([
    guarded(async () => {
      const c = await p.unansweredChats({
        waitingSince: new Date(now.getTime() - r.unansweredThresholdHours * HOUR),
        limit: topN,
        offset: 0,
      });
      return { count: c.total, capped: false, top: c.items };
    }),
    guarded(() => orders(r.stuckPreset)),
    guarded(() => orders(r.paymentPreset)),
    guarded(async (): Promise<OpsPart<OpsErrorItem>> => {
      // The end is exclusive; one millisecond past now keeps an event written at this instant.
      const [counts, recent] = await Promise.all([
        p.auditCounts({ start: errorsSince, end: new Date(ctx.now.getTime() + 1) }),
        p.auditRecent({ limit: topN, offset: 0, errorsOnly: true }),
      ]);
      const count = counts.filter((c) => ERROR_RE.test(c.eventType)).reduce((s, c) => s + c.count, 0);
      const top = recent.items
        .filter((e) => e.occurredAt.getTime() >= errorsSince.getTime())
        .map((e) => ({
          id: e.id,
          occurredAt: e.occurredAt.toISOString(),
          eventType: e.eventType,
          code: codeOf(e),
          ...(typeof e.payload.tool === "string" ? { tool: e.payload.tool } : {}),
        }));
      return { count, capped: false, top };
    }),
    stockParts(p, r.lowStockLte, topN),
  ]);
  return {
    now: now.toISOString(),
    today: env.clock.today,
    errorsUntil: ctx.now.toISOString(),
    rules: r,
    unanswered,
    stuck,
    payment,
    errors,
    outOfStock: stock.outOfStock,
    lowStock: stock.lowStock,
    sources: [env.src("demo_chat_threads"), env.src("demo_orders"), env.src("demo_products"), "core:audit_events"],
  };
}

/** Out-of-stock and low-stock from one counts query; both fail together. */
async function stockParts(
  p: ShopProvider,
  lte: number,
  topN: number,
): Promise<{ outOfStock: OpsPart<ProductRow>; lowStock: OpsPart<ProductRow> }> {
  try {
    const [counts, oos, low] = await Promise.all([
      p.inventoryCounts(lte),
      p.inventoryList("out_of_stock", lte, topN, 0),
      p.inventoryList("low_stock", lte, topN, 0),
    ]);
    return {
      outOfStock: { count: counts.out_of_stock, capped: false, top: oos },
      lowStock: { count: counts.low_stock, capped: false, top: low },
    };
  } catch (e) {
    const error = (e instanceof Error ? e.message : String(e)).slice(0, 200);
    return { outOfStock: { count: null, capped: false, top: [], error }, lowStock: { count: null, capped: false, top: [], error } };
  }
}

export type OpsRuleHit = { rule: OpsRuleName; count: number; min: number };

export function opsRule(rules: OpsRules, name: OpsRuleName): { enabled: boolean; min: number } {
  switch (name) {
    case "unanswered":
      return { enabled: rules.unansweredEnabled, min: rules.unansweredMinCount };
    case "stuck":
      return { enabled: rules.stuckEnabled, min: rules.stuckMinCount };
    case "payment":
      return { enabled: rules.paymentEnabled, min: rules.paymentMinCount };
    case "errors":
      return { enabled: rules.errorsEnabled, min: rules.errorsMinCount };
    case "outOfStock":
      return { enabled: rules.outOfStockEnabled, min: rules.outOfStockMinCount };
    case "lowStock":
      return { enabled: rules.lowStockEnabled, min: rules.lowStockMinCount };
  }
}

/**
 * Which rules fire: enabled, the part was read, and its count reached the minimum. A minimum of 0
 * still needs at least one item — "zero problems" is never an alert. Pure: the scheduler calls it
 * with the owner's rules on a snapshot read once.
 */
export function evaluateOpsRules(snapshot: OpsSnapshot, rules: Partial<OpsRules> = snapshot.rules): OpsRuleHit[] {
  const r: OpsRules = { ...DEFAULT_OPS_RULES, ...rules };
  const hits: OpsRuleHit[] = [];
  for (const name of OPS_RULE_NAMES) {
    const { enabled, min } = opsRule(r, name);
    const count = snapshot[name].count;
    if (!enabled || count === null) continue;
    if (count >= Math.max(min, 1)) hits.push({ rule: name, count, min });
  }
  return hits;
}
