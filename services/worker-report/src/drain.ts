import type pg from "pg";
import type { Logger } from "@ownerbot/core/logger";
import type { Artifact } from "@ownerbot/domain/contract";
import {
  addRowJobsOrLeave,
  backoffMs,
  type BackoffPolicy,
  claimLoop,
  type DrainRun,
  type Queues,
  type ReportRequest,
} from "@ownerbot/core/queue";
import { chatClaimable, type ClaimedReport, claimReportJob, finishReportJob, releaseRows, REPORTS } from "@ownerbot/core/db";

export type ReportDrainDeps = {
  pool: pg.Pool;
  queues: Queues;
  log: Logger;
  render: (req: ReportRequest) => Promise<Artifact>;
  leaseSec: number;
  maxAttempts: number;
  timeoutMs: number;
  /** Renders at once in this process, whatever the number of chats being drained. */
  concurrency: number;
  backoff: BackoffPolicy;
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
 * Draws a chat's reports: claim the chat's next open job with a lease, render it, and finish it
 * with its photo/document in one statement. A failed render backs off on its row (its BullMQ job
 * waits as long); the last attempt ends the job dead with a short apology, so the owner is never
 * left waiting.
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

  async function processJob(job: ClaimedReport, run: DrainRun): Promise<boolean> {
    const log = d.log.child({ job_id: `rep-${job.id}`, chat_id: job.chatId });
    const finish = async (f: Parameters<typeof finishReportJob>[3]): Promise<boolean> => {
      const fin = await finishReportJob(d.pool, job.id, run.claimer, f);
      if (!fin.fenced) {
        log.warn("lease lost before finishing; another worker owns this report now");
        return false;
      }
      run.record(job.id, f.status === "done" ? { kind: "done" } : { kind: "dead", error: f.error });
      if (fin.outboxId !== null) await addRowJobsOrLeave(d.queues, "send", [{ chatId: job.chatId, id: fin.outboxId }], d.log);
      return true;
    };
    const dead = (error: string) => finish({ status: "dead", payload: { chat_id: job.chatId, text: failedText(job.request) }, error });
    if (job.attempts > d.maxAttempts) return dead(`gave up after ${job.attempts - 1} attempts`);

    const release = await slot();
    let artifact: Artifact;
    const started = performance.now();
    try {
      artifact = await withTimeout(d.render(job.request), d.timeoutMs);
    } catch (err) {
      const error = errorText(err);
      if (job.attempts >= d.maxAttempts) {
        log.error({ err, attempts: job.attempts }, "report failed for the last time; telling the owner");
        return dead(error);
      }
      const untilMs = Date.now() + backoffMs(d.backoff, job.attempts);
      log.warn({ err, attempts: job.attempts }, "report failed; it backs off");
      await releaseRows(d.pool, REPORTS, [job.id], run.claimer, { error, notBeforeMs: untilMs });
      run.record(job.id, { kind: "retry", error, untilMs });
      return false;
    } finally {
      release();
    }
    const ok = await finish({ status: "done", ...artifactPayload(job.chatId, artifact) });
    if (ok)
      log.info(
        { ms: Math.round(performance.now() - started), bytes: artifact.content.length, format: artifact.kind },
        "report sent to outbox",
      );
    return ok;
  }

  /** Draws the chat's open reports one by one, oldest first, while the chat has claimable ones. */
  return (chatId: number, run: DrainRun): Promise<void> =>
    claimLoop(run, {
      claimable: () => chatClaimable(d.pool, REPORTS, chatId),
      claim: async () => {
        const job = await claimReportJob(d.pool, chatId, run.claimer, d.leaseSec);
        return job ? [job] : [];
      },
      handle: async ([job]) => (job ? processJob(job, run) : false),
    });
}
