// Composition root of the ops service: bull-board over every declared queue, the work tables page,
// the cluster's gauges on /metrics, and /healthz + /readyz. Credentials on every request but the
// probes; read-only unless OPS_ALLOW_WRITE.
import { serve } from "@hono/node-server";
import { ConfigError, type Config } from "@ownerbot/core/config";
import { createLogger } from "@ownerbot/core/logger";
import { createPool } from "@ownerbot/core/db";
import { createRedis } from "@ownerbot/core/queue";
import { createMetrics, dependencyChecks, type Running, StartupError } from "@ownerbot/core/ops";
import { credentialProblems, type Credentials } from "./auth.ts";
import { createBoard } from "./board.ts";
import { registerClusterGauges } from "./gauges.ts";
import { createOpsApp } from "./app.ts";

export async function start(cfg: Config): Promise<Running> {
  const credentials: Credentials = { user: cfg.OPS_USER, password: cfg.OPS_PASSWORD, token: cfg.OPS_ADMIN_TOKEN };
  const problems = credentialProblems(credentials);
  if (problems.length > 0) throw new ConfigError(problems);
  const log = createLogger({ name: "ops", level: cfg.LOG_LEVEL, secrets: cfg.secrets });
  const pool = createPool(cfg.DATABASE_URL, 3);
  // Fails fast while Redis is away, so the board and the probes answer "Redis is down" at once.
  const connection = createRedis(cfg.REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  connection.on("error", () => undefined);
  const metrics = createMetrics("ops");
  const board = createBoard({ connection, prefix: cfg.QUEUE_PREFIX, pool, allowWrite: cfg.OPS_ALLOW_WRITE, log });
  registerClusterGauges({ metrics, queues: board.all, pool, log });
  const app = createOpsApp({
    credentials,
    allowWrite: cfg.OPS_ALLOW_WRITE,
    pool,
    board,
    metrics,
    checks: dependencyChecks({ pool, redis: connection }),
    log,
  });

  const close = async (): Promise<void> => {
    await board.close();
    connection.disconnect();
    await pool.end();
  };
  const server = serve({ fetch: app.fetch, port: cfg.OPS_PORT, hostname: cfg.OPS_HOST });
  try {
    await new Promise<void>((ok, fail) => {
      server.once("listening", ok);
      server.once("error", fail);
    });
  } catch (err) {
    await close();
    throw new StartupError(
      `the ops service cannot listen on ${cfg.OPS_HOST}:${cfg.OPS_PORT} (OPS_HOST/OPS_PORT): ${(err as Error).message}`,
    );
  }
  log.info({ url: `http://${cfg.OPS_HOST}:${cfg.OPS_PORT}/`, write: cfg.OPS_ALLOW_WRITE, queues: [...board.all.keys()] }, "ops listening");

  return {
    stop: async () => {
      log.info("stopping");
      await new Promise<void>((r) => server.close(() => r()));
      await close();
      log.flush();
    },
  };
}
