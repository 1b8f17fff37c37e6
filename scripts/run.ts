// `make run`: the bot against real Telegram with the settings in .env.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { ALL_IN_ONE, PIPELINE, hasOpsCredentials, runStep, splitRequested, supervise, withMetricsPorts } from "./supervisor.ts";

const envFile = resolve(import.meta.dirname, "../.env");
if (existsSync(envFile)) process.loadEnvFile(envFile);
const missing = ["BOT_TOKEN", "OWNER_IDS"].filter((k) => !process.env[k]);
if (missing.length > 0) {
  process.stderr.write(`${missing.join(" and ")} must be set: copy .env.example to .env and fill them in (see README).\n`);
  process.exit(2);
}
await runStep("shared/core/src/db/migrate-cli.ts", [], process.env);
// The ops board's URL is printed, its credentials never: they are in .env for whoever runs this.
const withOps = hasOpsCredentials(process.env);
// One process by default (the small-server footprint); SPLIT=1 runs one per service.
const { services, ports } = withMetricsPorts(
  splitRequested(process.env) ? PIPELINE.filter((s) => s.name !== "ops" || withOps) : ALL_IN_ONE,
  process.env,
);
const stack = supervise(services, process.env);
const opsUrl = `http://${process.env.OPS_HOST || "127.0.0.1"}:${process.env.OPS_PORT || "9464"}/`;
process.stdout.write(
  [
    "",
    withOps
      ? `  Queues (bull-board): ${opsUrl}  (OPS_USER/OPS_PASSWORD or OPS_ADMIN_TOKEN from .env)`
      : "  Ops board not started: set OPS_USER and OPS_PASSWORD (or OPS_ADMIN_TOKEN) in .env",
    `  Metrics:             ${
      Object.entries(ports)
        .map(([n, p]) => `${n} :${p}`)
        .join(", ") || "off (METRICS_PORT=0)"
    }`,
    "",
  ].join("\n") + "\n",
);
const stop = async (): Promise<void> => {
  await stack.stop();
  process.exit(0);
};
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());
