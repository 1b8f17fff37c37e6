import { randomBytes } from "node:crypto";
import pg from "pg";
import { Redis } from "ioredis";
import { inject } from "vitest";
import { loadConfig, type Config } from "@ownerbot/core/config";
import { createDb, createPool, type Db } from "@ownerbot/core/db";
import { withDb } from "./global-setup.ts";

export type TestEnv = {
  dbUrl: string;
  redisUrl: string;
  prefix: string;
  pool: pg.Pool;
  db: Db;
  redis: Redis;
  /** A config for this file's database and queue prefix; `over` sets env variables by name. */
  config: (over?: Record<string, string>) => Config;
  /** The env variables a child service process needs to join this test's world. */
  env: (over?: Record<string, string>) => Record<string, string>;
  /** Removes every Redis key under this file's prefix, as a Redis flush would for this file. */
  flushRedis: () => Promise<void>;
  close: () => Promise<void>;
};

/** One database cloned from the migrated template and one BullMQ prefix per test file. */
export async function createTestEnv(): Promise<TestEnv> {
  const pgAdminUrl = inject("pgAdminUrl");
  const templateDb = inject("templateDb");
  const redisUrl = inject("redisUrl");
  const id = randomBytes(5).toString("hex");
  const dbName = `ob_t_${id}`;
  const admin = new pg.Client({ connectionString: pgAdminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName} TEMPLATE ${templateDb}`);
  await admin.end();
  const dbUrl = withDb(pgAdminUrl, dbName);
  const pool = createPool(dbUrl, 5);
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null, lazyConnect: false });
  const prefix = `t${id}`;
  const env = (over: Record<string, string> = {}): Record<string, string> => ({
    DATABASE_URL: dbUrl,
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: prefix,
    LOG_LEVEL: "silent",
    BOT_TOKEN: "123456:TEST-token-for-the-fake-bot-api",
    OWNER_IDS: "1001",
    // Two test files run at once, each with up to eight service processes: Postgres' 100
    // connections must hold them all (each process has one or two pools).
    DATABASE_POOL_SIZE: "3",
    SWEEP_INTERVAL_MS: "500",
    SWEEP_STALE_MS: "500",
    TELEGRAM_GLOBAL_RATE_PER_SEC: "0",
    TELEGRAM_CHAT_RATE_PER_SEC: "0",
    ...over,
  });
  const flushRedis = async (): Promise<void> => {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== "0");
  };
  return {
    dbUrl,
    redisUrl,
    prefix,
    pool,
    db: createDb(pool),
    redis,
    config: (over = {}) => loadConfig(env(over)),
    env,
    flushRedis,
    close: async () => {
      await flushRedis();
      redis.disconnect();
      await pool.end();
      const a = new pg.Client({ connectionString: pgAdminUrl });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await a.end();
    },
  };
}
