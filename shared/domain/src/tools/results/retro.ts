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
  failureRatePct: number | null;
  topTools: { key: string; count: number }[];
  topErrors: { key: string; count: number }[];
  topEventTypes: { key: string; count: number }[];
};

export type GapRow = { tool: string; count: number; previous: number };

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
