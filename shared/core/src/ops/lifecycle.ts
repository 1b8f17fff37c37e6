// The one place that owns a process's life: configuration at start-up, signals, and the exit code.
// Services export a start function that returns a handle; only their main.ts calls runMain.
import { ConfigError, loadConfig, preflight, type Config } from "../config/index.ts";

/** A started service (or several in one process). */
export type Running = {
  /** Finishes the work in hand and closes every connection; the process may then exit. */
  stop: () => Promise<void>;
  /** Settles when the service ends by itself (the ingress's poll loop); undefined for workers. */
  done?: Promise<void>;
};

export type Needs = { telegram?: boolean };

/** A start-up problem the operator must fix (a missing binary, a port in use): exit code 2, no restart. */
export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StartupError";
  }
}

export type StartFn = (cfg: Config) => Promise<Running>;

/** The configuration, checked for what this process needs; throws ConfigError naming each variable. */
export function loadCheckedConfig(needs: Needs = {}, env: NodeJS.ProcessEnv = process.env): Config {
  const cfg = loadConfig(env);
  const problems = preflight(cfg, needs);
  if (problems.length > 0 && cfg.PREFLIGHT_FAIL_FAST) throw new ConfigError(problems);
  return cfg;
}

/** Ends start-up with the variables' names (exit code 2) when the configuration cannot work. */
export function loadConfigOrExit(needs: Needs = {}): Config {
  try {
    return loadCheckedConfig(needs);
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  }
}

const write = (name: string, msg: string, err?: unknown): void => {
  const detail = err instanceof Error ? (err.stack ?? err.message) : err === undefined ? "" : JSON.stringify(err);
  process.stderr.write(`${JSON.stringify({ level: 60, time: new Date().toISOString(), name, msg, err: detail || undefined })}\n`);
};

/**
 * Runs one composition root: config (exit 2 on a bad value), start, then SIGTERM/SIGINT → stop →
 * exit 0. A service that ends by itself exits 0, or 1 when it ended on an error; so does a failed
 * start or an error nothing caught. A second signal while stopping exits at once.
 */
export function runMain(name: string, start: StartFn, needs: Needs = {}): void {
  const cfg = loadConfigOrExit(needs);
  let running: Running | undefined;
  let stopping: Promise<void> | undefined;

  const stop = (code: number): Promise<void> =>
    (stopping ??= (async () => {
      // After an error the process must not hang on a stop that cannot finish.
      if (code !== 0) setTimeout(() => process.exit(code), 10_000).unref();
      try {
        await running?.stop();
      } catch (err) {
        write(name, "stopping failed", err);
        code = 1;
      }
      process.exit(code);
    })());

  for (const signal of ["SIGTERM", "SIGINT"] as const)
    process.on(signal, () => {
      if (stopping) process.exit(1);
      if (running) void stop(0);
      else process.exit(0); // still starting: nothing taken yet that a restart would not redo
    });
  process.on("uncaughtException", (err) => {
    write(name, "uncaught error; stopping", err);
    void stop(1);
  });
  process.on("unhandledRejection", (err) => {
    write(name, "unhandled rejection; stopping", err);
    void stop(1);
  });

  start(cfg).then(
    (r) => {
      running = r;
      r.done?.then(
        () => void stop(0),
        (err: unknown) => {
          write(name, "stopped on an error", err);
          void stop(1);
        },
      );
    },
    (err: unknown) => {
      const fatal = err instanceof StartupError || err instanceof ConfigError;
      write(name, fatal ? err.message : "start-up failed", fatal ? undefined : err);
      process.exit(fatal ? 2 : 1);
    },
  );
}

/** Stops handles in reverse order of start, each even when an earlier one failed; rethrows the first error. */
export async function stopAll(handles: Running[]): Promise<void> {
  const errors: unknown[] = [];
  for (const h of [...handles].reverse()) {
    try {
      await h.stop();
    } catch (err) {
      errors.push(err);
    }
  }
  if (errors.length > 0) throw errors[0] instanceof Error ? errors[0] : new Error(JSON.stringify(errors[0]));
}
