// The public surface of @ownerbot/domain/llm: what other packages use; the rest is internal.
export { outcomeOf } from "./llm/intent.ts";
export type { PlannedIntent } from "./llm/intent.ts";
export { claimLlmJob, finishLlmJob, llmResultOf, plannerReplies } from "./llm/llm-jobs.queries.ts";
export type { ClaimedLlm, LlmFinish } from "./llm/llm-jobs.queries.ts";
export { LlmError, plannerFromConfig } from "./llm/planner.ts";
export type { Planner } from "./llm/planner.ts";
