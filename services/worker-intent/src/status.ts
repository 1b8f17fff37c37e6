import type pg from "pg";
import type { Redis } from "ioredis";
import type { Config } from "@ownerbot/core/config";

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
  /**
   * Work waiting in Postgres, where it lives: updates not yet taken (the one being answered is not
   * counted), replies not yet sent, reports not yet drawn, voices not yet transcribed; -1 when the database did not answer in time.
   */
  queues: { intent: number; send: number; report: number; asr: number };
};

const withDeadline = <T>(p: Promise<T>, ms: number, fallback: T): Promise<T> =>
  Promise.race([p.catch(() => fallback), new Promise<T>((r) => setTimeout(() => r(fallback), ms).unref())]);

/** What /start shows. Each probe has a short deadline so a sick dependency cannot slow the answer. */
export async function readStatus(pool: pg.Pool, redis: Redis, cfg: Config): Promise<RuntimeStatus> {
  const [db, ping, override, depths] = await Promise.all([
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
    // The open rows are the truth (a job may wait while its row's chat is drained by another job);
    // each count reads a partial index of open rows.
    withDeadline(
      pool
        .query<{ intent: number; send: number; report: number; asr: number }>({
          name: "ob-status-depths",
          text: `SELECT (SELECT count(*)::int FROM inbox WHERE status = 'new') AS intent,
                        (SELECT count(*)::int FROM outbox WHERE status IN ('pending', 'claimed')) AS send,
                        (SELECT count(*)::int FROM report_jobs WHERE status IN ('pending', 'claimed')) AS report,
                        (SELECT count(*)::int FROM asr_jobs WHERE status IN ('pending', 'claimed')) AS asr`,
        })
        .then((r) => r.rows[0] ?? null),
      500,
      null,
    ),
  ]);
  const effective = override && ["DEMO", "SIS_HTTP", "AUTO"].includes(override) ? override : cfg.UPSTREAM_MODE;
  return {
    db,
    redis: ping,
    configuredMode: cfg.UPSTREAM_MODE,
    effectiveMode: effective,
    override: effective === override ? override : null,
    asr: cfg.ASR_PROVIDER,
    llm: cfg.LLM_PROVIDER,
    queues: depths ?? { intent: -1, send: -1, report: -1, asr: -1 },
  };
}
