// Every service of the stack in one process, with the same queues and guarantees as one process
// each: BullMQ workers of several queues share a process happily, and every row is still claimed
// through Postgres. The small-server default; SPLIT=1 / the compose `split` profile scale out.
import type { Config } from "@ownerbot/core/config";
import { createLogger } from "@ownerbot/core/logger";
import { hasOpsCredentials, metricsPorts, type Running, SERVICE_NAMES, type ServiceName, type StartFn, stopAll } from "@ownerbot/core/ops";
import { start as ingress } from "@ownerbot/ingress/start";
import { start as workerIntent } from "@ownerbot/worker-intent/start";
import { start as sender } from "@ownerbot/sender/start";
import { start as scheduler } from "@ownerbot/scheduler/start";
import { start as workerReport } from "@ownerbot/worker-report/start";
import { start as ops } from "@ownerbot/ops/start";
import { start as workerAction } from "@ownerbot/worker-action/start";
import { start as workerAsr } from "@ownerbot/worker-asr/start";

const STARTS: Record<ServiceName, StartFn> = {
  ingress,
  "worker-intent": workerIntent,
  sender,
  scheduler,
  "worker-report": workerReport,
  ops,
  "worker-action": workerAction,
  "worker-asr": workerAsr,
};

/** The services this process hosts: all of them, but ops only with credentials (it never runs open). */
export function hostedServices(cfg: Pick<Config, "OPS_USER" | "OPS_PASSWORD" | "OPS_ADMIN_TOKEN">): ServiceName[] {
  return SERVICE_NAMES.filter((n) => n !== "ops" || hasOpsCredentials(cfg));
}

export async function start(cfg: Config): Promise<Running> {
  const log = createLogger({ name: "all", level: cfg.LOG_LEVEL, secrets: cfg.secrets });
  const names = hostedServices(cfg);
  const ports = metricsPorts(names, cfg.METRICS_PORT);
  const running: Running[] = [];
  try {
    for (const name of names) running.push(await STARTS[name]({ ...cfg, METRICS_PORT: ports[name] ?? 0 }));
  } catch (err) {
    await stopAll(running).catch((e: unknown) => log.error({ err: e }, "stopping the services already started failed"));
    throw err;
  }
  if (!names.includes("ops")) log.warn("ops board not started: set OPS_USER and OPS_PASSWORD (or OPS_ADMIN_TOKEN)");
  log.info({ services: names, metrics_ports: ports }, "all services started in one process");
  // The ingress's poll loop is the only service that ends by itself; when it does, so does the process.
  const done = running.find((r) => r.done !== undefined)?.done;
  return { ...(done ? { done } : {}), stop: () => stopAll(running) };
}
