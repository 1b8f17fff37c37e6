import { sendJson } from "../fake-telegram/http-util.ts";
import { openAiError, type FakeOpenAi } from "./server.ts";

// POST /v1/chat/completions on the fake: what the LLM planner talks to in tests. Answers are
// scripted — queued with `answer()`, else from `respond(userText)` — and go back as the message
// content, so a test can make the "model" return an intent, JSON that breaks the schema, a tool
// that does not exist, an action not allowed, or text that is not JSON at all. Transport faults
// (stall, 500, a body that is not JSON, slow) are the server's own (server.ts setFault).

export type ChatRequest = {
  model: string;
  system: string;
  user: string;
  responseFormat: unknown;
};

export type ChatCompletions = {
  /** Requests that reached the endpoint (faulted ones do not). */
  readonly received: ChatRequest[];
  /** The next answers, in order: an object is sent as its JSON, a string as it is. */
  answer: (...contents: (string | Record<string, unknown>)[]) => void;
  /** Answers when nothing is queued; the default says UNKNOWN. */
  respond: (fn: (user: string) => string | Record<string, unknown>) => void;
};

/** A planner answer in the shape shared/domain/src/llm/intent.ts expects, with the defaults filled in. */
export function intentAnswer(o: {
  kind?: "TOOL" | "ADVICE" | "UNKNOWN";
  tool?: string;
  payload?: Record<string, unknown>;
  presentation?: "text" | "chart" | "pdf";
  topic?: string;
  hint?: string;
  confidence?: number;
}): Record<string, unknown> {
  return {
    intent_kind: o.kind ?? (o.tool ? "TOOL" : "UNKNOWN"),
    tool: o.tool ?? null,
    payload_json: o.payload ? JSON.stringify(o.payload) : null,
    presentation: o.presentation ?? null,
    advice_topic: o.topic ?? null,
    hint: o.hint ?? null,
    confidence: o.confidence ?? 0.9,
  };
}

export function addChatCompletions(api: FakeOpenAi, o: { promptTokens?: number; completionTokens?: number } = {}): ChatCompletions {
  const received: ChatRequest[] = [];
  const queue: (string | Record<string, unknown>)[] = [];
  let respond: (user: string) => string | Record<string, unknown> = () => intentAnswer({ kind: "UNKNOWN", hint: "нет сценария" });
  api.route("POST", "/v1/chat/completions", ({ res, body }) => {
    let req: { model?: unknown; messages?: { role?: unknown; content?: unknown }[]; response_format?: unknown };
    try {
      req = JSON.parse(body.toString("utf8")) as typeof req;
    } catch {
      return openAiError(res, 400, "We could not parse the JSON body of your request.");
    }
    const msgs = Array.isArray(req.messages) ? req.messages : [];
    const text = (role: string): string => {
      const c = msgs.find((m) => m.role === role)?.content;
      return typeof c === "string" ? c : "";
    };
    if (typeof req.model !== "string" || msgs.length === 0) return openAiError(res, 400, "model and messages are required");
    const r: ChatRequest = { model: req.model, system: text("system"), user: text("user"), responseFormat: req.response_format };
    received.push(r);
    const next = queue.shift() ?? respond(r.user);
    const content = typeof next === "string" ? next : JSON.stringify(next);
    sendJson(res, 200, {
      id: `chatcmpl-${received.length}`,
      object: "chat.completion",
      created: Math.floor(Date.now() / 1000),
      model: r.model,
      choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
      usage: {
        prompt_tokens: o.promptTokens ?? Math.ceil((r.system.length + r.user.length) / 4),
        completion_tokens: o.completionTokens ?? Math.ceil(content.length / 4),
        total_tokens: 0,
      },
    });
  });
  return {
    received,
    answer: (...contents) => void queue.push(...contents),
    respond: (fn) => void (respond = fn),
  };
}
