import type { PresentedTool, Reply, ToolContext } from "../contract.ts";
import { presentCapabilities } from "../presenters/capabilities.ts";
import { presentDashboard } from "../presenters/dashboard.ts";
import { presentFxStatus } from "../presenters/fx.ts";
import { presentFunnel, presentRefundsAnomalies } from "../presenters/insights.ts";
import { presentInventoryStatus } from "../presenters/inventory.ts";
import { presentKpiCompare, presentKpiSnapshot, presentRevenueTrend } from "../presenters/kpi.ts";
import { presentNtfStatus, presentSettingChange } from "../presenters/ntf.ts";
import { presentChatsUnanswered, presentCouponsStatus, presentCouponsTopUsed, presentTeamQueue } from "../presenters/ops.ts";
import { presentOrderDetail, presentOrdersSearch } from "../presenters/orders.ts";
import { presentRetroExport, presentRetroGaps, presentRetroSummary } from "../presenters/retro.ts";
import { presentRiskSignals } from "../presenters/risk.ts";
import { presentDemandForecast, presentReorderPlan, presentTopProducts } from "../presenters/sales.ts";
import { presentOnboardStatus, presentSysHealth, presentUpstreamMode } from "../presenters/system-status.ts";
import { presentAuditList, presentRetrospectiveLast } from "../presenters/system.ts";
import { funnelSnapshot, refundsAnomalies } from "./insight-tools.ts";
import { sisFxStatus } from "./fx-tools.ts";
import { inventoryStatus } from "./inventory-tools.ts";
import { kpiCompare, kpiSnapshot, revenueTrend } from "./kpi-tools.ts";
import { chatsUnanswered, couponsStatus, couponsTopUsed, teamQueueSummary } from "./ops-tools.ts";
import { orderDetail, ordersSearch } from "./orders-tools.ts";
import { createRegistry, presented as p, type ToolInfo, type ToolOutcome } from "./registry.ts";
import { retroExport, retroGaps, retroSummary } from "./retro-tools.ts";
import { demandForecast, reorderPlan, topProducts } from "./sales-tools.ts";
import { onboardStatus, sysHealth, sysUpstreamMode } from "./system-status-tools.ts";
import { sisActionsCapabilities } from "./capabilities-tools.ts";
import { truststackSignals } from "./risk-tools.ts";
import { retrospectiveLast, sysAuditRecent, sysLastErrors } from "./system-tools.ts";
import { ntfSetterTools } from "./ntf-tools.ts";
import { ntfStatus } from "./ntf-status.ts";
import { bizDashboardDaily, bizDashboardOps, bizDashboardWeekly, ntfSendDigestNow, ntfSendWeeklyNow } from "./dashboard-tools.ts";

// The catalogue: every tool paired with its presenter. The tool files know nothing of the Russian
// text (their data types are in results/), so a tool can run without its presenter (digest parts,
// the scheduler's checks, the planner's catalogue); only here do the two meet.

/** Every read tool of the reference catalogue that OwnerBot implements (docs/tools.md lists the rest). */
export const readTools: readonly PresentedTool[] = [
  p(kpiSnapshot, presentKpiSnapshot),
  p(kpiCompare, presentKpiCompare),
  p(revenueTrend, presentRevenueTrend),
  p(topProducts, presentTopProducts),
  p(ordersSearch, presentOrdersSearch),
  p(orderDetail, presentOrderDetail),
  p(inventoryStatus, presentInventoryStatus),
  p(demandForecast, presentDemandForecast),
  p(reorderPlan, presentReorderPlan),
  p(funnelSnapshot, presentFunnel),
  p(refundsAnomalies, presentRefundsAnomalies),
  p(chatsUnanswered, presentChatsUnanswered),
  p(teamQueueSummary, presentTeamQueue),
  p(couponsStatus, presentCouponsStatus),
  p(couponsTopUsed, presentCouponsTopUsed),
  p(sisFxStatus, presentFxStatus),
  p(sysAuditRecent, presentAuditList),
  p(sysLastErrors, presentAuditList),
  p(retrospectiveLast, presentRetrospectiveLast),
  p(retroSummary, presentRetroSummary),
  p(retroGaps, presentRetroGaps),
  p(retroExport, presentRetroExport),
  p(truststackSignals, presentRiskSignals),
  p(ntfSendDigestNow, presentDashboard),
  p(ntfSendWeeklyNow, presentDashboard),
  p(bizDashboardDaily, presentDashboard),
  p(bizDashboardWeekly, presentDashboard),
  p(bizDashboardOps, presentDashboard),
];

/**
 * Read tools about the bot itself; they answer only when the caller passes `ctx.system`, and say it
 * is unavailable otherwise. Kept out of `readTools` until the composition root passes `system`,
 * because every tool in `readTools` must answer on a plain demo context (presenters.test.ts).
 * A root that passes `system` builds `createRegistry([...readTools, ...systemStatusTools])`.
 */
export const systemStatusTools: readonly PresentedTool[] = [
  p(sysHealth, presentSysHealth),
  p(sysUpstreamMode, presentUpstreamMode),
  p(onboardStatus, presentOnboardStatus),
  p(sisActionsCapabilities, presentCapabilities),
];

/**
 * The owner's notification settings: ntf_status and the 19 ntf_* setters (kind "setting": applied at
 * once, no preview). They need `ctx.actorId` (whose settings), so they are not in `readTools`.
 */
export const settingTools: readonly PresentedTool[] = [
  p(ntfStatus, presentNtfStatus),
  ...ntfSetterTools.map((t) => p(t, presentSettingChange)),
];

/** Every tool the owner's bot registers (the intent worker's registry): reports, bot status, settings. */
export const ownerTools: readonly PresentedTool[] = [...readTools, ...systemStatusTools, ...settingTools];

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

export {
  createRegistry,
  createRunner,
  defineTool,
  presented,
  checkProvenance,
  qualityOf,
  fitTelegram,
  presentError,
  toolCallAudit,
} from "./registry.ts";
export type { ToolError, ToolErrorCode, ToolOutcome, ToolRegistry, ToolRunner, ToolInfo, TypedTool } from "./registry.ts";
export { createDemoProvider } from "./demo-provider.ts";
export { refreshReadRollups } from "./demo-rollups.ts";
export type { ShopProvider } from "./provider.ts";
