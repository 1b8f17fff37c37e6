import type { Reply, ToolContext, ToolDef } from "../contract.ts";
import { funnelSnapshot, refundsAnomalies } from "./insight-tools.ts";
import { sisFxStatus } from "./fx-tools.ts";
import { inventoryStatus } from "./inventory-tools.ts";
import { kpiCompare, kpiSnapshot, revenueTrend } from "./kpi-tools.ts";
import { chatsUnanswered, couponsStatus, couponsTopUsed, teamQueueSummary } from "./ops-tools.ts";
import { orderDetail, ordersSearch } from "./orders-tools.ts";
import { createRegistry, type ToolInfo, type ToolOutcome } from "./registry.ts";
import { retroExport, retroGaps, retroSummary } from "./retro-tools.ts";
import { demandForecast, reorderPlan, topProducts } from "./sales-tools.ts";
import { onboardStatus, sysHealth, sysUpstreamMode } from "./system-status-tools.ts";
import { sisActionsCapabilities } from "./capabilities-tools.ts";
import { truststackSignals } from "./risk-tools.ts";
import { retrospectiveLast, sysAuditRecent, sysLastErrors } from "./system-tools.ts";
import { ntfSetterTools } from "./ntf-tools.ts";
import { ntfStatus } from "./ntf-status.ts";
import { bizDashboardDaily, bizDashboardOps, bizDashboardWeekly, ntfSendDigestNow, ntfSendWeeklyNow } from "./dashboard-tools.ts";

/** Every read tool of the reference catalogue that OwnerBot implements (docs/tools.md lists the rest). */
export const readTools: readonly ToolDef[] = [
  kpiSnapshot,
  kpiCompare,
  revenueTrend,
  topProducts,
  ordersSearch,
  orderDetail,
  inventoryStatus,
  demandForecast,
  reorderPlan,
  funnelSnapshot,
  refundsAnomalies,
  chatsUnanswered,
  teamQueueSummary,
  couponsStatus,
  couponsTopUsed,
  sisFxStatus,
  sysAuditRecent,
  sysLastErrors,
  retrospectiveLast,
  retroSummary,
  retroGaps,
  retroExport,
  truststackSignals,
  ntfSendDigestNow,
  ntfSendWeeklyNow,
  bizDashboardDaily,
  bizDashboardWeekly,
  bizDashboardOps,
];

/**
 * Read tools about the bot itself; they answer only when the caller passes `ctx.system`, and say it
 * is unavailable otherwise. Kept out of `readTools` until the composition root passes `system`,
 * because every tool in `readTools` must answer on a plain demo context (presenters.test.ts).
 * A root that passes `system` builds `createRegistry([...readTools, ...systemStatusTools])`.
 */
export const systemStatusTools: readonly ToolDef[] = [sysHealth, sysUpstreamMode, onboardStatus, sisActionsCapabilities];

/**
 * The owner's notification settings: ntf_status and the 19 ntf_* setters (kind "setting": applied at
 * once, no preview). They need `ctx.actorId` (whose settings), so they are not in `readTools`.
 */
export const settingTools: readonly ToolDef[] = [ntfStatus, ...ntfSetterTools];

/** Every tool the owner's bot registers (the intent worker's registry): reports, bot status, settings. */
export const ownerTools: readonly ToolDef[] = [...readTools, ...systemStatusTools, ...settingTools];

/**
 * The registry of read tools. Action tools live elsewhere; a composition root that wants both builds
 * `createRegistry([...readTools, ...actionTools])`.
 */
export const readRegistry = createRegistry(readTools);

export function runTool(name: string, rawInput: unknown, ctx: ToolContext): Promise<ToolOutcome> {
  return readRegistry.run(name, rawInput, ctx);
}

export function presentTool(outcome: ToolOutcome, ctx: ToolContext): Reply[] {
  return readRegistry.present(outcome, ctx);
}

export function listTools(): ToolInfo[] {
  return readRegistry.list();
}

export { createRegistry, defineTool, checkProvenance, qualityOf, fitTelegram, presentError, toolCallAudit } from "./registry.ts";
export type { ToolError, ToolErrorCode, ToolOutcome, ToolRegistry, ToolInfo } from "./registry.ts";
export { createDemoProvider } from "./demo-provider.ts";
export { refreshReadRollups } from "./demo-rollups.ts";
export type { ShopProvider } from "./provider.ts";
