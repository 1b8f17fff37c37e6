import type { Reply, ShopSettings } from "../contract.ts";
import type { PlanSpec } from "../actions/plan-types.ts";

/** What the intent worker passes in; `now` is pinned in tests and is new Date() in production. */
export type RouteContext = {
  shop: ShopSettings;
  now: Date;
  /** When set, "/cmd@otherbot" addressed to a different bot is not ours to answer. */
  botUsername?: string;
};

export type Presentation = "chart" | "pdf";

export type ToolIntent = {
  kind: "tool";
  tool: string;
  input: Record<string, unknown>;
  presentation?: Presentation;
  /**
   * Short Russian remarks for the owner about how the request was read, e.g. that a period was
   * clamped to what the report can show. The worker prints them above the result.
   */
  notes?: string[];
  /** For the parameter wizard when an action misses a field: the direction the owner asked for («снизь» = −1). */
  wizard?: { sign?: 1 | -1 };
};

/** Commands the worker answers itself, without a tool call through the router. */
export type SystemCommand =
  | "start"
  | "menu"
  | "help"
  | "tools"
  | "templates"
  | "systems"
  | "upstream"
  | "upstream_demo"
  | "upstream_sis"
  | "upstream_auto"
  | "upstream_clear"
  | "sis_check"
  | "shadow_check"
  | "tpl_rate_set"
  | "cancel";

export type Intent =
  | ToolIntent
  | { kind: "nav"; to: string }
  /** Several steps previewed together and confirmed once (rules-plan.ts). */
  | { kind: "plan"; plan: PlanSpec }
  | { kind: "help" }
  | { kind: "command"; name: SystemCommand; args: string }
  | { kind: "clarify"; reply: Reply }
  | { kind: "unknown"; reply: Reply };
