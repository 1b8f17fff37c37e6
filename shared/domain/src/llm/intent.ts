import { z } from "zod";
import { wizardKeys } from "../actions/wizard.ts";
import { ADVICE_TOPICS, type AdviceTopic } from "../advice/topics.ts";
import type { PlannerCatalogue } from "./catalogue.ts";

// The one shape the model must answer in (sent as a strict JSON schema), and the check that turns
// an answer into one intent the bot may act on. Anything else is "не понял" with a hint: the model
// never runs a tool that does not exist, an action it is not allowed, or a payload the tool rejects.

export const llmAnswerSchema = z
  .object({
    intent_kind: z.enum(["TOOL", "ADVICE", "UNKNOWN"]),
    tool: z.string().max(64).nullable(),
    /** The tool's input as a JSON object in a string: strict schemas cannot describe every tool's fields. */
    payload_json: z.string().max(4000).nullable(),
    presentation: z.enum(["text", "chart", "pdf"]).nullable(),
    advice_topic: z.enum(ADVICE_TOPICS).nullable(),
    hint: z.string().max(300).nullable(),
    confidence: z.number().min(0).max(1),
  })
  .strict();
export type LlmAnswer = z.output<typeof llmAnswerSchema>;

/** The JSON schema of the answer, for `response_format: json_schema` (strict). */
export const LLM_ANSWER_JSON_SCHEMA = z.toJSONSchema(llmAnswerSchema, { io: "input" });

/** Why a planner answer is not acted on; retro counts these. */
export type PlanFailure =
  "no_match" | "unknown_tool" | "action_not_allowed" | "invalid_json" | "schema_violation" | "invalid_payload" | "unavailable";

export type PlannedIntent =
  | { kind: "tool"; tool: string; action: boolean; input: Record<string, unknown>; presentation?: "chart" | "pdf"; confidence: number }
  | { kind: "advice"; topic: AdviceTopic | null; confidence: number }
  | { kind: "unknown"; reason: PlanFailure; hint?: string; tool?: string };

/** What llm_jobs.outcome records: ok for an intent acted on, else the failure. */
export const outcomeOf = (p: PlannedIntent): "ok" | PlanFailure => (p.kind === "unknown" ? p.reason : "ok");

const hintOf = (h: string | null): { hint?: string } => (h && h.trim() !== "" ? { hint: h.trim().slice(0, 300) } : {});

/** Parses and checks the model's raw text against the catalogue. Pure; never throws. */
export function validateAnswer(raw: string, cat: PlannerCatalogue): PlannedIntent {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { kind: "unknown", reason: "invalid_json" };
  }
  const parsed = llmAnswerSchema.safeParse(json);
  if (!parsed.success) return { kind: "unknown", reason: "schema_violation" };
  const a = parsed.data;
  if (a.intent_kind === "UNKNOWN") return { kind: "unknown", reason: "no_match", ...hintOf(a.hint) };
  if (a.intent_kind === "ADVICE") return { kind: "advice", topic: a.advice_topic, confidence: a.confidence };
  if (a.tool === null) return { kind: "unknown", reason: "schema_violation" };
  const tool = cat.get(a.tool);
  if (!tool) {
    const reason = cat.isDisallowedAction(a.tool) ? "action_not_allowed" : "unknown_tool";
    return { kind: "unknown", reason, tool: a.tool.slice(0, 64) };
  }
  let input: unknown = {};
  if (a.payload_json !== null && a.payload_json.trim() !== "") {
    try {
      input = JSON.parse(a.payload_json);
    } catch {
      return { kind: "unknown", reason: "invalid_payload", tool: tool.name };
    }
  }
  if (typeof input !== "object" || input === null || Array.isArray(input))
    return { kind: "unknown", reason: "invalid_payload", tool: tool.name };
  const checked = tool.input.safeParse(input);
  if (!checked.success) {
    // An action that only misses what the owner must choose (a percent, a message) goes to the parameter wizard.
    const asked = tool.kind === "action" ? wizardKeys(tool.name, input as Record<string, unknown>) : [];
    if (asked.length === 0 || !checked.error.issues.every((i) => asked.includes(String(i.path[0]))))
      return { kind: "unknown", reason: "invalid_payload", tool: tool.name };
  }
  const presentation = a.presentation === "chart" || a.presentation === "pdf" ? { presentation: a.presentation } : {};
  return {
    kind: "tool",
    tool: tool.name,
    action: tool.kind === "action",
    input: input as Record<string, unknown>,
    ...presentation,
    confidence: a.confidence,
  };
}

export const plannedIntentSchema: z.ZodType<PlannedIntent> = z.union([
  z.object({
    kind: z.literal("tool"),
    tool: z.string(),
    action: z.boolean(),
    input: z.record(z.string(), z.unknown()),
    presentation: z.enum(["chart", "pdf"]).optional(),
    confidence: z.number(),
  }),
  z.object({ kind: z.literal("advice"), topic: z.enum(ADVICE_TOPICS).nullable(), confidence: z.number() }),
  z.object({
    kind: z.literal("unknown"),
    reason: z.enum([
      "no_match",
      "unknown_tool",
      "action_not_allowed",
      "invalid_json",
      "schema_violation",
      "invalid_payload",
      "unavailable",
    ]),
    hint: z.string().optional(),
    tool: z.string().optional(),
  }),
]);
