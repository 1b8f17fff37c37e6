// Composition root of the intent worker: claims inbox rows per chat, answers, writes the outbox.
import { loadConfigOrExit } from "@ownerbot/shared/config/index";
import { createLogger } from "@ownerbot/shared/logger/index";
import { createDb, createPool } from "@ownerbot/shared/db/pool";
import { insertOutboxRow } from "@ownerbot/shared/db/outbox.queries";
import { createRegistry, ownerTools, systemStatusTools } from "@ownerbot/shared/domain/tools/index";
import { warmUpRouter } from "@ownerbot/shared/domain/intent/warmup";
import { findStaleChats } from "@ownerbot/shared/db/inbox.queries";
import { CHANNELS } from "@ownerbot/shared/db/notify";
import { loadCallbackToken } from "@ownerbot/shared/db/callback-tokens.queries";
import { createQueues, createRedis, enqueue } from "@ownerbot/shared/queue/connection";
import { runChatWorker } from "@ownerbot/shared/queue/chat-worker";
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
const domain = createDomain({
  cfg,
  redis,
  db: createDb(pool),
  registry: createRegistry(ownerTools),
  systemTools: new Set(systemStatusTools.map((t) => t.name)),
});
warmUpRouter({
  shop: { shopId: cfg.SHOP_ID, currency: cfg.SHOP_CURRENCY, timeZone: cfg.OWNER_TZ, locale: cfg.SHOP_LOCALE },
  now: new Date(),
});

// /start shows this; a second-old reading is fresh enough and spares five probes per message.
let statusCache: { at: number; value: Promise<RuntimeStatus> } | undefined;
const cachedStatus = (): Promise<RuntimeStatus> => {
  if (!statusCache || performance.now() - statusCache.at > 1000)
    statusCache = { at: performance.now(), value: readStatus(pool, redis, cfg) };
  return statusCache.value;
};

const drain = createDrainer({
  pool,
  redis,
  log,
  gate: {
    ownerIds: cfg.OWNER_IDS,
    auditEnabled: cfg.ACCESS_DENY_AUDIT_ENABLED,
    auditTtlSec: cfg.ACCESS_DENY_AUDIT_TTL_SEC,
    notifyOnce: cfg.ACCESS_DENY_NOTIFY_ONCE,
    keyPrefix: cfg.QUEUE_PREFIX,
  },
  handleDeps: () => ({
    status: cachedStatus,
    loadToken: (token) => loadCallbackToken(pool, token),
    // The row's NOTIFY wakes the sender at once.
    typing: async (chatId, cause) =>
      void (await insertOutboxRow(pool, {
        cause,
        seq: 0,
        chatId,
        method: "sendChatAction",
        payload: { chat_id: chatId, action: "typing" },
      })),
    domain,
  }),
  workerId: cfg.workerId,
  leaseSec: cfg.LEASE_SEC,
  maxAttempts: cfg.INTENT_MAX_ATTEMPTS,
  timeoutMs: cfg.INTENT_TIMEOUT_MS,
  batchSize: 50,
});

runChatWorker({
  name: "intent",
  cfg,
  log,
  pool,
  redis,
  queues,
  channel: CHANNELS.inbox,
  concurrency: cfg.INTENT_CONCURRENCY,
  drain: async (chatId, runId, notified) => void (await drain(chatId, runId, notified)),
  sweep: async () => {
    const stale = await findStaleChats(pool, cfg.SWEEP_STALE_MS, 500);
    await enqueue(
      queues,
      "intent",
      stale.map((s) => ({ chatId: s.chatId, inboxId: s.firstId, retry: s.attempts })),
    );
    return stale.length;
  },
});
