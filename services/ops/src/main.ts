// Composition root of the ops service: bull-board over every declared queue, the work tables page,
// the cluster's gauges on /metrics, and /healthz + /readyz. Credentials on every request but the
// probes; read-only unless OPS_ALLOW_WRITE.
import { serve } from "@hono/node-server";
import { ConfigError, loadConfigOrExit } from "@ownerbot/shared/config/index";
import { createLogger } from "@ownerbot/shared/logger/index";
import { createPool } from "@ownerbot/shared/db/pool";
import { createRedis } from "@ownerbot/shared/queue/connection";
import { createMetrics } from "@ownerbot/shared/ops/metrics";
import { dependencyChecks } from "@ownerbot/shared/ops/health";
import { credentialProblems, type Credentials } from "./auth.ts";
import { createBoard } from "./board.ts";
import { registerClusterGauges } from "./gauges.ts";
import { createOpsApp } from "./app.ts";

const cfg = loadConfigOrExit();
const credentials: Credentials = { user: cfg.OPS_USER, password: cfg.OPS_PASSWORD, token: cfg.OPS_ADMIN_TOKEN };
const problems = credentialProblems(credentials);
if (problems.length > 0) {
  process.stderr.write(`${new ConfigError(problems).message}\n`);
  process.exit(2);
}
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

const server = serve({ fetch: app.fetch, port: cfg.OPS_PORT, hostname: cfg.OPS_HOST });
server.once("error", (err) => {
  log.fatal({ err, host: cfg.OPS_HOST, port: cfg.OPS_PORT }, "the ops service cannot listen (OPS_HOST/OPS_PORT)");
  process.exit(2);
});
server.once("listening", () =>
  log.info({ url: `http://${cfg.OPS_HOST}:${cfg.OPS_PORT}/`, write: cfg.OPS_ALLOW_WRITE, queues: [...board.all.keys()] }, "ops listening"),
);

let stopping = false;
const shutdown = async (signal: string): Promise<void> => {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, "stopping");
  await new Promise<void>((r) => server.close(() => r()));
  await board.close();
  connection.disconnect();
  await pool.end();
  log.flush();
  process.exit(0);
};
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
