import type { Logger } from "../logger/index.ts";
import { jobId } from "./jobs.ts";
import { addRowJobs, type Queues } from "./connection.ts";

/** How long a wake waits for an intent job that is still running to go to sleep. */
const ACTIVE_WAIT_MS = 5000;

/**
 * Hands a voice back to the intent worker now. Its job `upd-<id>` sleeps (delayed) while the voice
 * waits for its transcript, so it is promoted; a job that Redis lost is added again. A job still
 * active is either draining the chat (it will see the voice) or a moment from going to sleep after
 * holding or parking it — a transcript from the cache can be that fast — so the wake waits for it
 * to sleep. If this fails the job still wakes when its delay ends (at most ASR_ORDER_WAIT_SEC, or
 * an hour when parked).
 */
export async function wakeIntent(queues: Queues, row: { id: number; chatId: number }, log: Logger): Promise<void> {
  const deadline = Date.now() + ACTIVE_WAIT_MS;
  try {
    for (;;) {
      const job = await queues.intent.getJob(jobId("intent", row.id));
      if (!job) return await addRowJobs(queues, "intent", [row]);
      const state = await job.getState();
      if (state === "delayed") return await job.promote();
      if (state === "completed" || state === "failed") {
        await job.remove();
        return await addRowJobs(queues, "intent", [row]);
      }
      if (state !== "active" || Date.now() > deadline) return;
      await new Promise((r) => setTimeout(r, 25));
    }
  } catch (err) {
    log.warn({ err, inbox_id: row.id }, "could not wake the voice's intent job; it wakes when its delay ends");
  }
}
