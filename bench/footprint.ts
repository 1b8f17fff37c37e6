// Memory of the whole stack: all services in one process (services/all) beside one process per
// service, idle and under the latency benchmark's load (/start at 20 msg/s), with a chart drawn so
// that Chromium is counted — separately, and checked gone once idle. PSS (shared pages split among
// the processes that map them) is the fair sum for a process tree; RSS is printed too.
import { readFileSync, readdirSync } from "node:fs";
import { seedDemo } from "@ownerbot/domain/demo";
import { startFakeTelegram } from "@ownerbot/testkit/fake-telegram";
import type { ProcessName } from "@ownerbot/testkit/services";
import { measureReplies, scratchDb, serviceEnv, sleep, startServices, teardown } from "./lib.ts";

const OWNER = 1001;
const SPLIT: ProcessName[] = ["ingress", "worker-intent", "sender", "scheduler", "worker-report", "worker-action", "worker-asr", "ops"];
const IDLE_SEC = Number(process.env.IDLE_SEC ?? 10);

type Mem = { pssMb: number; rssMb: number };
type Tree = { node: Mem; chromium: Mem; chromiumProcs: number };

function children(): Map<number, number[]> {
  const kids = new Map<number, number[]>();
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      kids.set(ppid, [...(kids.get(ppid) ?? []), Number(d)]);
    } catch {
      /* gone */
    }
  }
  return kids;
}

function memOf(pid: number): Mem {
  try {
    const roll = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8");
    const kb = (k: string): number => Number(new RegExp(`^${k}:\\s+(\\d+)`, "m").exec(roll)?.[1] ?? 0);
    return { pssMb: kb("Pss") / 1024, rssMb: kb("Rss") / 1024 };
  } catch {
    return { pssMb: 0, rssMb: 0 };
  }
}

/** The services' memory (the given pids and their children), Chromium's processes apart. */
function measureTree(pids: number[]): Tree {
  const kids = children();
  const out: Tree = { node: { pssMb: 0, rssMb: 0 }, chromium: { pssMb: 0, rssMb: 0 }, chromiumProcs: 0 };
  const walk = (pid: number, inChromium: boolean): void => {
    let comm: string;
    try {
      comm = readFileSync(`/proc/${pid}/comm`, "utf8").trim();
    } catch {
      return;
    }
    const chromium = inChromium || /chrom/i.test(comm);
    const m = memOf(pid);
    const into = chromium ? out.chromium : out.node;
    into.pssMb += m.pssMb;
    into.rssMb += m.rssMb;
    if (chromium) out.chromiumProcs++;
    for (const k of kids.get(pid) ?? []) walk(k, chromium);
  };
  for (const p of pids) walk(p, false);
  return out;
}

type Run = { idle: Tree; loadPeak: Tree; chartPeak: Tree; afterIdle: Tree };

async function run(names: ProcessName[]): Promise<Run> {
  const tg = await startFakeTelegram();
  const db = await scratchDb("footprint");
  await seedDemo(db.pool, { scale: 1000, seed: 5, anchorDay: "2026-11-23", timeZone: "Europe/Moscow", currency: "RUB" });
  const svc = startServices(
    names,
    serviceEnv(db, tg.apiRoot, {
      TELEGRAM_POLL_TIMEOUT_SEC: "25",
      REPORT_BROWSER_IDLE_SEC: "5",
      OPS_USER: "bench",
      OPS_PASSWORD: "footprint-bench-password",
      OPS_PORT: "0",
    }),
  );
  const pids = (): number[] => svc.handles.map((h) => h.proc.pid!);
  const peak = (a: Tree, b: Tree): Tree => (b.node.pssMb + b.chromium.pssMb > a.node.pssMb + a.chromium.pssMb ? b : a);
  try {
    await measureReplies(tg, { n: 30, rate: 20, owner: OWNER, texts: ["/start"] }); // warm-up
    await sleep(IDLE_SEC * 1000);
    const idle = measureTree(pids());
    let loadPeak = idle;
    const load = measureReplies(tg, { n: 400, rate: 20, owner: OWNER, texts: ["/start", "выручка за неделю", "топ товаров за месяц"] });
    let loading = true;
    void load.finally(() => (loading = false));
    while (loading) {
      loadPeak = peak(loadPeak, measureTree(pids()));
      await sleep(250);
    }
    await load;
    // A chart: the report worker starts Chromium for it (or not, with a renderer that needs none).
    const since = tg.lastSeq();
    tg.pushText(OWNER, "график выручки");
    let chartPeak = measureTree(pids());
    const photo = tg.waitForCall((c) => c.ok && c.method === "sendPhoto", 60_000, since);
    let drawn = false;
    void photo.finally(() => (drawn = true));
    while (!drawn) {
      chartPeak = peak(chartPeak, measureTree(pids()));
      await sleep(100);
    }
    await photo;
    chartPeak = peak(chartPeak, measureTree(pids()));
    await sleep(8000); // REPORT_BROWSER_IDLE_SEC=5, and a little
    return { idle, loadPeak, chartPeak, afterIdle: measureTree(pids()) };
  } finally {
    await teardown(svc, tg, db);
  }
}

const mb = (m: Mem): string => `PSS ${m.pssMb.toFixed(0)} MB (RSS ${m.rssMb.toFixed(0)} MB)`;
const show = (name: string, r: Run): void => {
  console.log(`  ${name}:`);
  console.log(`    idle, without Chromium:        ${mb(r.idle.node)}; Chromium processes: ${r.idle.chromiumProcs}`);
  console.log(`    peak under /start at 20 msg/s: ${mb(r.loadPeak.node)}`);
  console.log(
    `    drawing a chart: Node ${mb(r.chartPeak.node)}, Chromium ${mb(r.chartPeak.chromium)} (${r.chartPeak.chromiumProcs} processes)`,
  );
  console.log(`    5 s idle after it: Chromium processes ${r.afterIdle.chromiumProcs}, Node ${mb(r.afterIdle.node)}`);
};

const split = await run(SPLIT);
const all = await run(["all"]);
console.log("footprint of the whole stack (8 services), PSS summed over the process tree");
show("baseline: one process per service (SPLIT=1)", split);
show("all-in-one (services/all, the default)", all);
const ok = all.idle.node.pssMb <= 250 && all.afterIdle.chromiumProcs === 0;
console.log(`  targets: all-in-one ≤ 250 MB idle without Chromium, no Chromium resident when idle → ${ok ? "MET" : "NOT MET"}`);
process.exit(0);
