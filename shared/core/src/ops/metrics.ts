import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { Transformer } from "grammy";
import { UnrecoverableError, type Job, type Worker } from "bullmq";
import { RetryLater } from "../queue/backoff.ts";

/**
 * One Prometheus registry per process, with every OwnerBot metric declared here so their names and
 * labels are in one place (docs/operations.md lists them with their alerts). Services feed it from
 * their composition roots — a grammY transformer, BullMQ worker events, a wrapped render — so the
 * code that does the work does not know about metrics.
 */
export type Metrics = ReturnType<typeof createMetrics>;

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export function createMetrics(service: string) {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  // Process memory, heap, GC, handles and event-loop lag (ownerbot_nodejs_eventloop_lag_seconds …).
  collectDefaultMetrics({ register: registry, prefix: "ownerbot_" });
  const registers = [registry];

  const telegramCalls = new Counter({
    name: "ownerbot_telegram_requests_total",
    help: "Bot API calls by method and result (ok, or the HTTP status Telegram answered; 0 = no answer)",
    labelNames: ["method", "result"] as const,
    registers,
  });
  const telegramSeconds = new Histogram({
    name: "ownerbot_telegram_request_duration_seconds",
    help: "Bot API call time by method (getUpdates includes its long poll)",
    labelNames: ["method"] as const,
    buckets: [...SECONDS, 60],
    registers,
  });
  const rateLimited = new Counter({
    name: "ownerbot_telegram_rate_limited_total",
    help: "429 answers from Telegram by method",
    labelNames: ["method"] as const,
    registers,
  });
  const jobs = new Counter({
    name: "ownerbot_jobs_processed_total",
    help: "Jobs this process ran, by queue and how they ended: completed, retry (the row backs off), dead (the row gave up), error",
    labelNames: ["queue", "result"] as const,
    registers,
  });
  const jobSeconds = new Histogram({
    name: "ownerbot_job_duration_seconds",
    help: "Time from a job becoming active to its end in this process, by queue",
    labelNames: ["queue"] as const,
    buckets: SECONDS,
    registers,
  });
  const stalled = new Counter({
    name: "ownerbot_jobs_stalled_total",
    help: "Jobs whose worker died or froze (lock expired) that this process handed back to the queue",
    labelNames: ["queue"] as const,
    registers,
  });
  const leasesLost = new Counter({
    name: "ownerbot_leases_lost_total",
    help: "Row leases this process lost while still working on them (it stalled longer than LEASE_SEC)",
    labelNames: ["queue"] as const,
    registers,
  });
  const readded = new Counter({
    name: "ownerbot_sweeper_jobs_readded_total",
    help: "Jobs the sweeper added again because Redis no longer held them or their lease had expired",
    labelNames: ["queue"] as const,
    registers,
  });
  const renderSeconds = new Histogram({
    name: "ownerbot_report_render_seconds",
    help: "Chart (png) and document (pdf) render time, by format and result",
    labelNames: ["format", "result"] as const,
    buckets: [0.05, 0.1, 0.15, 0.25, 0.5, 0.8, 1, 2, 5, 10, 30],
    registers,
  });

  const asrAudio = new Histogram({
    name: "ownerbot_asr_audio_seconds",
    help: "Length of the voices worker-asr converted",
    buckets: [1, 3, 5, 10, 20, 30, 60, 120, 300],
    registers,
  });
  const asrStage = new Histogram({
    name: "ownerbot_asr_stage_seconds",
    help: "worker-asr time per stage: convert (download + ffmpeg, streamed together) and transcribe, by result",
    labelNames: ["stage", "result"] as const,
    buckets: [0.05, 0.1, 0.15, 0.25, 0.5, 1, 2, 5, 10, 20, 60],
    registers,
  });
  const asrVoices = new Counter({
    name: "ownerbot_asr_voices_total",
    help: "Voices worker-asr finished, by status (done, refused, dead) and reason (too_big, not_audio, silence, unavailable, …; none when done)",
    labelNames: ["status", "reason"] as const,
    registers,
  });
  const llmCalls = new Counter({
    name: "ownerbot_llm_calls_total",
    help: "LLM planner calls by result: ok, no_match, unknown_tool, action_not_allowed, invalid_json, schema_violation, invalid_payload, timeout, http_error, bad_response",
    labelNames: ["result"] as const,
    registers,
  });
  const llmLatency = new Histogram({
    name: "ownerbot_llm_call_seconds",
    help: "LLM planner call time, by result",
    labelNames: ["result"] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 60],
    registers,
  });
  const llmTokens = new Counter({
    name: "ownerbot_llm_tokens_total",
    help: "Tokens the LLM server reported, by kind (prompt, completion)",
    labelNames: ["kind"] as const,
    registers,
  });
  const asrFailures = new Counter({
    name: "ownerbot_asr_transcriber_failures_total",
    help: "Transcription attempts that failed and will be retried (the service down, slow or erroring), and voices turned back by the bulkhead or breaker",
    labelNames: ["reason"] as const,
    registers,
  });

  return {
    registry,

    /** The llm worker's observer (services/worker-intent/src/llm-drain.ts `observe`). */
    llm: {
      called: (result: string, ms: number, tokensIn?: number, tokensOut?: number) => {
        llmCalls.inc({ result });
        llmLatency.observe({ result }, ms / 1000);
        if (tokensIn !== undefined) llmTokens.inc({ kind: "prompt" }, tokensIn);
        if (tokensOut !== undefined) llmTokens.inc({ kind: "completion" }, tokensOut);
      },
    },

    /** worker-asr's observer (services/worker-asr/src/drain.ts `observe`). */
    asr: {
      converted: (audioSeconds: number, ms: number) => {
        asrAudio.observe(audioSeconds);
        asrStage.observe({ stage: "convert", result: "ok" }, ms / 1000);
      },
      transcribed: (ms: number, ok: boolean) => asrStage.observe({ stage: "transcribe", result: ok ? "ok" : "error" }, ms / 1000),
      finished: (status: string, reason: string | undefined) => asrVoices.inc({ status, reason: reason ?? "none" }),
      deferred: (reason: "transcriber_failed" | "busy_or_open" | "download") => asrFailures.inc({ reason }),
    },

    /** Counts every Bot API call of this client; install with `telegram.api.config.use(...)`. */
    telegramTransformer(onCall?: (method: string) => void): Transformer {
      return async (prev, method, payload, signal) => {
        onCall?.(method);
        const end = telegramSeconds.startTimer({ method });
        try {
          const res = await prev(method, payload, signal);
          telegramCalls.inc({ method, result: res.ok ? "ok" : String(res.error_code) });
          if (!res.ok && res.error_code === 429) rateLimited.inc({ method });
          return res;
        } catch (err) {
          // The client's own transformer turns every failure into a TelegramError with its status.
          const status = (err as { status?: unknown }).status;
          const result = typeof status === "number" ? String(status) : "0";
          telegramCalls.inc({ method, result });
          if (status === 429) rateLimited.inc({ method });
          throw err;
        } finally {
          end();
        }
      };
    },

    /** Counts how this process's jobs of `queue` end, from the BullMQ worker's events. */
    watchWorker(queue: string, worker: Worker): void {
      const took = (job: Job): number => ((job.finishedOn ?? Date.now()) - (job.processedOn ?? Date.now())) / 1000;
      worker.on("completed", (job) => {
        jobs.inc({ queue, result: "completed" });
        jobSeconds.observe({ queue }, took(job));
      });
      worker.on("failed", (job, err) => {
        const result = err instanceof RetryLater ? "retry" : err instanceof UnrecoverableError ? "dead" : "error";
        jobs.inc({ queue, result });
        if (job) jobSeconds.observe({ queue }, took(job));
      });
      worker.on("stalled", () => stalled.inc({ queue }));
    },

    /** The leased-work module's observer (shared/core/src/queue/chat-work.ts `observe`). */
    chatWork(queue: string) {
      return {
        leaseLost: (rows: number) => leasesLost.inc({ queue }, rows),
        jobsReadded: (n: number) => readded.inc({ queue }, n),
      };
    },

    /** Times one report render. */
    async timeRender<T>(format: string, render: () => Promise<T>): Promise<T> {
      const end = renderSeconds.startTimer({ format });
      try {
        const out = await render();
        end({ result: "ok" });
        return out;
      } catch (err) {
        end({ result: "error" });
        throw err;
      }
    },

    /** A counter whose value another object already keeps (the poller's stats): read at each scrape. */
    counterFrom(name: string, help: string, read: () => number): void {
      new Counter({
        name,
        help,
        registers,
        collect() {
          this.reset();
          this.inc(read());
        },
      });
    },
  };
}
