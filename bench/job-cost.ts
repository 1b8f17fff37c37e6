// What one BullMQ job costs Redis here: 10,000 jobs added in bulks of 100 and run by a no-op worker,
// with the project's own job options (ROW_JOB_OPTIONS: finished jobs kept for a window and count)
// beside the cheapest BullMQ can do (removed on completion) in the same run. Redis CPU is read from
// INFO before and after, so it does not depend on how busy the rest of the machine is.
import { Queue, Worker, type JobsOptions } from "bullmq";
import { Redis } from "ioredis";
import { ROW_JOB_OPTIONS } from "@ownerbot/core/queue";
import { REDIS_URL } from "./lib.ts";

const N = Number(process.env.N ?? 10_000);
const admin = new Redis(REDIS_URL);

async function redisCpuSec(): Promise<number> {
  const info = await admin.info("cpu");
  const read = (k: string): number => Number(new RegExp(`${k}:([0-9.]+)`).exec(info)?.[1] ?? NaN);
  return read("used_cpu_user") + read("used_cpu_sys");
}

type Cost = { addUs: number; runUs: number; wallMs: number };

async function measure(opts: JobsOptions, concurrency: number): Promise<Cost> {
  const prefix = `jobcost${process.pid}${Date.now()}`;
  const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null, enableAutoPipelining: true });
  const workerConnection = new Redis(REDIS_URL, { maxRetriesPerRequest: null, enableAutoPipelining: true });
  const queue = new Queue("bench", { connection, prefix });
  let done = 0;
  const { promise: all, resolve } = Promise.withResolvers<void>();
  const worker = new Worker("bench", () => Promise.resolve(++done === N && resolve()), {
    connection: workerConnection,
    prefix,
    concurrency,
    autorun: false,
  });
  await queue.waitUntilReady();
  const t0 = performance.now();
  const c0 = await redisCpuSec();
  for (let i = 0; i < N; i += 100)
    await queue.addBulk(Array.from({ length: 100 }, (_, k) => ({ name: "j", data: { i: i + k }, opts: { ...opts, jobId: `j-${i + k}` } })));
  const c1 = await redisCpuSec();
  void worker.run();
  await all;
  const c2 = await redisCpuSec();
  const wallMs = performance.now() - t0;
  await worker.close();
  await queue.obliterate({ force: true });
  await queue.close();
  connection.disconnect();
  workerConnection.disconnect();
  return { addUs: ((c1 - c0) / N) * 1e6, runUs: ((c2 - c1) / N) * 1e6, wallMs };
}

const show = (c: Cost): string =>
  `add ${c.addUs.toFixed(0)} µs + run ${c.runUs.toFixed(0)} µs = ${(c.addUs + c.runUs).toFixed(0)} µs of Redis CPU per job (wall ${(c.wallMs / 1000).toFixed(2)} s)`;

const cheapest = await measure({ removeOnComplete: true }, 64);
const ours = await measure(ROW_JOB_OPTIONS, 64);
const oursWide = await measure(ROW_JOB_OPTIONS, 2048);
console.log(`BullMQ job cost, ${N} jobs, Redis CPU from INFO`);
console.log(`  baseline removeOnComplete, concurrency 64: ${show(cheapest)}`);
console.log(`  ROW_JOB_OPTIONS, concurrency 64: ${show(ours)}`);
console.log(`  ROW_JOB_OPTIONS, concurrency 2048 (the chat workers'): ${show(oursWide)}`);
console.log(`  a reply is two jobs (intent + send): ${(2 * (oursWide.addUs + oursWide.runUs)).toFixed(0)} µs of Redis CPU per update`);
admin.disconnect();
process.exit(0);
