import type pg from "pg";
import type { Config } from "@ownerbot/core/config";
import type { Logger } from "@ownerbot/core/logger";
import { ACTION_TOOLS } from "@ownerbot/domain/actions";
import { readTools } from "@ownerbot/domain/tools";
import { plannerFromConfig } from "@ownerbot/domain/llm";
import { type Queues, startChatWork } from "@ownerbot/core/queue";
import type { ServiceOps } from "@ownerbot/core/ops";
import { createLlmDrainer } from "./llm-drain.ts";
import { createPlannedHandler, type PlannedDeps } from "./planned.ts";
import type { PlannedHandler } from "./handle.ts";

/**
 * The LLM planner inside worker-intent's process: its own queue ("llm") and its own drains, so a
 * slow or dead model holds only the texts that wait for it, never the rule-routed messages of
 * other chats (their drains run on the intent queue). Null when LLM_PROVIDER=OFF.
 */
export function startLlmWork(o: {
  cfg: Config;
  pool: pg.Pool;
  queues: Queues;
  log: Logger;
  ops: ServiceOps;
  answer: PlannedDeps["answer"];
}): { planned: PlannedHandler; stop: () => Promise<void> } | null {
  const { cfg } = o;
  const planner = plannerFromConfig(cfg, { read: readTools, actions: ACTION_TOOLS });
  if (!planner) return null;
  const backoff = { baseMs: Math.max(cfg.JOB_BACKOFF_BASE_MS, 200), maxMs: Math.min(cfg.JOB_BACKOFF_MAX_MS, 5000) };
  const work = startChatWork({
    name: "llm",
    redisUrl: cfg.REDIS_URL,
    prefix: cfg.QUEUE_PREFIX,
    pool: o.pool,
    queues: o.queues,
    log: o.log,
    workerId: cfg.workerId,
    concurrency: cfg.LLM_CONCURRENCY,
    leaseSec: cfg.LEASE_SEC,
    backoff,
    sweep: { intervalMs: cfg.SWEEP_INTERVAL_MS, staleMs: cfg.SWEEP_STALE_MS },
    drain: createLlmDrainer({
      pool: o.pool,
      queues: o.queues,
      log: o.log,
      planner,
      leaseSec: cfg.LEASE_SEC,
      maxAttempts: cfg.LLM_MAX_ATTEMPTS,
      backoff,
      observe: o.ops.metrics.llm,
    }),
    observe: o.ops.metrics.chatWork("llm"),
  });
  o.ops.metrics.watchWorker("llm", work.worker);
  o.log.info({ provider: planner.provider, tools: planner.catalogue.tools.length }, "LLM planner ready");
  return {
    planned: createPlannedHandler({
      pool: o.pool,
      orderWaitMs: cfg.LLM_ORDER_WAIT_SEC * 1000,
      maxInputChars: cfg.LLM_MAX_INPUT_CHARS,
      answer: o.answer,
    }),
    stop: () => work.stop(),
  };
}
