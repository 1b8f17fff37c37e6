// A text question answered end to end on a big demo shop: pushed to the fake Bot API → the reply
// with the numbers seen. Uses BENCH_DATABASE_URL (a seeded shop, e.g. from bench/tools-queries.ts)
// or seeds SCALE orders into a scratch database. Baseline in the same run: /help on the same
// pipeline (no tool), so the difference is what the tools cost.
import pg from "pg";
import { startFakeTelegram } from "@ownerbot/testkit/fake-telegram";
import { seedDemo } from "@ownerbot/domain/demo";
import { createPool, migrate } from "@ownerbot/core/db";
import { flushPrefix, measureReplies, scratchDb, serviceEnv, startServices, summary, REDIS_URL } from "./lib.ts";

const OWNER = 1001;
const N = Number(process.env.N ?? 100);
const RATE = Number(process.env.RATE ?? 10);
const QUESTIONS = [
  "выручка за неделю",
  "топ товаров за месяц",
  "сколько осталось на складе",
  "сравни с прошлой неделей",
  "зависшие заказы",
  "что с заказом 1500",
  "kpi вчера",
  "воронка за 30 дней",
];

let url = process.env.BENCH_DATABASE_URL;
let cleanup = async (): Promise<void> => undefined;
const prefix = `bq${Date.now().toString(36)}`;
if (!url) {
  const db = await scratchDb("question");
  const scale = Number(process.env.SCALE ?? 100_000);
  console.log(`seeding ${scale} orders…`);
  await seedDemo(db.pool, { scale, timeZone: "Europe/Moscow", currency: "RUB" });
  url = db.url;
  cleanup = db.drop;
} else {
  const pool = createPool(url, 2);
  await migrate(pool);
  await pool.end();
}
const orders = new pg.Client({ connectionString: url });
await orders.connect();
const { rows } = await orders.query<{ n: number }>("SELECT count(*)::int AS n FROM demo_orders");
await orders.end();

const tg = await startFakeTelegram();
const svc = startServices(["ingress", "worker-intent", "sender"], serviceEnv({ url, prefix }, tg.apiRoot));
try {
  await measureReplies(tg, { n: 16, rate: RATE, owner: OWNER, texts: QUESTIONS }); // warm-up
  const help = summary(await measureReplies(tg, { n: N, rate: RATE, owner: OWNER, texts: ["/help"] }));
  const asked = summary(await measureReplies(tg, { n: N, rate: RATE, owner: OWNER, texts: QUESTIONS }));
  const fmt = (s: typeof help): string => `p50 ${s.p50.toFixed(1)} ms  p99 ${s.p99.toFixed(1)} ms  (n=${s.n})`;
  console.log(`text questions end to end on ${rows[0]!.n} demo orders, ${RATE} msg/s (redis ${REDIS_URL})`);
  console.log(`  baseline /help (no tool):        ${fmt(help)}`);
  console.log(`  questions (${QUESTIONS.length} kinds, round robin): ${fmt(asked)}`);
  console.log(`  target p50 ≤ 50 ms → ${asked.p50 <= 50 ? "MET" : "NOT MET"}`);
} finally {
  await svc.stop();
  await tg.close();
  await flushPrefix(prefix);
  await cleanup();
}
process.exit(0);
