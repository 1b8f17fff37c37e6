// Shared plumbing for the benchmarks: a scratch database, the real services as processes, and
// percentile maths. Benchmarks talk only to 127.0.0.1.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { createPool, migrate } from "@ownerbot/core/db";
import { startService, type ProcessName, type ServiceHandle } from "@ownerbot/testkit/services";
import type { FakeTelegram } from "@ownerbot/testkit/fake-telegram";

export const PG_ADMIN = process.env.BENCH_PG_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
export const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379/0";

export type Scratch = { url: string; pool: pg.Pool; prefix: string; drop: () => Promise<void> };

export async function scratchDb(tag: string): Promise<Scratch> {
  const name = `bench_${tag}_${randomBytes(3).toString("hex")}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(PG_ADMIN);
  u.pathname = `/${name}`;
  const url = u.toString();
  const pool = createPool(url, 4);
  await migrate(pool);
  return {
    url,
    pool,
    prefix: `b${randomBytes(3).toString("hex")}`,
    drop: async () => {
      await pool.end();
      const a = new pg.Client({ connectionString: PG_ADMIN });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

export function serviceEnv(s: Pick<Scratch, "url" | "prefix">, apiRoot: string, over: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: s.url,
    REDIS_URL,
    QUEUE_PREFIX: s.prefix,
    BOT_TOKEN: "123456:BENCH-fake-token",
    OWNER_IDS: Array.from({ length: 100 }, (_, i) => 1001 + i).join(","),
    TELEGRAM_API_ROOT: apiRoot,
    TELEGRAM_GLOBAL_RATE_PER_SEC: "0",
    TELEGRAM_CHAT_RATE_PER_SEC: "0",
    LOG_LEVEL: "warn",
    ...over,
  };
}

/** The pipeline's processes: one per service, or PROCESSES=all for the all-in-one process (services/all). */
export const PIPELINE_PROCESSES: ProcessName[] = process.env.PROCESSES === "all" ? ["all"] : ["ingress", "worker-intent", "sender"];
export const PROCESSES_LABEL = process.env.PROCESSES === "all" ? "all-in-one process" : "one process per service";

export function startServices(names: ProcessName[], env: Record<string, string>): { stop: () => Promise<void>; handles: ServiceHandle[] } {
  const handles = names.map((n) => startService(n, env));
  return { handles, stop: async () => void (await Promise.all(handles.map((h) => h.kill("SIGTERM")))) };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export function summary(values: number[]): { p50: number; p99: number; max: number; n: number } {
  const s = [...values].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p99: percentile(s, 99), max: s.at(-1) ?? NaN, n: s.length };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function flushPrefix(prefix: string): Promise<void> {
  const { Redis } = await import("ioredis");
  const r = new Redis(REDIS_URL);
  let cursor = "0";
  do {
    const [next, keys] = await r.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
    cursor = next;
    if (keys.length > 0) await r.del(...keys);
  } while (cursor !== "0");
  r.disconnect();
}

/**
 * Pushes `n` messages from one owner at a steady rate and times each from push to the bot's
 * sendMessage (one chat keeps replies in order, so the k-th reply answers the k-th message).
 */
export async function measureReplies(tg: FakeTelegram, o: { n: number; rate: number; owner: number; texts: string[] }): Promise<number[]> {
  const pushedAt: number[] = [];
  const latencies: number[] = [];
  let seq = tg.lastSeq();
  const isReply = (c: { method: string; ok: boolean; params: Record<string, unknown> }): boolean =>
    c.ok && c.method === "sendMessage" && Number(c.params.chat_id) === o.owner;
  const collector = (async () => {
    for (let k = 0; k < o.n; k++) {
      const c = await tg.waitForCall(isReply, 30_000, seq);
      latencies.push(performance.now() - pushedAt[k]!);
      seq = c.seq;
    }
  })();
  const gap = 1000 / o.rate;
  const t0 = performance.now();
  for (let i = 0; i < o.n; i++) {
    const wait = t0 + i * gap - performance.now();
    if (wait > 0) await sleep(wait);
    pushedAt.push(performance.now());
    tg.pushText(o.owner, o.texts[i % o.texts.length]!);
  }
  await collector;
  return latencies;
}

/** Stops the services and removes every trace of a benchmark run. */
export async function teardown(svc: { stop: () => Promise<void> }, tg: FakeTelegram, db: Pick<Scratch, "prefix" | "drop">): Promise<void> {
  await svc.stop();
  await tg.close();
  await flushPrefix(db.prefix);
  await db.drop();
}

/** Puts `total` text messages from `chats` private chats (ids from 1001) into the fake's queue. */
export function preloadMessages(tg: FakeTelegram, total: number, chats: number, text: (i: number) => string): void {
  const now = Math.floor(Date.now() / 1000);
  for (let c = 0; c < chats; c++) tg.addChat(1001 + c);
  tg.pushMany(
    Array.from({ length: total }, (_, i) => {
      const chat = 1001 + (i % chats);
      return {
        message: {
          message_id: i + 1,
          date: now,
          chat: { id: chat, type: "private" },
          from: { id: chat, is_bot: false, first_name: "O" },
          text: text(i),
        },
      };
    }),
  );
}
