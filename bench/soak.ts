// RELIABILITY.md fault S, the soak: one world with everything (Postgres and Redis behind fault
// proxies, the fake Bot API, a fake SIS, a 1 000-order demo shop, all five services) takes mixed
// traffic for SOAK_MINUTES at SOAK_RATE msg/s while a fault from the matrix hits every 20–40 s.
// Then it waits for the pipeline to go idle and runs the history checker; exit 1 on a violation.
import { randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createDb } from "@ownerbot/core/db";
import { seedDemo } from "@ownerbot/domain/demo";
import { refreshReadRollups } from "@ownerbot/domain/tools";
import { startFakeTelegram } from "@ownerbot/testkit/fake-telegram";
import { startFakeSis } from "@ownerbot/testkit/fake-sis";
import { startFaultProxy } from "@ownerbot/testkit/fault-proxy";
import { startStack, type ServiceName } from "@ownerbot/testkit/services";
import { seededRandom } from "@ownerbot/testkit/hostile";
import { checkHistory, formatHistory, violated } from "@ownerbot/testkit/history";
import { SEND_METHODS } from "@ownerbot/testkit/history-records";
import { httpGet, opsPorts } from "@ownerbot/testkit/ops";
import { REDIS_URL, flushPrefix, scratchDb, serviceEnv, sleep, summary } from "./lib.ts";
import { summarise } from "./heap-summary.ts";
import { driveFaults, driveTraffic, OWNER, type FaultWindow } from "./soak-traffic.ts";

const MINUTES = Number(process.env.SOAK_MINUTES ?? 5);
const RATE = Number(process.env.SOAK_RATE ?? 5);
const SEED = Number(process.env.SOAK_SEED ?? Date.now() % 1_000_000);
const IDLE_TIMEOUT_MS = 180_000;
/** After a fault clears, reconnects and restarts still settle; replies in this tail count as "in a fault". */
const RECOVERY_MS = 3000;
const STEADY_AFTER_MS = 15_000;
const TZ = "Europe/Moscow";
const SERVICES: readonly ServiceName[] = ["ingress", "worker-intent", "sender", "worker-report", "scheduler", "ops"];
// SOAK_HEAP_SNAPSHOTS=1: every service writes a heap snapshot at the end (SIGUSR2), summarised below.
const HEAP_DIR = process.env.SOAK_HEAP_SNAPSHOTS === "1" ? `/tmp/ob-soak-heap-${process.pid}` : "";
const SECRETS = {
  BOT_TOKEN: `${7_000_000_000 + Math.floor(Math.random() * 1e6)}:${randomBytes(24).toString("base64url")}`,
  SIS_OWNERBOT_API_KEY: `sis-${randomBytes(16).toString("hex")}`,
  OPENAI_API_KEY: `sk-${randomBytes(20).toString("hex")}`,
  OPS_ADMIN_TOKEN: `ops-${randomBytes(16).toString("hex")}`,
};

console.log(`soak: ${MINUTES} min at ${RATE} msg/s, SOAK_SEED=${SEED}`);
const db = await scratchDb("soak");
const today = new Intl.DateTimeFormat("en-CA", { timeZone: TZ }).format(new Date());
await seedDemo(db.pool, { scale: 1000, seed: 5, anchorDay: today, timeZone: TZ, currency: "RUB" });
await refreshReadRollups(createDb(db.pool), { wait: true });
// 00:00 local has always passed: the digest goes out on an early tick, and the ops alerts with it.
await db.pool.query(
  `INSERT INTO owner_notify_settings (owner_id, digest_enabled, digest_time_local, ops_alerts_enabled) VALUES ($1, true, '00:00', true)`,
  [OWNER],
);
const pgTarget = new URL(db.url);
const redisTarget = new URL(REDIS_URL);
const pg = await startFaultProxy({ host: pgTarget.hostname, port: Number(pgTarget.port || 5432) });
const redis = await startFaultProxy({ host: redisTarget.hostname, port: Number(redisTarget.port || 6379) });
const sis = await startFakeSis({ apiKey: SECRETS.SIS_OWNERBOT_API_KEY });
const tg = await startFakeTelegram();
const env = serviceEnv({ url: pg.url(db.url), prefix: db.prefix }, tg.apiRoot, {
  ...SECRETS,
  OWNER_IDS: String(OWNER),
  REDIS_URL: redis.url(REDIS_URL),
  SIS_BASE_URL: sis.url,
  LOG_LEVEL: "info",
  TELEGRAM_POLL_TIMEOUT_SEC: "2",
  // Telegram's global budget; the owner writes 5 msg/s here, far above the per-chat 1/s.
  TELEGRAM_GLOBAL_RATE_PER_SEC: "30",
  TELEGRAM_CHAT_RATE_PER_SEC: "0",
  LEASE_SEC: "5",
  NOTIFY_TICK_SEC: "2",
  OWNER_TZ: TZ,
  SHOP_CURRENCY: "RUB",
  SHOP_LOCALE: "ru-RU",
  ACCESS_DENY_NOTIFY_ONCE: "true",
  ...(HEAP_DIR ? { NODE_OPTIONS: `--heapsnapshot-signal=SIGUSR2 --diagnostic-dir=${HEAP_DIR}` } : {}),
});
if (HEAP_DIR) mkdirSync(HEAP_DIR, { recursive: true });
// Every service serves its metrics, and they are scraped every 5 s as Prometheus would; ops also
// serves bull-board's queue list to a "browser" polling it.
const ports = await opsPorts();
const stack = startStack(env, { report: true, scheduler: true, ops: true, envFor: ports.envFor });
const opsAuth = { token: SECRETS.OPS_ADMIN_TOKEN };
let scrapes = 0;
let scrapeFailures = 0;
const scraper = setInterval(() => {
  const urls = [
    ...Object.values(ports.metrics).map((p) => `http://127.0.0.1:${p}/metrics`),
    `http://127.0.0.1:${ports.ops}/metrics`,
    `http://127.0.0.1:${ports.ops}/api/queues`,
  ];
  for (const url of urls)
    void httpGet(url, { auth: opsAuth }).then(
      (r) => (r.status === 200 ? scrapes++ : scrapeFailures++),
      () => scrapeFailures++,
    );
}, 5000);

// Table sizes at the start and the end: a delivered file's bytes leave its outbox row, and the
// retention job prunes finished rows (after days, so a soak sees the first effect only).
async function tableSizes(): Promise<string> {
  const { rows } = await db.pool.query<{ t: string; mb: number }>(
    `SELECT t, pg_total_relation_size(t::regclass) / 1048576.0 AS mb FROM unnest(ARRAY['inbox', 'outbox', 'report_jobs', 'audit_events', 'callback_tokens']) t`,
  );
  return rows.map((r) => `${r.t} ${Number(r.mb).toFixed(1)} MB`).join(", ");
}
const sizesAtStart = await tableSizes();

// Peak RSS per service across all its incarnations, read from /proc while each one lives.
const hwm = new Map<ServiceName, number>();
const sampleRss = (name: ServiceName): void => {
  const pid = stack[name]?.proc.pid;
  if (pid === undefined) return;
  try {
    const kb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? NaN);
    if (kb > (hwm.get(name) ?? 0)) hwm.set(name, kb);
  } catch {
    // The process is gone; its last sample stands.
  }
};
// A service that exits on its own (an ingress that gives up on a dead Postgres, say) is restarted
// as a supervisor would; the soak counts those exits.
const busy = new Set<ServiceName>();
const selfExits: string[] = [];
const restart = async (name: ServiceName): Promise<void> => {
  busy.add(name);
  sampleRss(name);
  await stack.restart(name, "SIGKILL");
  busy.delete(name);
};
const t0 = Date.now();
const watch = setInterval(() => {
  for (const name of SERVICES) {
    sampleRss(name);
    const p = stack[name]?.proc;
    if (!p || busy.has(name) || (p.exitCode === null && p.signalCode === null)) continue;
    selfExits.push(`${name} exited (${p.exitCode ?? p.signalCode}) at +${((Date.now() - t0) / 1000).toFixed(1)} s`);
    console.log(`  ${selfExits.at(-1)}; restarting`);
    void restart(name);
  }
}, 1000);

await tg.waitForCall((c) => c.ok && c.method === "getUpdates", 30_000);
const stopAt = t0 + MINUTES * 60_000;
const [traffic, faults] = await Promise.all([
  driveTraffic(tg, seededRandom(SEED), { rate: RATE, stopAt }),
  driveFaults({ tg, sis, pg, redis }, seededRandom(SEED ^ 0x5eed), { stopAt, t0, restart }),
]);
tg.clearFaults();
pg.restore();
redis.restore();

async function openRows(): Promise<string> {
  const { rows } = await db.pool.query<{ inbox: number; outbox: number; reports: number }>(
    `SELECT (SELECT count(*) FROM inbox WHERE status IN ('new', 'claimed'))::int AS inbox,
            (SELECT count(*) FROM outbox WHERE status IN ('pending', 'claimed'))::int AS outbox,
            (SELECT count(*) FROM report_jobs WHERE status IN ('pending', 'claimed'))::int AS reports`,
  );
  const r = rows[0]!;
  const open = r.inbox + r.outbox + r.reports + tg.pendingCount();
  return open === 0 ? "" : `inbox ${r.inbox}, outbox ${r.outbox}, report_jobs ${r.reports}, at the fake ${tg.pendingCount()}`;
}
const idleFrom = Date.now();
let left = await openRows();
for (let quiet = 0; quiet < 3 && Date.now() - idleFrom < IDLE_TIMEOUT_MS; left = await openRows()) {
  quiet = left === "" ? quiet + 1 : 0;
  await sleep(1000);
}
clearInterval(watch);
clearInterval(scraper);
for (const name of SERVICES) sampleRss(name);
if (HEAP_DIR) {
  for (const name of SERVICES) stack[name]?.proc.kill("SIGUSR2");
  // A snapshot is written synchronously by the process; wait until each file stops growing.
  for (let stable = 0, last = -1; stable < 3; await sleep(1000)) {
    const size = readdirSync(HEAP_DIR).reduce((n, f) => n + statSync(`${HEAP_DIR}/${f}`).size, 0);
    stable = size === last && readdirSync(HEAP_DIR).length >= SERVICES.length ? stable + 1 : 0;
    last = size;
  }
}
console.log(
  left === "" ? `idle after ${((Date.now() - idleFrom) / 1000).toFixed(1)} s` : `NOT idle after ${IDLE_TIMEOUT_MS / 1000} s: ${left}`,
);

const report = await checkHistory({
  tg,
  pool: db.pool,
  owners: [OWNER],
  logs: stack.logs(),
  secrets: Object.values(SECRETS),
  overloadWindowSec: 60,
  auditWindowSec: 60,
  denyNotice: true,
});
console.log(formatHistory(report));

// Reply latency: push → the first text reply marked sent, for owner texts; "outside faults" keeps
// only the ones whose whole wait missed every fault window (and its recovery tail).
const { rows: replied } = await db.pool.query<{ update_id: string; sent_ms: number }>(
  `SELECT i.update_id, extract(epoch FROM min(o.sent_at)) * 1000 AS sent_ms
   FROM inbox i JOIN outbox o ON o.cause = 'upd:' || i.id AND o.status = 'sent' AND o.method IN ('sendMessage', 'editMessageText')
   WHERE i.user_id = $1 GROUP BY 1`,
  [OWNER],
);
const hit = (a: number, b: number, w: FaultWindow, tail: number): boolean => a < w.end + tail && b > w.start;
const all: number[] = [];
const calm: number[] = [];
// The backlog a fault leaves in the owner's one chat (answered in order) takes seconds to drain.
const steady: number[] = [];
for (const r of replied) {
  const pushed = traffic.ownerTexts.get(Number(r.update_id));
  if (pushed === undefined) continue;
  const sent = Number(r.sent_ms);
  all.push(sent - pushed);
  if (!faults.some((w) => hit(pushed, sent, w, RECOVERY_MS))) calm.push(sent - pushed);
  if (!faults.some((w) => hit(pushed, sent, w, STEADY_AFTER_MS))) steady.push(sent - pushed);
}
const fmt = (s: ReturnType<typeof summary>): string =>
  `p50 ${s.p50.toFixed(0)} ms, p99 ${s.p99.toFixed(0)} ms, max ${s.max.toFixed(0)} ms (n=${s.n})`;
const calls = tg.calls();
if (process.env.SOAK_KEEP === "1")
  writeFileSync(`/tmp/soak-calls-${SEED}.json`, JSON.stringify(calls.filter((c) => c.method !== "getUpdates")));
const byKind = new Map<string, number>();
for (const w of faults) byKind.set(w.kind, (byKind.get(w.kind) ?? 0) + 1);
const pushed = Object.entries(traffic.counts)
  .map(([k, n]) => `${k} ${n}`)
  .join(", ");
console.log(`updates offered: ${tg.offeredUpdateIds().length} (${pushed})`);
console.log(
  `replies sent: ${calls.filter((c) => c.ok && SEND_METHODS.has(c.method)).length} (to the owner ${calls.filter((c) => c.ok && SEND_METHODS.has(c.method) && Number(c.params.chat_id) === OWNER).length})`,
);
console.log(
  `callbacks answered: ${tg.callbackAnswers().length} of ${(traffic.counts.tap ?? 0) + (traffic.counts.stranger_tap ?? 0)} pushed`,
);
console.log(
  `faults injected: ${faults.length} (${[...byKind].map(([k, n]) => `${k} ${n}`).join(", ")}); kills: ${
    faults
      .filter((w) => w.kind === "kill")
      .map((w) => w.detail)
      .join(", ") || "none"
  }`,
);
console.log(`services that exited on their own: ${selfExits.length === 0 ? "none" : selfExits.join("; ")}`);
console.log(`owner reply latency outside fault windows: ${fmt(summary(calm))}`);
console.log(`owner reply latency from ${STEADY_AFTER_MS / 1000} s after each fault: ${fmt(summary(steady))}`);
console.log(`owner reply latency, all: ${fmt(summary(all))}`);
console.log(`table sizes: at the start ${sizesAtStart}; at the end ${await tableSizes()}`);
console.log(`max RSS (VmHWM): ${SERVICES.map((n) => `${n} ${((hwm.get(n) ?? NaN) / 1024).toFixed(0)} MB`).join(", ")}`);
console.log(`metrics scrapes: ${scrapes} answered, ${scrapeFailures} failed (a killed or cut-off service)`);
if (HEAP_DIR)
  for (const name of SERVICES) {
    const pid = stack[name]?.proc.pid;
    const file = readdirSync(HEAP_DIR).find((f) => f.includes(`.${pid}.`));
    console.log(file ? `${name}: ${summarise(`${HEAP_DIR}/${file}`)}` : `${name}: no heap snapshot`);
  }

const bad = violated(report, [1, 2, 3, 7, 8, 9]);
await stack.stop();
await tg.close();
await sis.close();
await pg.close();
await redis.close();
await flushPrefix(db.prefix);
// SOAK_KEEP=1 leaves the database for a post-mortem.
if (process.env.SOAK_KEEP === "1") console.log(`database kept: ${db.url}`);
else await db.drop();
console.log(bad.length === 0 && left === "" ? "soak: PASS" : "soak: FAIL");
process.exit(bad.length === 0 && left === "" ? 0 : 1);
