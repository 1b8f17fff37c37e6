import type pg from "pg";
import type { Redis } from "ioredis";
import type { Config } from "@ownerbot/shared/config/index";
import type { Queues } from "@ownerbot/shared/queue/connection";

/** The runtime mode override lives under the deployment's prefix, so two bots never share it. */
export const overrideKey = (cfg: Config): string => `${cfg.QUEUE_PREFIX}:${cfg.UPSTREAM_REDIS_KEY}`;

export type RuntimeStatus = {
  db: boolean;
  redis: boolean;
  configuredMode: string;
  effectiveMode: string;
  override: string | null;
  asr: string;
  llm: string;
  queues: { intent: number; send: number };
};

const withDeadline = <T>(p: Promise<T>, ms: number, fallback: T): Promise<T> =>
  Promise.race([p.catch(() => fallback), new Promise<T>((r) => setTimeout(() => r(fallback), ms).unref())]);

/** What /start shows. Each probe has a short deadline so a sick dependency cannot slow the answer. */
export async function readStatus(pool: pg.Pool, redis: Redis, queues: Queues, cfg: Config): Promise<RuntimeStatus> {
  const [db, ping, override, intent, send] = await Promise.all([
    withDeadline(
      pool.query("SELECT 1").then(() => true),
      1000,
      false,
    ),
    withDeadline(
      redis.ping().then((r) => r === "PONG"),
      500,
      false,
    ),
    cfg.UPSTREAM_RUNTIME_TOGGLE_ENABLED ? withDeadline(redis.get(overrideKey(cfg)), 500, null) : Promise.resolve(null),
    withDeadline(queues.intent.getJobCounts("waiting", "delayed"), 500, {}),
    withDeadline(queues.send.getJobCounts("waiting", "delayed"), 500, {}),
  ]);
  const sum = (c: Record<string, number>): number => Object.values(c).reduce((a, b) => a + b, 0);
  const effective = override && ["DEMO", "SIS_HTTP", "AUTO"].includes(override) ? override : cfg.UPSTREAM_MODE;
  return {
    db,
    redis: ping,
    configuredMode: cfg.UPSTREAM_MODE,
    effectiveMode: effective,
    override: effective === override ? override : null,
    asr: cfg.ASR_PROVIDER,
    llm: cfg.LLM_PROVIDER,
    queues: { intent: sum(intent), send: sum(send) },
  };
}
