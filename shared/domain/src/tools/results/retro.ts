// The result data of the retro tools: plain types the tools return and the presenters read.

export type Delta = { current: number; previous: number; absolute: number; percent: number | null };

export type RetroSummaryData = {
  periodDays: number;
  from: string;
  to: string;
  metrics: Record<
    | "events"
    | "toolCalls"
    | "toolFailures"
    | "ownerMisses"
    | "errors"
    | "unknownIntents"
    | "llmPlanned"
    | "llmFallbacks"
    | "llmDisallowed"
    | "actionsCommitted"
    | "actionsFailed"
    | "accessDenied",
    Delta
  >;
  /** The advisor's data briefs, checks and decision memos (retro-advice.ts). */
  advisor: AdvisorSummary;
  failureRatePct: number | null;
  topTools: { key: string; count: number }[];
  topErrors: { key: string; count: number }[];
  topEventTypes: { key: string; count: number }[];
};

export type GapRow = { tool: string; count: number; previous: number };

/** Per kind: this period and the one before. `memosPartial`: memos with reports left out; sent/failed from report_jobs. */
export type AdvisorSummary = Record<"briefs" | "checks" | "memos" | "memosPartial" | "memosSent" | "memosFailed", Delta>;

/** A topic whose decision memos came without some of their reports, or whose PDF was not sent. */
export type AdvisorGapRow = { topic: string; partial: number; failed: number };

export type RetroGapsData = {
  periodDays: number;
  from: string;
  to: string;
  unknownTools: GapRow[];
  notImplemented: GapRow[];
  invalidInput: GapRow[];
  notAllowed: GapRow[];
  /** Actions asked for without parameters: the parameter wizard's starts by tool and missing fields. */
  wizardMissing: (GapRow & { fields: string })[];
  advisor: AdvisorGapRow[];
  unknownIntents: Delta;
  hints: string[];
};

/** Preview → confirm → commit of owner actions, as counted from their audit events. */
export type ActionFunnel = { previewed: number; confirmed: number; committed: number; cancelled: number; commitRatePct: number | null };

export type RetroExportData = {
  filename: string;
  bytes: number;
  summary: RetroSummaryData;
  gaps: RetroGapsData | null;
  funnel: ActionFunnel | null;
};
