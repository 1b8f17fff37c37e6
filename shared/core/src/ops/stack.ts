// The services of one OwnerBot stack, in start order, and the metrics ports they get on one host.
// Shared by the all-in-one process (services/all) and the per-process supervisor (scripts/).

export const SERVICE_NAMES = [
  "ingress",
  "worker-intent",
  "sender",
  "scheduler",
  "worker-report",
  "ops",
  "worker-action",
  "worker-asr",
] as const;

export type ServiceName = (typeof SERVICE_NAMES)[number];

/**
 * Processes on one host (or services in one process) need a metrics port each: the first gets
 * METRICS_PORT (9465 when unset), the next one more, in SERVICE_NAMES order; 0 turns them off.
 * Ops serves its own /metrics on OPS_PORT.
 */
export function metricsPorts(names: readonly string[], metricsPort: string | number | undefined): Record<string, number> {
  const base = Number(metricsPort === undefined || metricsPort === "" ? 9465 : metricsPort);
  const ports: Record<string, number> = {};
  if (base === 0) return ports;
  let next = base;
  for (const n of names) if (n !== "ops") ports[n] = next++;
  return ports;
}

/** Ops never runs open: without credentials it is left out (it would stop on a configuration error). */
export function hasOpsCredentials(env: { OPS_USER?: string; OPS_PASSWORD?: string; OPS_ADMIN_TOKEN?: string }): boolean {
  return Boolean((env.OPS_USER && env.OPS_PASSWORD) || env.OPS_ADMIN_TOKEN);
}
