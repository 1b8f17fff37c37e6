// Composition root of the intent worker: claims inbox rows per chat, answers, writes the outbox.
import { Worker } from "bullmq";
import { loadConfigOrExit } from "@ownerbot/shared/config/index";
import { createLogger } from "@ownerbot/shared/logger/index";
import { createDb, createPool } from "@ownerbot/shared/db/pool";
import { insertOutboxRow } from "@ownerbot/shared/db/outbox.queries";
import { readRegistry } from "@ownerbot/shared/domain/tools/index";
import { warmUpRouter } from "@ownerbot/shared/domain/intent/warmup";
import { findStaleChats } from "@ownerbot/shared/db/inbox.queries";
import { CHANNELS, chatScheduler, listen } from "@ownerbot/shared/db/notify";
import { loadCallbackToken } from "@ownerbot/shared/db/callback-tokens.queries";
import { JOBS } from "@ownerbot/shared/queue/jobs";
import { closeQueues, createQueues, createRedis, enqueue } from "@ownerbot/shared/queue/connection";
import { startSweeper } from "@ownerbot/shared/queue/sweeper";
import { createDrainer } from "./drain.ts";
import { readStatus, type RuntimeStatus } from "./status.ts";
import { createDomain } from "./domain.ts";

const cfg = loadConfigOrExit();
const log = createLogger({ name: "worker-intent", level: cfg.LOG_LEVEL, secrets: cfg.secrets });
// Every write of this worker may be lost in a Postgres crash without harm: a lost claim or finish
// means the update is handled again, and the sender's synchronous claim makes a finish durable
// before its reply can leave. So commits here do not wait for the disk.
const pool = createPool(cfg.DATABASE_URL, cfg.DATABASE_POOL_SIZE, { synchronousCommit: false });
const redis = createRedis(cfg.REDIS_URL);
const queues = createQueues(redis, cfg.QUEUE_PREFIX);
const domain = createDomain({ cfg, redis, db: createDb(pool), registry: readRegistry });
warmUpRouter({ shop: { shopId: cfg.SHOP_ID, currency: cfg.SHOP_CURRENCY, timeZone: cfg.OWNER_TZ, locale: cfg.SHOP_LOCALE }, now: new Date() });

const drain = createDrainer({
  pool,
  redis,
  queues,
  log,
  gate: {
    ownerIds: cfg.OWNER_IDS,
    auditEnabled: cfg.ACCESS_DENY_AUDIT_ENABLED,
    auditTtlSec: cfg.ACCESS_DENY_AUDIT_TTL_SEC,
    notifyOnce: cfg.ACCESS_DENY_NOTIFY_ONCE,
    keyPrefix: cfg.QUEUE_PREFIX,
  },
  handleDeps: () => {
    // One status read per batch at most, and only when something asks for it.
    let status: Promise<RuntimeStatus> | undefined;
    return {
      status: () => (status ??= readStatus(pool, redis, queues, cfg)),
      loadToken: (token) => loadCallbackToken(pool, token),
      typing: async (chatId, cause) => {
        const id = await insertOutboxRow(pool, { cause, seq: 0, chatId, method: "sendChatAction", payload: { chat_id: chatId, action: "typing" } });
        if (id !== null) await enqueue(queues, "send", [{ chatId, outboxId: id }]);
      },
      domain,
    };
  },
  workerId: cfg.workerId,
  leaseSec: cfg.LEASE_SEC,
  maxAttempts: cfg.INTENT_MAX_ATTEMPTS,
  timeoutMs: cfg.INTENT_TIMEOUT_MS,
  batchSize: 50,
});

const worker = new Worker(
  JOBS.intent.queue,
  async (job) => {
    const p = JOBS.intent.payload.parse(job.data);
    await drain(p.chatId, job.id ?? `upd-${p.inboxId}`);
  },
  { connection: createRedis(cfg.REDIS_URL), prefix: cfg.QUEUE_PREFIX, concurrency: cfg.INTENT_CONCURRENCY, autorun: true },
);
worker.on("failed", (job, err) => log.warn({ err, job_id: job?.id, attempts: job?.attemptsMade }, "intent job failed"));
worker.on("error", (err) => log.error({ err }, "intent worker error"));

// Fast path: ingress notifies at commit; drain the chat right away. The BullMQ job that follows
// finds the chat done (or busy) and ends; it and the sweeper remain the durable path.
let fastRuns = 0;
const fast = chatScheduler(cfg.INTENT_CONCURRENCY, async (chatId) => {
  await drain(chatId, `fast-${++fastRuns}`).catch((err: unknown) =>
    log.warn({ err, chat_id: chatId }, "fast drain failed; the job or the sweeper retries"),
  );
});
const listener = listen({ url: cfg.DATABASE_URL, channel: CHANNELS.inbox, log, onChats: (ids) => fast.add(ids) });

const sweeper = startSweeper({
  redis,
  keyPrefix: cfg.QUEUE_PREFIX,
  intervalMs: cfg.SWEEP_INTERVAL_MS,
  log,
  tasks: [
    {
      name: "inbox",
      run: async () => {
        const stale = await findStaleChats(pool, cfg.SWEEP_STALE_MS, 500);
        await enqueue(queues, "intent", stale.map((s) => ({ chatId: s.chatId, inboxId: s.firstId, retry: s.attempts })));
        return stale.length;
      },
    },
  ],
});

log.info({ concurrency: cfg.INTENT_CONCURRENCY, worker_id: cfg.workerId }, "intent worker started");

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, "stopping: finishing current jobs");
  await listener.close();
  await sweeper.stop();
  while (!fast.idle()) await new Promise((r) => setTimeout(r, 20));
  // close() waits for running jobs; their rows are finished or their leases expire and are re-claimed.
  await worker.close();
  await closeQueues(queues);
  redis.disconnect();
  await pool.end();
  log.flush();
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
