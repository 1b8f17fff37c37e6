import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "../logger/index.ts";
import type { Metrics } from "./metrics.ts";

/**
 * A readiness check: resolves when its part works, throws (or returns a reason) when it does not.
 * `/readyz` runs them all, each under a deadline, so one hung dependency cannot hang the probe.
 */
export type Check = () => Promise<string | void> | string | void;
export type Checks = Record<string, Check>;

export type Readiness = { ready: boolean; checks: Record<string, string> };

const CHECK_TIMEOUT_MS = 2000;

export async function readiness(checks: Checks): Promise<Readiness> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]): Promise<[string, string]> => {
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<string>(
        (r) => (timer = setTimeout(() => r(`no answer within ${CHECK_TIMEOUT_MS} ms`), CHECK_TIMEOUT_MS)),
      );
      try {
        const why = await Promise.race([Promise.resolve().then(check), deadline]);
        return [name, typeof why === "string" && why !== "" ? why : "ok"];
      } catch (err) {
        return [name, err instanceof Error ? err.message || err.name : String(err)];
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return { ready: entries.every(([, v]) => v === "ok"), checks: Object.fromEntries(entries) };
}

/** The checks every process has: its Postgres pool and its Redis connection answer. */
export function dependencyChecks(d: {
  pool?: { query: (sql: string) => Promise<unknown> };
  redis?: { ping: () => Promise<unknown> };
}): Checks {
  return {
    ...(d.pool ? { postgres: async () => void (await d.pool!.query("SELECT 1")) } : {}),
    ...(d.redis ? { redis: async () => void (await d.redis!.ping()) } : {}),
  };
}

export type OpsEndpoints = { readonly port: number; stop: () => Promise<void> };

/**
 * `/metrics` (Prometheus text), `/healthz` (the process answers: alive) and `/readyz` (every check
 * passes: 200, else 503 with what failed) on `host:port`. Port 0 listens nowhere, as METRICS_PORT=0
 * means. No credentials: bind it to localhost or a private network (docs/operations.md).
 */
export async function startOpsEndpoints(o: {
  host: string;
  port: number;
  metrics: Metrics;
  checks: Checks;
  log: Logger;
}): Promise<OpsEndpoints> {
  if (o.port === 0) return { port: 0, stop: async () => undefined };
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    const send = (status: number, type: string, body: string): void => {
      res.writeHead(status, { "content-type": type, "cache-control": "no-store" }).end(body);
    };
    if (req.method !== "GET" && req.method !== "HEAD") return send(405, "text/plain", "method not allowed\n");
    if (path === "/healthz") return send(200, "application/json", '{"status":"alive"}\n');
    if (path === "/readyz") {
      void readiness(o.checks).then((r) =>
        send(r.ready ? 200 : 503, "application/json", `${JSON.stringify({ status: r.ready ? "ready" : "not ready", ...r })}\n`),
      );
      return;
    }
    if (path === "/metrics") {
      o.metrics.registry
        .metrics()
        .then((text) => send(200, o.metrics.registry.contentType, text))
        .catch((err: unknown) => {
          o.log.warn({ err }, "collecting metrics failed");
          send(500, "text/plain", "collecting metrics failed\n");
        });
      return;
    }
    send(404, "text/plain", "not found: /metrics, /healthz, /readyz\n");
  });
  // A port in use costs this process its probes, not its work: it says so and goes on (its
  // healthcheck then fails, which is how compose or the operator notices).
  const listening = await new Promise<boolean>((ok) => {
    const failed = (err: Error): void => {
      o.log.error({ err, host: o.host, port: o.port }, "metrics and health endpoints cannot listen (METRICS_PORT); running without them");
      ok(false);
    };
    server.once("error", failed);
    server.listen(o.port, o.host, () => {
      server.off("error", failed);
      ok(true);
    });
  });
  if (!listening) return { port: 0, stop: async () => undefined };
  server.unref();
  const port = (server.address() as AddressInfo).port;
  o.log.info({ host: o.host, port }, "metrics and health endpoints listening");
  return {
    port,
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}
