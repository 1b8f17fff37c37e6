// Composition root of the ASR worker: claims asr_jobs rows per chat, downloads each voice from
// Telegram, converts it with a hardened ffmpeg and transcribes it, then hands it back to worker-intent.
import { execFileSync } from "node:child_process";
import type { Config } from "@ownerbot/core/config";
import { createServiceOps, type Running, StartupError, workerCheck } from "@ownerbot/core/ops";
import { createLogger } from "@ownerbot/core/logger";
import { createPool } from "@ownerbot/core/db";
import { createAsrGuard, createTranscriber } from "@ownerbot/core/asr";
import { closeQueues, createQueues, startChatWork } from "@ownerbot/core/queue";
import { createTelegramClient } from "@ownerbot/core/telegram";
import { createAsrDrainer } from "./drain.ts";
import { openTelegramFile } from "./fetch-file.ts";

export async function start(cfg: Config): Promise<Running> {
  const log = createLogger({ name: "worker-asr", level: cfg.LOG_LEVEL, secrets: cfg.secrets });

  // Without these every voice would fail; say so at start, by name, instead of once per voice.
  for (const [bin, arg] of [
    [cfg.FFMPEG_PATH, "-version"],
    ["setpriv", "--version"],
    ["prlimit", "--version"],
  ] as const) {
    try {
      execFileSync(bin, [arg], { stdio: "ignore", timeout: 5000 });
    } catch {
      log.fatal(
        { code: bin === cfg.FFMPEG_PATH ? "FFMPEG_MISSING" : "UTIL_LINUX_MISSING", binary: bin },
        `${bin} is not runnable; install it (see docs/operations.md)`,
      );
      throw new StartupError(`${bin} is not runnable; install it (see docs/operations.md)`);
    }
  }

  // A lost claim or finish only means a voice is transcribed again (the cache makes that cheap).
  const pool = createPool(cfg.DATABASE_URL, Math.min(cfg.DATABASE_POOL_SIZE, 4), { synchronousCommit: false });
  const queues = createQueues(cfg.REDIS_URL, cfg.QUEUE_PREFIX);
  const ops = createServiceOps("worker-asr", cfg, log);
  const telegram = createTelegramClient({ token: cfg.BOT_TOKEN, apiRoot: cfg.TELEGRAM_API_ROOT, timeoutMs: cfg.TELEGRAM_TIMEOUT_MS });
  telegram.api.config.use(ops.metrics.telegramTransformer());
  const transcriber = createTranscriber(cfg);
  // After three failures in a row the service is left alone for a pause (never longer than the
  // longest backoff a voice would wait anyway), then one trial call decides.
  const guard = createAsrGuard({
    slots: cfg.ASR_TRANSCRIBE_CONCURRENCY,
    threshold: 3,
    openMs: Math.min(10_000, cfg.ASR_BACKOFF_MAX_SEC * 1000),
    busyRetryMs: 1000,
  });
  const backoff = { baseMs: Math.max(cfg.JOB_BACKOFF_BASE_MS, 500), maxMs: cfg.ASR_BACKOFF_MAX_SEC * 1000 };
  const maxBytes = Math.floor(cfg.ASR_MAX_FILE_MB * 1024 * 1024);

  const work = startChatWork({
    name: "asr",
    redisUrl: cfg.REDIS_URL,
    prefix: cfg.QUEUE_PREFIX,
    pool,
    queues,
    log,
    workerId: cfg.workerId,
    concurrency: cfg.ASR_CONCURRENCY,
    leaseSec: cfg.LEASE_SEC,
    backoff,
    sweep: { intervalMs: cfg.SWEEP_INTERVAL_MS, staleMs: cfg.SWEEP_STALE_MS },
    drain: createAsrDrainer({
      pool,
      queues,
      log,
      openFile: (f, signal) =>
        openTelegramFile(telegram, { apiRoot: cfg.TELEGRAM_API_ROOT, token: cfg.BOT_TOKEN, fileId: f.fileId, maxBytes, signal }),
      transcriber,
      guard,
      limits: {
        maxBytes,
        maxSeconds: cfg.ASR_MAX_SECONDS,
        convertTimeoutMs: cfg.ASR_CONVERT_TIMEOUT_SEC * 1000,
        cpuSec: cfg.ASR_FFMPEG_CPU_SEC,
        ffmpegPath: cfg.FFMPEG_PATH,
      },
      confidenceThreshold: cfg.ASR_CONFIDENCE_THRESHOLD,
      leaseSec: cfg.LEASE_SEC,
      retryWindowMs: cfg.ASR_RETRY_WINDOW_SEC * 1000,
      backoff,
      observe: ops.metrics.asr,
    }),
    observe: ops.metrics.chatWork("asr"),
  });
  ops.metrics.watchWorker("asr", work.worker);
  await ops.serve({ pool, redis: queues.connection, checks: { worker: workerCheck(() => work.worker) } });
  log.info({ provider: transcriber.name, max_seconds: cfg.ASR_MAX_SECONDS, max_file_mb: cfg.ASR_MAX_FILE_MB }, "speech recognition ready");

  return {
    stop: async () => {
      log.info("stopping: voices in hand go back to the queue");
      await ops.stop();
      await work.stop();
      await closeQueues(queues);
      await pool.end();
      log.flush();
    },
  };
}
