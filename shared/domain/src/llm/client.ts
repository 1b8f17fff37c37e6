import { AppError } from "@ownerbot/core/errors";
import { LLM_ANSWER_JSON_SCHEMA } from "./intent.ts";

// The planner's model: any OpenAI-compatible POST /v1/chat/completions with a strict JSON schema
// response format, or the deterministic mock. Both return the model's raw text; intent.ts checks it.

export type Completion = { raw: string; tokensIn?: number; tokensOut?: number };

export interface LlmClient {
  readonly name: "mock" | "openai";
  complete: (o: { system: string; user: string; signal?: AbortSignal | undefined }) => Promise<Completion>;
}

export type LlmFailure = "timeout" | "http_error" | "bad_response";

export class LlmError extends AppError {
  readonly failure: LlmFailure;
  readonly status: number;
  constructor(failure: LlmFailure, message: string, o: { status?: number; retryable: boolean; cause?: unknown }) {
    super("LLM_FAILED", message, { retryable: o.retryable, cause: o.cause });
    this.name = "LlmError";
    this.failure = failure;
    this.status = o.status ?? 0;
  }
}

export type OpenAiLlmOptions = { baseUrl: string; apiKey: string; model: string; timeoutMs: number };

/**
 * Chat completions with `response_format: json_schema` (strict) and temperature 0. Every call has
 * the deadline LLM_TIMEOUT_SECONDS. A 429, a 5xx, a timeout or a network error may pass; a 4xx
 * will not (but a 401/403 is cured by a fixed key, so it is retried too). The key travels only in
 * the Authorization header, never into an error.
 */
export function openAiLlm(o: OpenAiLlmOptions): LlmClient {
  const url = `${o.baseUrl.replace(/\/+$/, "")}/v1/chat/completions`;
  return {
    name: "openai",
    complete: async ({ system, user, signal }) => {
      const deadline = AbortSignal.timeout(o.timeoutMs);
      const s = signal ? AbortSignal.any([signal, deadline]) : deadline;
      const body = JSON.stringify({
        model: o.model,
        temperature: 0,
        messages: [
          { role: "system", content: system },
          { role: "user", content: user },
        ],
        response_format: { type: "json_schema", json_schema: { name: "owner_intent", strict: true, schema: LLM_ANSWER_JSON_SCHEMA } },
      });
      let res: Response;
      let text: string;
      try {
        res = await fetch(url, {
          method: "POST",
          body,
          headers: { authorization: `Bearer ${o.apiKey}`, "content-type": "application/json" },
          signal: s,
        });
        text = await res.text();
      } catch (err) {
        if (deadline.aborted) throw new LlmError("timeout", `no answer within ${o.timeoutMs} ms`, { retryable: true });
        throw new LlmError("http_error", `request failed: ${(err as Error).name}`, { retryable: true, cause: err });
      }
      if (!res.ok) {
        const retryable = res.status === 429 || res.status >= 500 || res.status === 401 || res.status === 403;
        throw new LlmError("http_error", `HTTP ${res.status}: ${errorMessage(text)}`, { status: res.status, retryable });
      }
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw new LlmError("bad_response", "the answer is not JSON", { status: res.status, retryable: true });
      }
      const j = json as {
        choices?: { message?: { content?: unknown } }[];
        usage?: { prompt_tokens?: unknown; completion_tokens?: unknown };
      };
      const content = j.choices?.[0]?.message?.content;
      if (typeof content !== "string") throw new LlmError("bad_response", "no message content in the answer", { retryable: true });
      const usage = j.usage ?? {};
      return {
        raw: content,
        ...(typeof usage.prompt_tokens === "number" ? { tokensIn: usage.prompt_tokens } : {}),
        ...(typeof usage.completion_tokens === "number" ? { tokensOut: usage.completion_tokens } : {}),
      };
    },
  };
}

function errorMessage(body: string): string {
  try {
    const m = (JSON.parse(body) as { error?: { message?: unknown } }).error?.message;
    return typeof m === "string" ? m.slice(0, 200) : body.slice(0, 200);
  } catch {
    return body.slice(0, 200);
  }
}
