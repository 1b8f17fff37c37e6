// A small process supervisor for `make demo` and `make run`: starts each service as its own
// process (as production would), prints their logs in one readable stream, restarts a crashed
// service with backoff, and stops everything on Ctrl-C.
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { resolve } from "node:path";
import { SERVICE_ENV, SERVICE_NODE_FLAGS } from "../shared/src/ops/node-flags.ts";

const ROOT = resolve(import.meta.dirname, "..");
const COLORS = [36, 35, 33, 32, 34, 31];
const LEVELS: Record<number, string> = { 10: "trace", 20: "debug", 30: "info", 40: "WARN", 50: "ERROR", 60: "FATAL" };

/** `env` is added to this service's environment only (its own METRICS_PORT, say). */
export type ServiceSpec = { name: string; script: string; env?: Record<string, string> };

function printLine(name: string, color: number, line: string): void {
  let text = line;
  try {
    const j = JSON.parse(line) as Record<string, unknown>;
    const { level, time, msg, svc: _s, name: _n, pid: _p, hostname: _h, ...rest } = j;
    const extra = Object.keys(rest).length > 0 ? ` ${JSON.stringify(rest)}` : "";
    const t = typeof time === "string" ? time.slice(11, 19) : "";
    text = `${t} ${LEVELS[level as number] ?? String(level)} ${typeof msg === "string" ? msg : JSON.stringify(msg)}${extra}`;
  } catch {
    /* not JSON: print as is */
  }
  process.stdout.write(`\x1b[${color}m${name.padEnd(14)}\x1b[0m ${text}\n`);
}

export function supervise(services: ServiceSpec[], env: NodeJS.ProcessEnv): { stop: () => Promise<void> } {
  const children = new Map<string, ChildProcess>();
  let stopping = false;

  const start = (spec: ServiceSpec, idx: number, failures = 0): void => {
    const color = COLORS[idx % COLORS.length]!;
    const child = spawn(process.execPath, [...SERVICE_NODE_FLAGS, resolve(ROOT, spec.script)], {
      env: { ...SERVICE_ENV, ...env, ...spec.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.set(spec.name, child);
    const startedAt = Date.now();
    for (const s of [child.stdout, child.stderr]) createInterface({ input: s }).on("line", (l) => printLine(spec.name, color, l));
    child.on("exit", (code, signal) => {
      children.delete(spec.name);
      if (stopping) return;
      const quick = Date.now() - startedAt < 10_000;
      const next = quick ? failures + 1 : 0;
      if (code === 2) {
        printLine(spec.name, color, "stopped on a configuration error (see above); fix it and start again");
        return;
      }
      const wait = Math.min(500 * 2 ** next, 15_000);
      printLine(spec.name, color, `exited (${signal ?? code}); restarting in ${wait} ms`);
      setTimeout(() => start(spec, idx, next), wait).unref();
    });
  };

  services.forEach((s, i) => start(s, i));
  return {
    stop: async () => {
      stopping = true;
      await Promise.all(
        [...children.values()].map(
          (c) =>
            new Promise<void>((r) => {
              const kill = setTimeout(() => c.kill("SIGKILL"), 10_000);
              c.on("exit", () => (clearTimeout(kill), r()));
              c.kill("SIGTERM");
            }),
        ),
      );
    },
  };
}

export const PIPELINE: ServiceSpec[] = [
  { name: "ingress", script: "services/ingress/src/main.ts" },
  { name: "worker-intent", script: "services/worker-intent/src/main.ts" },
  { name: "sender", script: "services/sender/src/main.ts" },
  { name: "scheduler", script: "services/scheduler/src/main.ts" },
  { name: "worker-report", script: "services/worker-report/src/main.ts" },
  { name: "ops", script: "services/ops/src/main.ts" },
  { name: "worker-action", script: "services/worker-action/src/main.ts" },
  { name: "worker-asr", script: "services/worker-asr/src/main.ts" },
];

/**
 * Processes on one host need a metrics port each: the first service gets METRICS_PORT (9465 when
 * unset), the next one more, in PIPELINE order; METRICS_PORT=0 turns them off. Ops has OPS_PORT.
 */
export function withMetricsPorts(
  services: ServiceSpec[],
  env: NodeJS.ProcessEnv,
): { services: ServiceSpec[]; ports: Record<string, number> } {
  const base = Number(env.METRICS_PORT || 9465);
  const ports: Record<string, number> = {};
  let next = base;
  const out = services.map((s) => {
    if (s.name === "ops" || base === 0) return s;
    ports[s.name] = next++;
    return { ...s, env: { ...s.env, METRICS_PORT: String(ports[s.name]) } };
  });
  return { services: out, ports };
}

/** Ops never runs open: without credentials it is left out (it would stop on a configuration error). */
export function hasOpsCredentials(env: NodeJS.ProcessEnv): boolean {
  return Boolean((env.OPS_USER && env.OPS_PASSWORD) || env.OPS_ADMIN_TOKEN);
}

export async function runStep(script: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  await new Promise<void>((ok, fail) => {
    const c = spawn(process.execPath, [resolve(ROOT, script), ...args], { env, stdio: "inherit" });
    c.on("exit", (code) => (code === 0 ? ok() : fail(new Error(`${script} exited with ${code}`))));
  });
}
