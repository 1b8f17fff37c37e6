// The fake OpenAI-compatible API of the test kit (see server.ts for adding endpoints).
import { startFakeOpenAiServer, type FakeOpenAi } from "./server.ts";
import { addTranscriptions, type Transcriptions } from "./transcriptions.ts";
import { addChatCompletions, type ChatCompletions } from "./chat-completions.ts";

export type { Fault, FaultMode, FakeOpenAi, Route, RouteRequest } from "./server.ts";
export type { TranscriptionRequest, Transcriptions } from "./transcriptions.ts";
export { openAiError, startFakeOpenAiServer } from "./server.ts";
export { addTranscriptions } from "./transcriptions.ts";
export { addChatCompletions, intentAnswer } from "./chat-completions.ts";
export type { ChatCompletions, ChatRequest } from "./chat-completions.ts";

/** The fake with its transcription and chat completions endpoints, as ASR and planner tests use it. */
export async function startFakeOpenAi(
  o: { apiKey?: string; maxSeconds?: number } = {},
): Promise<FakeOpenAi & { asr: Transcriptions; chat: ChatCompletions; asrEnv: Record<string, string> }> {
  const api = await startFakeOpenAiServer(o.apiKey !== undefined ? { apiKey: o.apiKey } : {});
  return Object.assign(api, {
    asr: addTranscriptions(api, o.maxSeconds !== undefined ? { maxSeconds: o.maxSeconds } : {}),
    chat: addChatCompletions(api),
    /** The services' env for the OpenAI-compatible transcriber pointed at this fake. */
    asrEnv: {
      ASR_PROVIDER: "openai",
      OPENAI_BASE_URL: api.url,
      ...(o.apiKey !== undefined ? { OPENAI_API_KEY: o.apiKey } : {}),
      OPENAI_ASR_MODEL: "whisper-large-v3",
    },
  });
}
