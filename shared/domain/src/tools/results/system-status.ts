// The result data of the system-status tools: plain types the tools return and the presenters read.

export type UpstreamModeData = {
  configuredMode: string;
  override: string | null;
  selectedMode: string;
  effectiveMode: string;
  sisConfigured: boolean;
};

export type CheckState = "ok" | "fail" | "not_needed" | "configured";

export type SysHealthData = {
  status: "ok" | "degraded";
  db: CheckState;
  redis: CheckState;
  /** "configured": URL and key are set; this tool does not call SIS, so reachability is unknown. */
  sis: CheckState;
  effectiveMode: string;
  asr: string;
  llm: string;
};

export type CheckLevel = "ok" | "warn" | "fail";

export type OnboardItem = {
  key: "sis_connectivity" | "upstream_mode" | "capabilities" | "notifications" | "team_routing";
  level: CheckLevel;
  /** Why this level; the presenter turns it into Russian text and a fix hint. */
  reason: string;
};

export type OnboardStatusData = { overall: CheckLevel; items: OnboardItem[]; selectedMode: string; managerChats: number };
