// A 10,000-update backlog from 100 chats waiting in the fake Bot API when the bot starts: time until
// every update has its reply, with per-chat order and completeness checked. Baseline in the same
// run: an inline bot that handles chats in parallel (no inbox, no outbox).
import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { startFakeTelegram, type FakeTelegram } from "@ownerbot/testkit/fake-telegram";
import type { ProcessName } from "@ownerbot/testkit/services";
import { PIPELINE_PROCESSES, PROCESSES_LABEL, preloadMessages, scratchDb, serviceEnv, startServices, teardown } from "./lib.ts";

const TOTAL = Number(process.env.TOTAL ?? 10_000);
const CHATS = 100;
// Sending is the most CPU-hungry stage (two syscalls per reply at ~0.1 ms each on this VM), so the
// bench runs as many senders as SENDERS says; workers are stateless and share the chats safely.
// PROCESSES=all runs the all-in-one process instead (services/all).
const SERVICES: ProcessName[] =
  process.env.PROCESSES === "all"
    ? PIPELINE_PROCESSES
    : ["ingress", "worker-intent", ...Array.from({ length: Number(process.env.SENDERS ?? 1) }, () => "sender" as const)];

function preload(tg: FakeTelegram): void {
  preloadMessages(tg, TOTAL, CHATS, (i) => (i % 2 ? "/help" : "/start"));
}

/** Time from the bot's first getUpdates (process start-up is not counted) to the n-th reply. */
async function waitReplies(tg: FakeTelegram, n: number, timeoutMs: number): Promise<number> {
  const first = await tg.waitForCall((c) => c.method === "getUpdates", 30_000);
  const t0 = performance.now() - (Date.now() - first.at);
  let seen = 0;
  let seq = 0;
  while (seen < n) {
    if (performance.now() - t0 > timeoutMs) throw new Error(`only ${seen} of ${n} replies after ${timeoutMs} ms`);
    const c = await tg.waitForCall((x) => x.ok && x.method === "sendMessage", timeoutMs, seq).catch(() => undefined);
    if (!c) continue;
    const fresh = tg.calls(seq).filter((x) => x.ok && x.method === "sendMessage").length;
    seen += fresh;
    seq = tg.lastSeq();
  }
  return performance.now() - t0;
}

async function pipeline(): Promise<{ ms: number; ordered: boolean; complete: boolean }> {
  const tg = await startFakeTelegram();
  const db = await scratchDb("backlog");
  preload(tg);
  const svc = startServices(
    [...SERVICES],
    serviceEnv(db, tg.apiRoot, {
      INBOX_MAX_NEW: "100000",
      INBOX_MAX_TOTAL: "100000",
      ...(process.env.BENCH_PROF ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${process.env.BENCH_PROF}` } : {}),
    }),
  );
  try {
    const ms = await waitReplies(tg, TOTAL, 120_000);
    if (process.env.BENCH_CPU) {
      const { execSync } = await import("node:child_process");
      const ticks = (cmd: string) =>
        execSync(`ps -C ${cmd} -o times=`)
          .toString()
          .trim()
          .split(/\s+/)
          .reduce((a, b) => a + Number(b), 0);
      console.log(`  cpu since boot: redis-server ${ticks("redis-server")} s, postgres ${ticks("postgres")} s`);
      const { readFileSync } = await import("node:fs");
      for (const h of svc.handles) {
        const f = readFileSync(`/proc/${h.proc.pid}/stat`, "utf8").split(" ");
        console.log(`  cpu ${h.name}: ${((Number(f[13]) + Number(f[14])) / 100).toFixed(2)} s`);
      }
      const self = process.cpuUsage();
      console.log(`  cpu bench process (fake Bot API): ${((self.user + self.system) / 1e6).toFixed(2)} s`);
    }
    await new Promise((r) => setTimeout(r, 500));
    const { rows: inbox } = await db.pool.query<{ n: number; d: number }>(
      "SELECT count(*)::int AS n, count(DISTINCT update_id)::int AS d FROM inbox",
    );
    // Per chat, replies must carry increasing Telegram message ids in the order of the updates.
    const { rows: disorder } = await db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (
         SELECT o.telegram_message_id < lag(o.telegram_message_id) OVER (PARTITION BY i.chat_id ORDER BY i.id) AS back
         FROM inbox i JOIN outbox o ON o.cause = 'upd:' || i.id) x WHERE back`,
    );
    const { rows: phases } = await db.pool.query<{ stored: number; handled: number; sent: number }>(
      `SELECT extract(epoch FROM (SELECT max(received_at) - min(received_at) FROM inbox)) * 1000 AS stored,
              extract(epoch FROM (SELECT max(done_at) FROM inbox) - (SELECT min(received_at) FROM inbox)) * 1000 AS handled,
              extract(epoch FROM (SELECT max(sent_at) FROM outbox) - (SELECT min(received_at) FROM inbox)) * 1000 AS sent`,
    );
    const p = phases[0]!;
    console.log(
      `  phases from the first stored update: all stored ${Math.round(p.stored)} ms, all handled ${Math.round(p.handled)} ms, all sent ${Math.round(p.sent)} ms`,
    );
    return { ms, ordered: disorder[0]!.n === 0, complete: inbox[0]!.n === TOTAL && inbox[0]!.d === TOTAL };
  } finally {
    await teardown(svc, tg, db);
  }
}

async function inlineParallel(): Promise<number> {
  const tg = await startFakeTelegram();
  preload(tg);
  const child = spawn(process.execPath, [resolve(import.meta.dirname, "inline-bot.ts"), tg.apiRoot, "1"], { stdio: "inherit" });
  try {
    return await waitReplies(tg, TOTAL, 120_000);
  } finally {
    child.kill("SIGTERM");
    await new Promise((r) => child.on("exit", r));
    await tg.close();
  }
}

const base = process.env.SKIP_BASELINE ? NaN : await inlineParallel();
const ours = await pipeline();
console.log(`backlog of ${TOTAL} updates from ${CHATS} chats, until every reply is sent`);
console.log(`  baseline inline bot, chats in parallel: ${(base / 1000).toFixed(2)} s`);
console.log(
  `  OwnerBot pipeline (${PROCESSES_LABEL}): ${(ours.ms / 1000).toFixed(2)} s (${Math.round(TOTAL / (ours.ms / 1000))} updates/s), per-chat order kept: ${ours.ordered}, all stored once: ${ours.complete}`,
);
console.log(`  target: ≤ 6 s with order kept and nothing lost → ${ours.ms <= 6_000 && ours.ordered && ours.complete ? "MET" : "NOT MET"}`);
process.exit(0);
