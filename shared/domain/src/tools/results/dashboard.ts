import type { DigestFacts } from "../../digest/daily.ts";
import type { OpsRuleHit } from "../../digest/ops-snapshot.ts";

// The result data of the dashboard tools: plain types the tools return and the presenters read.

export type DashboardData = {
  kind: "digest" | "weekly" | "ops";
  text: string;
  format: "text" | "png" | "pdf";
  facts?: DigestFacts;
  counts?: Record<OpsRuleHit["rule"], number | null>;
  hits?: OpsRuleHit[];
};
