// Composition root of the intent worker: claims inbox rows per chat, answers, writes the outbox.
import type { Config } from "@ownerbot/core/config";
import { createServiceOps, type Running, StartupError, workerCheck } from "@ownerbot/core/ops";
import { createLogger } from "@ownerbot/core/logger";
import { createDb, createPool, insertOutboxRow, loadCallbackToken } from "@ownerbot/core/db";
import { createDemoProvider, createRegistry, ownerTools, systemStatusTools } from "@ownerbot/domain/tools";
import { warmUpRouter } from "@ownerbot/domain/intent";
import { addRowJobsOrLeave, closeQueues, createQueues, createRedis, startChatWork } from "@ownerbot/core/queue";
import { createDrainer } from "./drain.ts";
import { readStatus, type RuntimeStatus } from "./status.ts";
import { createDomain } from "./domain.ts";
import { createVoiceHandler } from "./voice.ts";
import { startLlmWork } from "./llm-work.ts";
import { mergePreflight, preflightProblems, runPreflight } from "@ownerbot/domain/preflight";

export async function start(cfg: Config): Promise<Running> {
  const log = createLogger({ name: "worker-intent", level: cfg.LOG_LEVEL, secrets: cfg.secrets });
  // Every write of this worker may be lost in a Postgres crash without harm: a lost claim or finish
  // means the update is handled again, and the sender's synchronous claim makes a finish durable
  // before its reply can leave. So commits here do not wait for the disk.
  const pool = createPool(cfg.DATABASE_URL, cfg.DATABASE_POOL_SIZE, { synchronousCommit: false });
  const redis = createRedis(cfg.REDIS_URL);
  const queues = createQueues(cfg.REDIS_URL, cfg.QUEUE_PREFIX);
  const ops = createServiceOps("worker-intent", cfg, log);
  const backoff = { baseMs: cfg.JOB_BACKOFF_BASE_MS, maxMs: cfg.JOB_BACKOFF_MAX_MS };
  // Preflight (docs/sis-contract.md): the critical checks before start-up (a failure stops it when
  // PREFLIGHT_FAIL_FAST is set), the rest while the worker already answers; the summary is logged
  // and shown by /systems.
  const preDeps = { cfg, pool, redis, local: createDemoProvider(createDb(pool)) };
  let pre = await runPreflight(preDeps, "blocking");
  if (pre.critical.length > 0 && cfg.PREFLIGHT_FAIL_FAST) {
    const reason = pre.critical.map((c) => `${c.code}: ${c.message}`).join("; ");
    log.info({ ok: false, problems: preflightProblems(pre).map((p) => `${p.code}: ${p.message}`) }, "preflight");
    log.fatal({ reason }, "preflight_failed");
    redis.disconnect();
    await closeQueues(queues);
    await pool.end();
    throw new StartupError(`preflight_failed: ${reason}`);
  }
  void runPreflight(preDeps, "background").then((rest) => {
    pre = mergePreflight(pre, rest);
    log.info({ ok: pre.critical.length === 0, problems: preflightProblems(pre).map((p) => `${p.code}: ${p.message}`) }, "preflight");
  });
  const domain = createDomain({
    preflight: () => pre,
    cfg,
    redis,
    pool,
    queues,
    log,
    db: createDb(pool),
    registry: createRegistry(ownerTools),
    systemTools: new Set(systemStatusTools.map((t) => t.name)),
  });
  const voice = createVoiceHandler({
    pool,
    limits: { maxBytes: Math.floor(cfg.ASR_MAX_FILE_MB * 1024 * 1024), maxSeconds: cfg.ASR_MAX_SECONDS },
    orderWaitMs: cfg.ASR_ORDER_WAIT_SEC * 1000,
    retryWindowMs: cfg.ASR_RETRY_WINDOW_SEC * 1000,
  });
  // The planner for texts no rule understands, on its own queue in this process (null when OFF).
  const llm = startLlmWork({ cfg, pool, queues, log, ops, answer: domain.planned });
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
    queues,
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
      typing: async (chatId, cause) => {
        const id = await insertOutboxRow(pool, {
          cause,
          seq: 0,
          chatId,
          method: "sendChatAction",
          payload: { chat_id: chatId, action: "typing" },
        });
        if (id !== null) await addRowJobsOrLeave(queues, "send", [{ chatId, id }], log);
      },
      domain,
      voice,
      ...(llm ? { planned: llm.planned } : {}),
    }),
    leaseSec: cfg.LEASE_SEC,
    maxAttempts: cfg.INTENT_MAX_ATTEMPTS,
    timeoutMs: cfg.INTENT_TIMEOUT_MS,
    batchSize: 50,
    backoff,
  });

  const work = startChatWork({
    name: "intent",
    redisUrl: cfg.REDIS_URL,
    prefix: cfg.QUEUE_PREFIX,
    pool,
    queues,
    log,
    workerId: cfg.workerId,
    concurrency: cfg.INTENT_CONCURRENCY,
    leaseSec: cfg.LEASE_SEC,
    backoff,
    sweep: { intervalMs: cfg.SWEEP_INTERVAL_MS, staleMs: cfg.SWEEP_STALE_MS },
    drain,
    observe: ops.metrics.chatWork("intent"),
  });
  ops.metrics.watchWorker("intent", work.worker);
  await ops.serve({ pool, redis: queues.connection, checks: { worker: workerCheck(() => work.worker) } });

  return {
    stop: async () => {
      log.info("stopping: finishing the updates in hand");
      await ops.stop();
      await work.stop();
      await llm?.stop();
      await closeQueues(queues);
      redis.disconnect();
      await pool.end();
      log.flush();
    },
  };
}
