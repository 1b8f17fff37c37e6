// The public surface of @ownerbot/core/ops: what other packages use; the rest is internal.
export { dependencyChecks, readiness } from "./ops/health.ts";
export type { Checks } from "./ops/health.ts";
export { StartupError, loadConfigOrExit, runMain, stopAll } from "./ops/lifecycle.ts";
export type { Running, StartFn } from "./ops/lifecycle.ts";
export { createMetrics } from "./ops/metrics.ts";
export type { Metrics } from "./ops/metrics.ts";
export { SERVICE_ENV, SERVICE_NODE_FLAGS } from "./ops/node-flags.ts";
export { createServiceOps, pollCheck, workerCheck } from "./ops/service.ts";
export type { ServiceOps } from "./ops/service.ts";
export { SERVICE_NAMES, hasOpsCredentials, metricsPorts } from "./ops/stack.ts";
export type { ServiceName } from "./ops/stack.ts";
