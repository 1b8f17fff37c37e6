// The public surface of @ownerbot/domain/digest: what other packages use; the rest is internal.
export { buildDailyDigest } from "./digest/daily.ts";
export { evaluateOpsRules, opsSnapshot } from "./digest/ops-snapshot.ts";
export type { OpsSnapshot } from "./digest/ops-snapshot.ts";
export { buildWeeklyReport } from "./digest/weekly.ts";
export { trendReport } from "./digest/trend.ts";
