import { AppError } from "../errors.ts";

export type Transcript = { text: string; confidence?: number };

/** One transcription service. A failure is a TranscriberError that says whether trying later can help. */
export interface Transcriber {
  readonly name: string;
  transcribe: (wav: Buffer, o: { seconds: number; signal?: AbortSignal | undefined }) => Promise<Transcript>;
}

export class TranscriberError extends AppError {
  /** HTTP status, or 0 for a network failure or a timeout. */
  readonly status: number;
  constructor(message: string, o: { status: number; retryable: boolean; cause?: unknown }) {
    super("ASR_FAILED", message, { retryable: o.retryable, cause: o.cause });
    this.name = "TranscriberError";
    this.status = o.status;
  }
}

/** The demo's transcriber: always "hears" the configured text, after the real download and conversion. */
export function mockTranscriber(o: { text: string; confidence: number }): Transcriber {
  return { name: "mock", transcribe: () => Promise.resolve({ text: o.text, confidence: o.confidence }) };
}

export type OpenAiAsrOptions = {
  baseUrl: string;
  apiKey: string;
  model: string;
  timeoutMs: number;
  language?: string;
  prompt?: string;
};

/**
 * Any OpenAI-compatible POST /v1/audio/transcriptions (OpenAI itself, or a self-hosted whisper
 * server behind OPENAI_BASE_URL): multipart with the WAV, model, language and prompt; JSON back.
 * 429, 5xx, timeouts, network errors and unreadable answers are worth retrying; other refusals are
 * not — except 401/403, which a fixed key cures, so the voice waits for it. The key travels only
 * in the Authorization header and never into an error.
 */
export function openAiTranscriber(o: OpenAiAsrOptions): Transcriber {
  const url = `${o.baseUrl.replace(/\/+$/, "")}/v1/audio/transcriptions`;
  return {
    name: "openai",
    transcribe: async (wav, t) => {
      const form = new FormData();
      form.set("file", new Blob([new Uint8Array(wav)], { type: "audio/wav" }), "voice.wav");
      form.set("model", o.model);
      form.set("response_format", "json");
      if (o.language) form.set("language", o.language);
      if (o.prompt) form.set("prompt", o.prompt);
      const deadline = AbortSignal.timeout(o.timeoutMs);
      const signal = t.signal ? AbortSignal.any([t.signal, deadline]) : deadline;
      let res: Response;
      let body: string;
      try {
        res = await fetch(url, { method: "POST", body: form, headers: { authorization: `Bearer ${o.apiKey}` }, signal });
        body = await res.text();
      } catch (err) {
        const what = deadline.aborted
          ? `no answer within ${o.timeoutMs} ms`
          : `network error: ${err instanceof Error ? err.message : String(err)}`;
        throw new TranscriberError(`transcription failed: ${what}`, { status: 0, retryable: true, cause: err });
      }
      if (!res.ok) {
        const retryable = res.status === 429 || res.status >= 500 || res.status === 401 || res.status === 403 || res.status === 408;
        throw new TranscriberError(`transcription failed (HTTP ${res.status}): ${snippet(body)}`, { status: res.status, retryable });
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(body);
      } catch {
        throw new TranscriberError(`transcription answer is not JSON: ${snippet(body)}`, { status: res.status, retryable: true });
      }
      const text = (parsed as { text?: unknown } | null)?.text;
      if (typeof text !== "string") throw new TranscriberError("transcription answer has no text", { status: res.status, retryable: true });
      return { text: text.trim() };
    },
  };
}

const snippet = (s: string): string => s.replace(/\s+/g, " ").slice(0, 200);

export function createTranscriber(cfg: {
  ASR_PROVIDER: "mock" | "openai";
  MOCK_ASR_TEXT: string;
  MOCK_ASR_CONFIDENCE: number;
  OPENAI_BASE_URL: string;
  OPENAI_API_KEY: string;
  OPENAI_ASR_MODEL: string;
  ASR_TIMEOUT_SEC: number;
  ASR_PROMPT: string;
}): Transcriber {
  if (cfg.ASR_PROVIDER === "mock") return mockTranscriber({ text: cfg.MOCK_ASR_TEXT, confidence: cfg.MOCK_ASR_CONFIDENCE });
  return openAiTranscriber({
    baseUrl: cfg.OPENAI_BASE_URL,
    apiKey: cfg.OPENAI_API_KEY,
    model: cfg.OPENAI_ASR_MODEL,
    timeoutMs: cfg.ASR_TIMEOUT_SEC * 1000,
    language: "ru",
    prompt: cfg.ASR_PROMPT,
  });
}
