// The fake OpenAI-compatible API of the test kit (see server.ts for adding endpoints).
import { startFakeOpenAiServer, type FakeOpenAi } from "./server.ts";
import { addTranscriptions, type Transcriptions } from "./transcriptions.ts";

export type { Fault, FaultMode, FakeOpenAi, Route, RouteRequest } from "./server.ts";
export type { TranscriptionRequest, Transcriptions } from "./transcriptions.ts";
export { openAiError, startFakeOpenAiServer } from "./server.ts";
export { addTranscriptions } from "./transcriptions.ts";

/** The fake with its transcription endpoint, as ASR tests use it. */
export async function startFakeOpenAi(o: { apiKey?: string; maxSeconds?: number } = {}): Promise<FakeOpenAi & { asr: Transcriptions }> {
  const api = await startFakeOpenAiServer(o.apiKey !== undefined ? { apiKey: o.apiKey } : {});
  return Object.assign(api, { asr: addTranscriptions(api, o.maxSeconds !== undefined ? { maxSeconds: o.maxSeconds } : {}) });
}
