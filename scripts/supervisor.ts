// A small process supervisor for `make demo` and `make run`: starts each service as its own
// process (as production would), prints their logs in one readable stream, restarts a crashed
// service with backoff, and stops everything on Ctrl-C.
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { resolve } from "node:path";
import { hasOpsCredentials, metricsPorts, SERVICE_ENV, SERVICE_NAMES, SERVICE_NODE_FLAGS } from "@ownerbot/core/ops";

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

export const PIPELINE: ServiceSpec[] = SERVICE_NAMES.map((name) => ({ name, script: `services/${name}/src/main.ts` }));

/** All of them in one process (services/all): the small default of `make run` and `make demo`. */
export const ALL_IN_ONE: ServiceSpec[] = [{ name: "ownerbot", script: "services/all/src/main.ts" }];

/** SPLIT=1 (or OWNERBOT_PROCESSES=split) runs one process per service, as a scaled-out deployment would. */
export function splitRequested(env: NodeJS.ProcessEnv): boolean {
  return env.SPLIT === "1" || env.OWNERBOT_PROCESSES === "split";
}

/** Each process gets its metrics port (all-in-one assigns them to its services itself, the same way). */
export function withMetricsPorts(
  services: ServiceSpec[],
  env: NodeJS.ProcessEnv,
): { services: ServiceSpec[]; ports: Record<string, number> } {
  const allInOne = services === ALL_IN_ONE;
  const ports = metricsPorts(allInOne ? SERVICE_NAMES : services.map((s) => s.name), env.METRICS_PORT);
  // The all-in-one process numbers its services' ports from the first one itself.
  if (allInOne) return { services: services.map((s) => ({ ...s, env: { ...s.env, METRICS_PORT: String(ports.ingress ?? 0) } })), ports };
  const out = services.map((s) => (ports[s.name] === undefined ? s : { ...s, env: { ...s.env, METRICS_PORT: String(ports[s.name]) } }));
  return { services: out, ports };
}

export { hasOpsCredentials };

export async function runStep(script: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  await new Promise<void>((ok, fail) => {
    const c = spawn(process.execPath, [resolve(ROOT, script), ...args], { env, stdio: "inherit" });
    c.on("exit", (code) => (code === 0 ? ok() : fail(new Error(`${script} exited with ${code}`))));
  });
}
