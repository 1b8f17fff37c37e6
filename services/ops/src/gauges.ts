import type { Queue } from "bullmq";
import { Counter, Gauge } from "prom-client";
import type { Logger } from "@ownerbot/core/logger";
import type { Metrics } from "@ownerbot/core/ops";
import type { Queryable } from "@ownerbot/core/db";
import { WORK_NAMES, tableStats } from "./rows.ts";

const JOB_STATES = ["waiting", "active", "delayed", "completed", "failed", "prioritized", "waiting-children"] as const;

/**
 * The cluster-wide view, read at each scrape by the one ops process (so no series is counted once
 * per worker): jobs per queue and state from Redis, rows per table and status, the oldest waiting
 * row and the expired leases from Postgres. A source that cannot be read leaves its series out
 * for that scrape and counts an error, rather than failing the whole scrape.
 */
export function registerClusterGauges(o: { metrics: Metrics; queues: Map<string, Queue>; pool: Queryable; log: Logger }): void {
  const registers = [o.metrics.registry];
  const errors = new Counter({
    name: "ownerbot_ops_collect_errors_total",
    help: "Scrapes in which the ops service could not read a source (redis, postgres)",
    labelNames: ["source"] as const,
    registers,
  });
  const failed = (source: string, err: unknown): void => {
    errors.inc({ source });
    o.log.warn({ err, source }, "collecting cluster metrics failed");
  };

  new Gauge({
    name: "ownerbot_queue_jobs",
    help: "BullMQ jobs per queue and state (completed and failed are the kept ones: 24 h / 7 days)",
    labelNames: ["queue", "state"] as const,
    registers,
    async collect() {
      this.reset();
      try {
        const counts = await Promise.all([...o.queues].map(async ([name, q]) => [name, await q.getJobCounts(...JOB_STATES)] as const));
        for (const [queue, c] of counts) for (const state of JOB_STATES) this.set({ queue, state }, c[state] ?? 0);
      } catch (err) {
        failed("redis", err);
      }
    },
  });

  new Gauge({
    name: "ownerbot_job_schedulers",
    help: "BullMQ job schedulers per queue (notify-tick, retention-tick): 0 means nothing ticks (the scheduler creates them at its start)",
    labelNames: ["queue"] as const,
    registers,
    async collect() {
      this.reset();
      try {
        const counts = await Promise.all([...o.queues].map(async ([name, q]) => [name, await q.getJobSchedulersCount()] as const));
        for (const [queue, n] of counts) this.set({ queue }, n);
      } catch (err) {
        failed("redis", err);
      }
    },
  });

  // One read of every table serves the table gauges of a scrape.
  let pending: { at: number; stats: Promise<Awaited<ReturnType<typeof tableStats>>[]> } | undefined;
  const stats = () => {
    if (!pending || Date.now() - pending.at > 1000) {
      const p = Promise.all(WORK_NAMES.map((n) => tableStats(o.pool, n, 0)));
      p.catch((err: unknown) => failed("postgres", err));
      pending = { at: Date.now(), stats: p };
    }
    return pending.stats;
  };
  const tableGauge = (
    name: string,
    help: string,
    labelNames: string[],
    fill: (g: Gauge, s: Awaited<ReturnType<typeof tableStats>>) => void,
  ) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers,
      async collect() {
        this.reset();
        const all = await stats().catch(() => null);
        for (const s of all ?? []) fill(this, s);
      },
    });

  tableGauge("ownerbot_table_rows", "Rows of each leased-work table by status", ["table", "status"], (g, s) => {
    for (const [status, n] of Object.entries(s.counts)) g.set({ table: s.table, status }, n);
  });
  tableGauge(
    "ownerbot_table_oldest_waiting_seconds",
    "Age of the oldest row waiting to be claimed (0 when none waits)",
    ["table"],
    (g, s) => g.set({ table: s.table }, s.oldestWaitingSec ?? 0),
  );
  tableGauge("ownerbot_outbox_lag_seconds", "Age of the oldest reply not yet sent (outbox pending), 0 when none waits", [], (g, s) => {
    if (s.table === "outbox") g.set(s.oldestWaitingSec ?? 0);
  });
  tableGauge(
    "ownerbot_table_expired_leases",
    "Rows claimed under a lease that has run out (a dead or frozen worker's)",
    ["table"],
    (g, s) => g.set({ table: s.table }, s.expiredLeases),
  );
}
