// Composition root of the ingress: the single getUpdates consumer for one bot token.
import type { Config } from "@ownerbot/core/config";
import { createLogger } from "@ownerbot/core/logger";
import { createPool } from "@ownerbot/core/db";
import { createTelegramClient } from "@ownerbot/core/telegram";
import { closeQueues, createQueues } from "@ownerbot/core/queue";
import { BOT_COMMANDS } from "@ownerbot/domain/intent";
import { createServiceOps, pollCheck, type Running } from "@ownerbot/core/ops";
import { createPoller } from "./poller.ts";
import { createLeadership } from "./leader.ts";

/** Returns at once: a standby ingress waits for the bot's lock in `done`, and can be stopped while it waits. */
export async function start(cfg: Config): Promise<Running> {
  const log = createLogger({ name: "ingress", level: cfg.LOG_LEVEL, secrets: cfg.secrets });
  const pool = createPool(cfg.DATABASE_URL, 2);
  const fastPool = createPool(cfg.DATABASE_URL, 2, { synchronousCommit: false });
  const queues = createQueues(cfg.REDIS_URL, cfg.QUEUE_PREFIX);
  const telegram = createTelegramClient({ token: cfg.BOT_TOKEN, apiRoot: cfg.TELEGRAM_API_ROOT, timeoutMs: cfg.TELEGRAM_TIMEOUT_MS });
  const ops = createServiceOps("ingress", cfg, log);
  const polls = pollCheck({ pollTimeoutSec: cfg.TELEGRAM_POLL_TIMEOUT_SEC, timeoutMs: cfg.TELEGRAM_TIMEOUT_MS });
  telegram.api.config.use(ops.metrics.telegramTransformer(polls.polled));

  // Telegram allows one getUpdates consumer per token; a second ingress waits for the lock.
  const leader = createLeadership({ url: cfg.DATABASE_URL, botId: telegram.botId, log });
  // A standby (another ingress holds the bot) is healthy and ready: it takes over when needed.
  await ops.serve({ pool, redis: queues.connection, checks: { poll: () => (leader.holds ? polls.check() : undefined) } });

  const poller = createPoller({
    pool,
    fastPool,
    telegram,
    queues,
    log,
    pollTimeoutSec: cfg.TELEGRAM_POLL_TIMEOUT_SEC,
    limits: { maxNew: cfg.INBOX_MAX_NEW, maxTotal: cfg.INBOX_MAX_TOTAL },
    leader,
    notice: { windowSec: cfg.OVERLOAD_NOTICE_WINDOW_SEC, text: "Очередь перегружена, попробуй через минуту." },
  });
  ops.metrics.counterFrom(
    "ownerbot_updates_ingested_total",
    "Updates stored in the inbox (rejected ones included)",
    () => poller.stats.updates,
  );
  ops.metrics.counterFrom("ownerbot_ingress_batches_total", "getUpdates batches stored with their offset", () => poller.stats.batches);

  const starting = new AbortController();
  const run = async (): Promise<void> => {
    try {
      await leader.ensure(starting.signal);
      if (starting.signal.aborted) return;
      // Updates must come by polling: a leftover webhook would make getUpdates fail. Pending updates stay.
      await telegram
        .call("deleteWebhook", { drop_pending_updates: false })
        .catch((err: unknown) => log.warn({ err }, "deleteWebhook failed"));
      // The command menu in Telegram's UI; failing to set it must not stop ingestion.
      await telegram.call("setMyCommands", { commands: BOT_COMMANDS }).catch((err: unknown) => log.warn({ err }, "setMyCommands failed"));
      if (starting.signal.aborted) return;
      await poller.run();
    } catch (err) {
      log.fatal({ err }, "ingress stopped on an error");
      throw err;
    } finally {
      await leader.release();
      await ops.stop();
      await closeQueues(queues);
      await pool.end();
      await fastPool.end();
      log.info(poller.stats, "ingress stopped");
      log.flush();
    }
  };
  const done = run();

  return {
    done,
    stop: async () => {
      log.info("stopping after the current batch");
      starting.abort();
      poller.stop();
      await done.catch(() => undefined);
    },
  };
}
