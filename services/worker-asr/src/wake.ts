import type { Logger } from "@ownerbot/shared/logger/index";
import { jobId } from "@ownerbot/shared/queue/jobs";
import { addRowJobs, type Queues } from "@ownerbot/shared/queue/connection";

/**
 * Hands a voice back to the intent worker now. Its job `upd-<id>` sleeps (delayed) while the voice
 * waits for its transcript, so it is promoted; a job that Redis lost is added again. If this
 * fails the job still wakes when its delay ends (at most ASR_ORDER_WAIT_SEC, or an hour when parked).
 */
export async function wakeIntent(queues: Queues, row: { id: number; chatId: number }, log: Logger): Promise<void> {
  try {
    const job = await queues.intent.getJob(jobId("intent", row.id));
    if (!job) return await addRowJobs(queues, "intent", [row]);
    const state = await job.getState();
    if (state === "delayed") await job.promote();
    else if (state === "completed" || state === "failed") {
      await job.remove();
      await addRowJobs(queues, "intent", [row]);
    }
  } catch (err) {
    log.warn({ err, inbox_id: row.id }, "could not wake the voice's intent job; it wakes when its delay ends");
  }
}
