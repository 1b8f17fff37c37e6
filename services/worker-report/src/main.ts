// Composition root of the report worker: claims report_jobs rows, draws charts and PDFs in one
// long-lived headless Chromium, and writes the photo/document replies to the outbox.
import { loadConfigOrExit } from "@ownerbot/shared/config/index";
import { createLogger } from "@ownerbot/shared/logger/index";
import { createPool } from "@ownerbot/shared/db/pool";
import { CHANNELS } from "@ownerbot/shared/db/notify";
import { findStaleReports } from "@ownerbot/shared/db/report-jobs.queries";
import { createQueues, createRedis, enqueue } from "@ownerbot/shared/queue/connection";
import { runChatWorker } from "@ownerbot/shared/queue/chat-worker";
import { createReportBrowser } from "@ownerbot/shared/reports/browser";
import { renderReport } from "@ownerbot/shared/reports/render";
import { createReportDrainer } from "./drain.ts";

const cfg = loadConfigOrExit();
const log = createLogger({ name: "worker-report", level: cfg.LOG_LEVEL, secrets: cfg.secrets });
// A lost claim or finish only means the report is drawn again; the sender's synchronous claim makes
// a finish durable before its photo leaves.
const pool = createPool(cfg.DATABASE_URL, Math.min(cfg.DATABASE_POOL_SIZE, 4), { synchronousCommit: false });
const redis = createRedis(cfg.REDIS_URL);
const queues = createQueues(redis, cfg.QUEUE_PREFIX);
const browser = createReportBrowser({ executablePath: cfg.CHROMIUM_PATH, timeoutMs: cfg.REPORT_TIMEOUT_MS, log });

const drain = createReportDrainer({
  pool,
  log,
  render: (req) => renderReport(browser, req),
  workerId: cfg.workerId,
  // The lease outlives a render that runs into its deadline, so a slow render is not taken twice.
  leaseSec: Math.ceil(cfg.REPORT_TIMEOUT_MS / 1000) + cfg.LEASE_SEC,
  maxAttempts: cfg.REPORT_MAX_ATTEMPTS,
  timeoutMs: cfg.REPORT_TIMEOUT_MS,
  concurrency: cfg.REPORT_CONCURRENCY,
});

runChatWorker({
  name: "report",
  cfg,
  log,
  pool,
  redis,
  queues,
  channel: CHANNELS.report,
  concurrency: cfg.REPORT_CONCURRENCY,
  drain: async (chatId, runId, notified) => void (await drain(chatId, runId, notified)),
  close: () => browser.close(),
  sweep: async () => {
    const stale = await findStaleReports(pool, cfg.SWEEP_STALE_MS, 500);
    await enqueue(
      queues,
      "report",
      stale.map((s) => ({ chatId: s.chatId, reportId: s.firstId, retry: s.attempts })),
    );
    return stale.length;
  },
});
