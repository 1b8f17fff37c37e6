import type pg from "pg";
import type { Logger } from "@ownerbot/shared/logger/index";
import type { Artifact } from "@ownerbot/shared/domain/contract";
import type { ReportRequest } from "@ownerbot/shared/reports/doc";
import {
  claimReportJobs,
  finishReportJob,
  releaseReportJob,
  reportChatHasOpen,
  type ClaimedReport,
} from "@ownerbot/shared/db/report-jobs.queries";

export type ReportDrainDeps = {
  pool: pg.Pool;
  log: Logger;
  render: (req: ReportRequest) => Promise<Artifact>;
  workerId: string;
  leaseSec: number;
  maxAttempts: number;
  timeoutMs: number;
  /** Renders at once in this process (the fast path and BullMQ jobs share it). */
  concurrency: number;
};

export function failedText(req: ReportRequest): string {
  const what = req.format === "pdf" ? "PDF-отчёт" : "график";
  return `⚠️ Не удалось построить отчёт (${what} «${req.filename}»). Цифры — в сообщении выше; попробуйте запросить его ещё раз чуть позже.`;
}

/** The outbox payload of an artifact, shaped as worker-intent's render.ts writes them (the sender uploads `file`). */
export function artifactPayload(chatId: number, a: Artifact): { method: "sendPhoto" | "sendDocument"; payload: Record<string, unknown> } {
  const photo = a.kind === "png";
  return {
    method: photo ? "sendPhoto" : "sendDocument",
    payload: {
      chat_id: chatId,
      ...(a.caption ? { caption: a.caption.slice(0, 1024) } : {}),
      file: { filename: a.filename, base64: a.content.toString("base64"), field: photo ? "photo" : "document" },
    },
  };
}

class RenderTimeout extends Error {}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let t: NodeJS.Timeout | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(t)),
    new Promise<T>((_, reject) => {
      t = setTimeout(() => reject(new RenderTimeout(`render took longer than ${ms} ms`)), ms);
    }),
  ]);
}

function errorText(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

/**
 * One report job drains its chat: claim the chat's next open job with a lease, render it, and
 * finish it with its photo/document in one statement; repeat while the chat has open jobs. A failed
 * render goes back to pending (BullMQ or the sweeper retries it); the last attempt ends the job
 * dead with a short apology, so the owner is never left waiting.
 */
export function createReportDrainer(d: ReportDrainDeps) {
  let active = 0;
  const waiting: (() => void)[] = [];
  const slot = async (): Promise<() => void> => {
    while (active >= d.concurrency) await new Promise<void>((r) => waiting.push(r));
    active++;
    return () => {
      active--;
      waiting.shift()?.();
    };
  };

  async function processJob(job: ClaimedReport, claimer: string): Promise<void> {
    const log = d.log.child({ job_id: `rep-${job.id}`, chat_id: job.chatId });
    if (job.attempts > d.maxAttempts) {
      await finishReportJob(d.pool, job.id, claimer, {
        status: "dead",
        payload: { chat_id: job.chatId, text: failedText(job.request) },
        error: `gave up after ${job.attempts - 1} attempts`,
      });
      return;
    }
    const release = await slot();
    let artifact: Artifact;
    const started = performance.now();
    try {
      artifact = await withTimeout(d.render(job.request), d.timeoutMs);
    } catch (err) {
      const error = errorText(err);
      if (job.attempts >= d.maxAttempts) {
        log.error({ err, attempts: job.attempts }, "report failed for the last time; telling the owner");
        await finishReportJob(d.pool, job.id, claimer, {
          status: "dead",
          payload: { chat_id: job.chatId, text: failedText(job.request) },
          error,
        });
        return;
      }
      await releaseReportJob(d.pool, job.id, claimer, error);
      throw err instanceof Error ? err : new Error(error);
    } finally {
      release();
    }
    const { method, payload } = artifactPayload(job.chatId, artifact);
    const fin = await finishReportJob(d.pool, job.id, claimer, { status: "done", method, payload });
    if (!fin.fenced) log.warn("lease lost before finishing; another worker owns this report now");
    else
      log.info(
        { ms: Math.round(performance.now() - started), bytes: artifact.content.length, format: artifact.kind },
        "report sent to outbox",
      );
  }

  return async function drainChat(chatId: number, runId: string, notified = false): Promise<{ handled: number }> {
    const claimer = `${d.workerId}:${runId}`;
    let handled = 0;
    let look = !notified;
    while (!look || (await reportChatHasOpen(d.pool, chatId))) {
      look = true;
      const [job] = await claimReportJobs(d.pool, { claimer, leaseSec: d.leaseSec, limit: 1, chatId });
      if (!job) return { handled };
      await processJob(job, claimer);
      handled++;
    }
    return { handled };
  };
}
