// The public surface of @ownerbot/domain/tools: what other packages use; the rest is internal.
export { createDemoProvider } from "./tools/demo-provider.ts";
export { refreshReadRollups } from "./tools/demo-rollups.ts";
export { sisFxStatus } from "./tools/fx-tools.ts";
export { ownerTools, readTools, runTool, settingTools, systemStatusTools } from "./tools/index.ts";
export { ORDER_STATUSES } from "./tools/orders-tools.ts";
export type { ShopProvider } from "./tools/provider.ts";
export { createRegistry, createRunner, defineTool, presented, qualityOf, toolCallAudit } from "./tools/registry.ts";
export type { ToolOutcome, ToolRegistry } from "./tools/registry.ts";
export type { TrendData } from "./tools/results/kpi.ts";
export { redact } from "./tools/retro-tools.ts";
export { shopNow, toolEnv } from "./tools/runtime.ts";
