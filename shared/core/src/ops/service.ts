import type { Worker } from "bullmq";
import type { Config } from "../config/index.ts";
import type { Logger } from "../logger/index.ts";
import { dependencyChecks, startOpsEndpoints, type Check, type Checks, type OpsEndpoints } from "./health.ts";
import { createMetrics, type Metrics } from "./metrics.ts";

export type ServiceOps = {
  readonly metrics: Metrics;
  /** Starts /metrics, /healthz and /readyz on METRICS_PORT (nothing when it is 0). */
  serve: (d: {
    pool?: { query: (sql: string) => Promise<unknown> };
    redis?: { ping: () => Promise<unknown> };
    checks?: Checks;
  }) => Promise<void>;
  stop: () => Promise<void>;
};

/** What a service's composition root needs for metrics and health: two lines in each main.ts. */
export function createServiceOps(service: string, cfg: Pick<Config, "METRICS_PORT" | "METRICS_HOST">, log: Logger): ServiceOps {
  const metrics = createMetrics(service);
  let endpoints: OpsEndpoints | undefined;
  return {
    metrics,
    serve: async (d) => {
      endpoints = await startOpsEndpoints({
        host: cfg.METRICS_HOST,
        port: cfg.METRICS_PORT,
        metrics,
        checks: { ...dependencyChecks(d), ...d.checks },
        log,
      });
    },
    stop: async () => endpoints?.stop(),
  };
}

/** A BullMQ worker is this process's loop: ready while it runs and takes jobs. */
export function workerCheck(worker: () => Worker | undefined): Check {
  return () => {
    const w = worker();
    if (!w || !w.isRunning()) return "worker not running";
    if (w.isPaused()) return "worker paused";
  };
}

/**
 * The ingress's loop: a Bot API call (getUpdates, or the start-up calls right after it wins the
 * lock) must start again within one long poll, its deadline and the longest back-off after a failure. A loop stuck elsewhere (a batch that cannot be stored) stops
 * starting polls and goes not-ready.
 */
export function pollCheck(o: { pollTimeoutSec: number; timeoutMs: number }): { polled: () => void; check: Check } {
  let last = Date.now();
  const windowMs = o.pollTimeoutSec * 1000 + o.timeoutMs + 15_000;
  return {
    polled: () => (last = Date.now()),
    check: () => {
      const idle = Date.now() - last;
      if (idle > windowMs) return `no getUpdates for ${Math.round(idle / 1000)} s`;
    },
  };
}
