import type pg from "pg";
import type { Logger } from "@ownerbot/core/logger";
import {
  type AsrGuard,
  AsrUnavailable,
  type Converted,
  ConvertError,
  convertToWav,
  declaredRefusal,
  type Transcriber,
  TranscriberError,
  type VoiceFile,
} from "@ownerbot/core/asr";
import {
  ASR,
  type AsrFinish,
  type AsrReason,
  cachedTranscript,
  cacheTranscript,
  chatClaimable,
  claimAsrJob,
  type ClaimedAsr,
  finishAsrJob,
  releaseRows,
} from "@ownerbot/core/db";
import { backoffMs, type BackoffPolicy, claimLoop, type DrainRun, type Queues, wakeIntent } from "@ownerbot/core/queue";
import { FileRefused, FileUnavailable, type OpenedFile } from "./fetch-file.ts";

export type AsrDrainDeps = {
  pool: pg.Pool;
  queues: Queues;
  log: Logger;
  openFile: (f: VoiceFile, signal: AbortSignal) => Promise<OpenedFile>;
  transcriber: Transcriber;
  guard: AsrGuard;
  limits: { maxBytes: number; maxSeconds: number; convertTimeoutMs: number; cpuSec: number; ffmpegPath: string };
  confidenceThreshold: number;
  leaseSec: number;
  retryWindowMs: number;
  backoff: BackoffPolicy;
  /** Metrics (shared/core/src/ops/metrics.ts `asr`); the same facts are in the log lines. */
  observe?: AsrObserver;
};

export type AsrObserver = {
  converted: (audioSeconds: number, ms: number) => void;
  transcribed: (ms: number, ok: boolean) => void;
  finished: (status: string, reason: string | undefined) => void;
  deferred: (reason: "transcriber_failed" | "busy_or_open" | "download") => void;
};

/** A download that failed or stalled this many times is given up: the owner is asked to send it again. */
const DOWNLOAD_TRIES = 3;

type Step = { finish: AsrFinish } | { retry: string; untilMs: number; untried?: boolean };

const refused = (reason: AsrReason, error: string, audioSeconds?: number): Step => ({
  finish: { status: "refused", reason, error, audioSeconds },
});

/**
 * Transcribes a chat's voices one at a time, oldest first: download (streamed into ffmpeg),
 * convert, transcribe, and record the transcript — or why there is none — while handing the voice
 * back to the intent worker. A file that is not usable audio is refused once, with its reason; a
 * transcription service that is down or stalled makes the voice back off on its row for as long as
 * ASR_RETRY_WINDOW_SEC, without holding more than the guard's slots.
 */
export function createAsrDrainer(d: AsrDrainDeps) {
  const isServiceFailure = (err: unknown): boolean => err instanceof TranscriberError && err.retryable;

  async function attempt(job: ClaimedAsr, run: DrainRun, log: Logger): Promise<Step> {
    const f = job.file;
    const cached = await cachedTranscript(d.pool, f.fileUniqueId);
    if (cached) {
      log.info({ audio_seconds: cached.audioSeconds, cached: true }, "voice transcript reused from the cache");
      return { finish: { status: "done", transcript: cached.transcript, audioSeconds: cached.audioSeconds } };
    }
    const declared = declaredRefusal(f, d.limits);
    if (declared) return refused(declared, `declared ${declared === "too_big" ? `${f.fileSize} bytes` : `${f.duration} s`}`);

    let converted: Converted;
    const deadline = AbortSignal.timeout(d.limits.convertTimeoutMs);
    try {
      const file = await d.openFile(f, AbortSignal.any([deadline, run.signal]));
      converted = await convertToWav(file.bytes, {
        voice: f.kind === "voice",
        maxSeconds: d.limits.maxSeconds,
        maxInputBytes: d.limits.maxBytes,
        timeoutMs: d.limits.convertTimeoutMs,
        cpuSec: d.limits.cpuSec,
        ffmpegPath: d.limits.ffmpegPath,
        signal: run.signal,
      });
    } catch (err) {
      if (err instanceof FileRefused) return refused(err.reason, err.message);
      if (err instanceof ConvertError && err.reason !== "input_stalled" && err.reason !== "input_failed")
        return refused(err.reason, err.message);
      if (!(err instanceof FileUnavailable || err instanceof ConvertError)) throw err;
      if (run.signal.aborted) return { retry: "the worker stopped mid-download", untilMs: Date.now(), untried: true };
      if (job.attempts >= DOWNLOAD_TRIES) return refused("download_failed", err.message);
      d.observe?.deferred("download");
      return { retry: err.message, untilMs: Date.now() + backoffMs(d.backoff, job.attempts) };
    }
    log.info({ audio_seconds: round(converted.seconds), convert_ms: converted.ms, container: converted.container }, "voice converted");
    d.observe?.converted(converted.seconds, converted.ms);

    const started = performance.now();
    try {
      const t = await d.guard.run(
        () => d.transcriber.transcribe(converted.wav, { seconds: converted.seconds, signal: run.signal }),
        isServiceFailure,
      );
      const transcribeMs = Math.round(performance.now() - started);
      d.observe?.transcribed(transcribeMs, true);
      log.info({ audio_seconds: round(converted.seconds), transcribe_ms: transcribeMs, provider: d.transcriber.name }, "voice transcribed");
      if (t.text.trim() === "") return refused("silence", "the transcriber heard nothing", converted.seconds);
      if (t.confidence !== undefined && t.confidence < d.confidenceThreshold)
        return refused("unclear", `confidence ${t.confidence} below ${d.confidenceThreshold}`, converted.seconds);
      await cacheTranscript(d.pool, f.fileUniqueId, t.text.trim(), d.transcriber.name, converted.seconds);
      return { finish: { status: "done", transcript: t.text.trim(), audioSeconds: converted.seconds } };
    } catch (err) {
      const transcribeMs = Math.round(performance.now() - started);
      if (err instanceof AsrUnavailable) {
        d.observe?.deferred("busy_or_open");
        return { retry: err.message, untilMs: err.retryAtMs, untried: true };
      }
      d.observe?.transcribed(transcribeMs, false);
      if (err instanceof TranscriberError && !err.retryable) return refused("corrupt", err.message, converted.seconds);
      d.observe?.deferred("transcriber_failed");
      const error = err instanceof Error ? err.message : String(err);
      log.warn(
        { transcribe_ms: transcribeMs, provider: d.transcriber.name, reason: "transcriber_failed", attempts: job.attempts, err: error },
        "transcription failed",
      );
      return { retry: error, untilMs: Date.now() + backoffMs(d.backoff, job.attempts) };
    }
  }

  async function processJob(job: ClaimedAsr, run: DrainRun): Promise<boolean> {
    const log = d.log.child({ job_id: `asr-${job.id}`, chat_id: job.chatId, kind: job.file.kind });
    const started = performance.now();
    let step: Step;
    try {
      step = await attempt(job, run, log);
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      log.error({ err }, "voice handling failed unexpectedly; it backs off");
      step = { retry: error, untilMs: Date.now() + backoffMs(d.backoff, job.attempts) };
    }
    if ("retry" in step) {
      // Past the window the voice is given up: the owner learns it, instead of waiting forever.
      if (Date.now() - job.createdAt.getTime() >= d.retryWindowMs && !run.signal.aborted)
        step = { finish: { status: "dead", reason: "unavailable", error: step.retry } };
      else {
        await releaseRows(d.pool, ASR, [job.id], run.claimer, {
          error: step.retry,
          notBeforeMs: step.untilMs,
          untried: step.untried === true,
        });
        run.record(
          job.id,
          step.untried ? { kind: "wait", untilMs: step.untilMs } : { kind: "retry", error: step.retry, untilMs: step.untilMs },
        );
        return false;
      }
    }
    const fin = await finishAsrJob(d.pool, job.id, run.claimer, step.finish);
    if (!fin.fenced) {
      log.warn("lease lost before finishing; another worker owns this voice now");
      return false;
    }
    const f = step.finish;
    const fields = { ms: Math.round(performance.now() - started), attempts: job.attempts };
    if (f.status === "done") log.info({ ...fields, audio_seconds: round(f.audioSeconds) }, "voice done");
    else
      log.warn({ ...fields, reason: f.reason, status: f.status, err: f.error }, f.status === "dead" ? "voice given up" : "voice refused");
    d.observe?.finished(f.status, f.status === "done" ? undefined : f.reason);
    run.record(job.id, f.status === "dead" ? { kind: "dead", error: f.error } : { kind: "done" });
    if (fin.woke) await wakeIntent(d.queues, fin.woke, log);
    return true;
  }

  /** Transcribes the chat's open voices one by one, oldest first, while it has claimable ones. */
  return async function drainChat(chatId: number, run: DrainRun): Promise<void> {
    await claimLoop(run, {
      claimable: () => chatClaimable(d.pool, ASR, chatId),
      claim: async () => {
        const job = await claimAsrJob(d.pool, chatId, run.claimer, d.leaseSec);
        return job ? [job] : [];
      },
      handle: ([job]) => processJob(job!, run),
    });
  };
}

const round = (s: number): number => Math.round(s * 100) / 100;
