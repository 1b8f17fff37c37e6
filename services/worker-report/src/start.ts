// Composition root of the report worker: claims report_jobs rows, draws charts (resvg in-process, or
// Chromium with REPORT_CHART_RENDERER=chromium) and PDFs in an on-demand headless Chromium, and
// writes the photo/document replies to the outbox.
import type { Config } from "@ownerbot/core/config";
import { createServiceOps, type Running, StartupError, workerCheck } from "@ownerbot/core/ops";
import { createLogger } from "@ownerbot/core/logger";
import { createPool } from "@ownerbot/core/db";
import { closeQueues, createQueues, startChatWork } from "@ownerbot/core/queue";
import { createReportBrowser, type ReportBrowser } from "@ownerbot/reports/browser";
import { renderReport } from "@ownerbot/reports/render";
import { chromiumChartPng, resvgChartPng, type ChartPng } from "@ownerbot/reports/chart-png";
import { findChartFonts } from "@ownerbot/reports/resvg";
import { createReportDrainer } from "./drain.ts";

/** The chart photo renderer REPORT_CHART_RENDERER names; resvg without its fonts stops start-up. */
function chartRenderer(cfg: Config, browser: ReportBrowser): ChartPng {
  if (cfg.REPORT_CHART_RENDERER === "chromium") return chromiumChartPng(browser);
  const fonts = findChartFonts(cfg.REPORT_FONT_DIR);
  if (fonts.missing.length > 0)
    throw new StartupError(
      `REPORT_FONT_DIR=${cfg.REPORT_FONT_DIR} lacks ${fonts.missing.join(", ")}, which REPORT_CHART_RENDERER=resvg draws charts with: ` +
        "install fonts-dejavu-core, point REPORT_FONT_DIR at the DejaVu fonts, or set REPORT_CHART_RENDERER=chromium",
    );
  return resvgChartPng(fonts.files);
}

export async function start(cfg: Config): Promise<Running> {
  const log = createLogger({ name: "worker-report", level: cfg.LOG_LEVEL, secrets: cfg.secrets });
  // Launched on the first PDF (or chart, with REPORT_CHART_RENDERER=chromium), not here.
  const browser = createReportBrowser({
    executablePath: cfg.CHROMIUM_PATH,
    timeoutMs: cfg.REPORT_TIMEOUT_MS,
    idleMs: cfg.REPORT_BROWSER_IDLE_SEC * 1000,
    log,
  });
  // Before any connection opens, so that missing fonts stop start-up with nothing to close.
  const chartPng = chartRenderer(cfg, browser);
  log.info({ chart_renderer: cfg.REPORT_CHART_RENDERER }, "chart renderer chosen");
  // A lost claim or finish only means the report is drawn again; the sender's synchronous claim makes
  // a finish durable before its photo leaves.
  const pool = createPool(cfg.DATABASE_URL, Math.min(cfg.DATABASE_POOL_SIZE, 4), { synchronousCommit: false });
  const queues = createQueues(cfg.REDIS_URL, cfg.QUEUE_PREFIX);
  const ops = createServiceOps("worker-report", cfg, log);
  const backoff = { baseMs: Math.max(cfg.JOB_BACKOFF_BASE_MS, 2000), maxMs: cfg.JOB_BACKOFF_MAX_MS };

  const work = startChatWork({
    name: "report",
    redisUrl: cfg.REDIS_URL,
    prefix: cfg.QUEUE_PREFIX,
    pool,
    queues,
    log,
    workerId: cfg.workerId,
    concurrency: cfg.REPORT_CONCURRENCY * 4,
    leaseSec: cfg.LEASE_SEC,
    backoff,
    sweep: { intervalMs: cfg.SWEEP_INTERVAL_MS, staleMs: cfg.SWEEP_STALE_MS },
    drain: createReportDrainer({
      pool,
      queues,
      log,
      render: (req) => ops.metrics.timeRender(req.format, () => renderReport(browser, req, chartPng)),
      leaseSec: cfg.LEASE_SEC,
      maxAttempts: cfg.REPORT_MAX_ATTEMPTS,
      timeoutMs: cfg.REPORT_TIMEOUT_MS,
      concurrency: cfg.REPORT_CONCURRENCY,
      backoff,
    }),
    observe: ops.metrics.chatWork("report"),
  });
  ops.metrics.watchWorker("report", work.worker);
  await ops.serve({ pool, redis: queues.connection, checks: { worker: workerCheck(() => work.worker) } });

  return {
    stop: async () => {
      log.info("stopping: finishing the reports in hand");
      await ops.stop();
      await work.stop();
      await closeQueues(queues);
      await browser.close();
      await pool.end();
      log.flush();
    },
  };
}
