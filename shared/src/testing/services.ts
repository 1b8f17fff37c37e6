import { spawn, type ChildProcess } from "node:child_process";
import { resolve } from "node:path";

export type ServiceName = "ingress" | "worker-intent" | "sender" | "worker-report" | "scheduler" | "worker-asr";
/** What every world runs; worker-report (and its browser), the scheduler and worker-asr only when a test asks for them. */
type CoreService = "ingress" | "worker-intent" | "sender";

export type ServiceHandle = {
  name: ServiceName;
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
export function startService(name: ServiceName, env: Record<string, string>): ServiceHandle {
  const proc = spawn(process.execPath, [resolve(ROOT, "services", name, "src/main.ts")], {
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...env },
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

const ALL = ["ingress", "worker-intent", "sender", "worker-report", "scheduler", "worker-asr"] as const;

export type Stack = { [K in CoreService]: ServiceHandle } & {
  "worker-report"?: ServiceHandle;
  "worker-asr"?: ServiceHandle;
  scheduler?: ServiceHandle;
  stop: () => Promise<void>;
  /** Stops a service and starts it again, with `over` added to its environment when given. */
  restart: (name: ServiceName, signal?: NodeJS.Signals, over?: Record<string, string>) => Promise<void>;
  /** Everything every process of this stack wrote, restarted ones included (for the history checker). */
  logs: () => string;
};

/** Ingress, intent worker and sender (and the report worker, the scheduler or the ASR worker when asked) against the given fake Bot API root. */
export function startStack(env: Record<string, string>, o: { report?: boolean; scheduler?: boolean; asr?: boolean } = {}): Stack {
  const handles = {
    ingress: startService("ingress", env),
    "worker-intent": startService("worker-intent", env),
    sender: startService("sender", env),
    ...(o.report ? { "worker-report": startService("worker-report", env) } : {}),
    ...(o.asr ? { "worker-asr": startService("worker-asr", env) } : {}),
    ...(o.scheduler ? { scheduler: startService("scheduler", env) } : {}),
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
      stack[name] = startService(name, { ...env, ...over });
    },
    logs: () => [...retired, ...ALL.map((n) => stack[n])].map((h) => h?.output() ?? "").join(""),
  };
  return stack;
}
