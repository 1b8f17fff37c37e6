import { parseWav, wavSeconds } from "@ownerbot/core/asr";
import { sendJson } from "../fake-telegram/http-util.ts";
import { boundaryOf, parseMultipart, UploadedFile } from "../fake-telegram/multipart.ts";
import { openAiError, type FakeOpenAi, type RouteRequest } from "./server.ts";

/** One transcription request as the fake understood it. */
export type TranscriptionRequest = {
  model: string;
  language: string | undefined;
  prompt: string | undefined;
  filename: string;
  bytes: number;
  sampleRate: number;
  channels: number;
  seconds: number;
  /** What the fake answered (the scripted text), or the error it gave. */
  answered: string;
};

export type Transcriptions = {
  /** Texts to answer, in order; when they run out, `fallback` answers. */
  script: (...texts: string[]) => void;
  /** Answers every request the script does not cover; by default a fixed phrase. */
  fallback: (fn: (r: Omit<TranscriptionRequest, "answered">) => string) => void;
  /** Valid requests answered, in order. */
  readonly received: TranscriptionRequest[];
  /** Requests refused as invalid (a bad WAV, a missing field), with why. */
  readonly rejected: string[];
};

/**
 * POST /v1/audio/transcriptions as OpenAI documents it, strict about what OwnerBot must send: a
 * multipart body with `model` and a `file` that is 16 kHz mono 16-bit PCM WAV whose header sizes
 * are true and whose duration is between 0.1 s and `maxSeconds`. Anything else gets the 400 OpenAI
 * would give, and is recorded in `rejected` so a test can fail on it.
 */
export function addTranscriptions(api: FakeOpenAi, o: { maxSeconds?: number } = {}): Transcriptions {
  const script: string[] = [];
  let fallback = (_: Omit<TranscriptionRequest, "answered">): string => "выручка за неделю";
  const received: TranscriptionRequest[] = [];
  const rejected: string[] = [];

  const refuse = (r: RouteRequest, why: string): void => {
    rejected.push(why);
    openAiError(r.res, 400, why);
  };

  api.route("POST", "/v1/audio/transcriptions", (r) => {
    const boundary = boundaryOf(r.req.headers["content-type"] ?? "");
    if (!boundary) return refuse(r, "expected multipart/form-data");
    let form;
    try {
      form = parseMultipart(r.body, boundary);
    } catch {
      return refuse(r, "invalid multipart body");
    }
    const field = (name: string): string | undefined => {
      const v = form.get(name);
      return typeof v === "string" ? v : undefined;
    };
    const file = form.get("file");
    const model = field("model");
    if (!(file instanceof UploadedFile)) return refuse(r, "file is required");
    if (!model) return refuse(r, "model is required");
    const wav = parseWav(file.data);
    if (!wav || wav.format !== 1 || wav.bitsPerSample !== 16) return refuse(r, "file is not 16-bit PCM WAV");
    if (wav.sampleRate !== 16_000 || wav.channels !== 1)
      return refuse(r, `expected 16 kHz mono, got ${wav.sampleRate} Hz × ${wav.channels}`);
    if (
      file.data.readUInt32LE(4) !== file.data.length - 8 ||
      wav.dataOffset + file.data.readUInt32LE(wav.dataOffset - 4) !== file.data.length
    )
      return refuse(r, "WAV header sizes do not match the file");
    const seconds = wavSeconds(wav);
    if (seconds < 0.1 || seconds > (o.maxSeconds ?? 600)) return refuse(r, `audio of ${seconds.toFixed(2)} s is out of range`);
    const req = {
      model,
      language: field("language"),
      prompt: field("prompt"),
      filename: file.filename,
      bytes: file.data.length,
      sampleRate: wav.sampleRate,
      channels: wav.channels,
      seconds,
    };
    const text = script.shift() ?? fallback(req);
    received.push({ ...req, answered: text });
    sendJson(r.res, 200, { text });
  });

  return {
    script: (...texts) => void script.push(...texts),
    fallback: (fn) => void (fallback = fn),
    received,
    rejected,
  };
}
