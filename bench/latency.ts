// Reply latency at a steady 20 messages/s: /start pushed into the fake Bot API → the bot's
// sendMessage seen by it. Compares the inbox pipeline with an inline bot measured in the same run.
import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { startFakeTelegram } from "@ownerbot/testkit/fake-telegram";
import { PIPELINE_PROCESSES, PROCESSES_LABEL, measureReplies, scratchDb, serviceEnv, startServices, summary, teardown } from "./lib.ts";

const N = Number(process.env.N ?? 200);
const RATE = Number(process.env.RATE ?? 20);
const OWNER = 1001;

async function pipeline(): Promise<number[]> {
  const tg = await startFakeTelegram();
  const db = await scratchDb("latency");
  const svc = startServices(PIPELINE_PROCESSES, serviceEnv(db, tg.apiRoot, { TELEGRAM_POLL_TIMEOUT_SEC: "25" }));
  try {
    await measureReplies(tg, { n: 30, rate: RATE, owner: OWNER, texts: ["/start"] }); // warm-up: JIT, pools, prepared plans
    return await measureReplies(tg, { n: N, rate: RATE, owner: OWNER, texts: ["/start"] });
  } finally {
    await teardown(svc, tg, db);
  }
}

async function inline(): Promise<number[]> {
  const tg = await startFakeTelegram();
  const child = spawn(process.execPath, [resolve(import.meta.dirname, "inline-bot.ts"), tg.apiRoot, "0"], { stdio: "inherit" });
  try {
    await measureReplies(tg, { n: 30, rate: RATE, owner: OWNER, texts: ["/start"] });
    return await measureReplies(tg, { n: N, rate: RATE, owner: OWNER, texts: ["/start"] });
  } finally {
    child.kill("SIGTERM");
    await new Promise((r) => child.on("exit", r));
    await tg.close();
  }
}

const fmt = (s: ReturnType<typeof summary>): string =>
  `p50 ${s.p50.toFixed(1)} ms  p99 ${s.p99.toFixed(1)} ms  max ${s.max.toFixed(1)} ms  (n=${s.n})`;
const base = summary(await inline());
const ours = summary(await pipeline());
console.log(`reply latency at ${RATE} msg/s, /start pushed → sendMessage seen`);
console.log(`  baseline inline bot (no inbox/outbox): ${fmt(base)}`);
console.log(`  OwnerBot pipeline (ingress→PG→intent→PG→sender, ${PROCESSES_LABEL}): ${fmt(ours)}`);
console.log(`  targets: p50 ≤ 10 ms, p99 ≤ 25 ms → ${ours.p50 <= 10 && ours.p99 <= 25 ? "MET" : "NOT MET"}`);
process.exit(0);
