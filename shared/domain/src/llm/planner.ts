import type { Config } from "@ownerbot/core/config";
import type { ActionDef } from "../actions/types.ts";
import type { ToolDef } from "../contract.ts";
import { createCatalogue, type PlannerCatalogue } from "./catalogue.ts";
import { LlmError, openAiLlm, type LlmClient } from "./client.ts";
import { validateAnswer, type PlannedIntent } from "./intent.ts";
import { mockLlm } from "./mock.ts";
import { systemPrompt } from "./prompt.ts";

export type Planned = {
  intent: PlannedIntent;
  provider: string;
  latencyMs: number;
  tokensIn?: number;
  tokensOut?: number;
};

export type Planner = {
  readonly provider: string;
  readonly catalogue: PlannerCatalogue;
  /** One text → one checked intent. A model that did not answer throws LlmError (the job retries). */
  plan: (text: string, signal?: AbortSignal) => Promise<Planned>;
};

export function createPlanner(o: { client: LlmClient; catalogue: PlannerCatalogue; system: string; maxInputChars: number }): Planner {
  return {
    provider: o.client.name,
    catalogue: o.catalogue,
    plan: async (text, signal) => {
      const started = performance.now();
      const c = await o.client.complete({ system: o.system, user: text.slice(0, o.maxInputChars), signal });
      return {
        intent: validateAnswer(c.raw, o.catalogue),
        provider: o.client.name,
        latencyMs: Math.round(performance.now() - started),
        ...(c.tokensIn !== undefined ? { tokensIn: c.tokensIn } : {}),
        ...(c.tokensOut !== undefined ? { tokensOut: c.tokensOut } : {}),
      };
    },
  };
}

/** The planner the config asks for, or null when LLM_PROVIDER=OFF. */
export function plannerFromConfig(
  cfg: Pick<
    Config,
    | "LLM_PROVIDER"
    | "OPENAI_BASE_URL"
    | "OPENAI_API_KEY"
    | "OPENAI_LLM_MODEL"
    | "LLM_TIMEOUT_SECONDS"
    | "LLM_MAX_INPUT_CHARS"
    | "LLM_ALLOWED_ACTION_TOOLS"
    | "SHOP_CURRENCY"
    | "OWNER_TZ"
  >,
  tools: { read: readonly ToolDef[]; actions: readonly ActionDef[] },
): Planner | null {
  if (cfg.LLM_PROVIDER === "OFF") return null;
  const catalogue = createCatalogue({ readTools: tools.read, actionTools: tools.actions, allowedActions: cfg.LLM_ALLOWED_ACTION_TOOLS });
  const client =
    cfg.LLM_PROVIDER === "MOCK"
      ? mockLlm()
      : openAiLlm({
          baseUrl: cfg.OPENAI_BASE_URL,
          apiKey: cfg.OPENAI_API_KEY,
          model: cfg.OPENAI_LLM_MODEL,
          timeoutMs: cfg.LLM_TIMEOUT_SECONDS * 1000,
        });
  return createPlanner({
    client,
    catalogue,
    system: systemPrompt(catalogue, { currency: cfg.SHOP_CURRENCY, timeZone: cfg.OWNER_TZ }),
    maxInputChars: cfg.LLM_MAX_INPUT_CHARS,
  });
}

export { LlmError };
