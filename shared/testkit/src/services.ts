import { spawn, type ChildProcess } from "node:child_process";
import { resolve } from "node:path";
import { SERVICE_ENV, SERVICE_NODE_FLAGS } from "@ownerbot/core/ops";

export type ServiceName = "ingress" | "worker-intent" | "sender" | "worker-report" | "scheduler" | "ops" | "worker-action" | "worker-asr";
/** A process a test can start: one service, or all of them in one (services/all). */
export type ProcessName = ServiceName | "all";
/** What every world runs; worker-report (and its browser), the scheduler, ops, worker-action and worker-asr only when a test asks for them. */
type CoreService = "ingress" | "worker-intent" | "sender";

export type ServiceHandle = {
  name: ProcessName;
  proc: ChildProcess;
  /** Everything the process wrote, for assertions about logs (and secrets not in them). */
  output: () => string;
  exited: Promise<number | null>;
  kill: (signal?: NodeJS.Signals) => Promise<number | null>;
};

const ROOT = resolve(import.meta.dirname, "../../..");

// Services are separate processes: if a test file dies early (a timeout, a crash), they must not
// outlive it and keep consuming CPU and database connections.
const running = new Set<ChildProcess>();
process.once("exit", () => {
  for (const p of running) p.kill("SIGKILL");
});

/** Starts a real service process, as production runs it, with the test's environment. */
export function startService(name: ProcessName, env: Record<string, string>): ServiceHandle {
  const proc = spawn(process.execPath, [...SERVICE_NODE_FLAGS, resolve(ROOT, "services", name, "src/main.ts")], {
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...SERVICE_ENV, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const chunks: string[] = [];
  proc.stdout?.on("data", (b: Buffer) => chunks.push(b.toString()));
  proc.stderr?.on("data", (b: Buffer) => chunks.push(b.toString()));
  running.add(proc);
  const exited = new Promise<number | null>((r) =>
    proc.on("exit", (code) => {
      running.delete(proc);
      r(code);
    }),
  );
  return {
    name,
    proc,
    output: () => chunks.join(""),
    exited,
    kill: async (signal = "SIGTERM") => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      // A service that cannot shut down cleanly (its database is cut off, say) must not hang the test.
      const force = setTimeout(() => proc.kill("SIGKILL"), 8000);
      const code = await exited;
      clearTimeout(force);
      return code;
    },
  };
}

export type Stack = { [K in CoreService]: ServiceHandle } & {
  "worker-report"?: ServiceHandle;
  "worker-asr"?: ServiceHandle;
  scheduler?: ServiceHandle;
  ops?: ServiceHandle;
  "worker-action"?: ServiceHandle;
  stop: () => Promise<void>;
  /** Stops a service and starts it again, with `over` added to its environment when given. */
  restart: (name: ServiceName, signal?: NodeJS.Signals, over?: Record<string, string>) => Promise<void>;
  /** Everything every process of this stack wrote, restarted ones included (for the history checker). */
  logs: () => string;
};

export type StackOptions = {
  report?: boolean;
  scheduler?: boolean;
  /** The ops service (it needs OPS_USER/OPS_PASSWORD or OPS_ADMIN_TOKEN in the env). */
  ops?: boolean;
  action?: boolean;
  asr?: boolean;
  /** Variables for one service only, at every (re)start: its own METRICS_PORT, say. */
  envFor?: (name: ServiceName) => Record<string, string>;
};

const ALL: readonly ServiceName[] = [
  "ingress",
  "worker-intent",
  "sender",
  "worker-report",
  "scheduler",
  "ops",
  "worker-action",
  "worker-asr",
];

/** Ingress, intent worker and sender (and the report worker, the scheduler, ops, the action or the ASR worker when asked) against the given fake Bot API root. */
export function startStack(env: Record<string, string>, o: StackOptions = {}): Stack {
  const envOf = (name: ServiceName): Record<string, string> => ({ ...env, ...o.envFor?.(name) });
  const handles = {
    ingress: startService("ingress", envOf("ingress")),
    "worker-intent": startService("worker-intent", envOf("worker-intent")),
    sender: startService("sender", envOf("sender")),
    ...(o.report ? { "worker-report": startService("worker-report", envOf("worker-report")) } : {}),
    ...(o.scheduler ? { scheduler: startService("scheduler", envOf("scheduler")) } : {}),
    ...(o.ops ? { ops: startService("ops", envOf("ops")) } : {}),
    ...(o.action ? { "worker-action": startService("worker-action", envOf("worker-action")) } : {}),
    ...(o.asr ? { "worker-asr": startService("worker-asr", envOf("worker-asr")) } : {}),
  };
  const retired: ServiceHandle[] = [];
  const stack: Stack = {
    ...handles,
    stop: async () => {
      await Promise.all(ALL.map(async (n) => stack[n]?.kill("SIGTERM")));
    },
    restart: async (name, signal = "SIGKILL", over = {}) => {
      const old = stack[name];
      await old?.kill(signal);
      if (old) retired.push(old);
      stack[name] = startService(name, { ...envOf(name), ...over });
    },
    logs: () => [...retired, ...ALL.map((n) => stack[n])].map((h) => h?.output() ?? "").join(""),
  };
  return stack;
}
