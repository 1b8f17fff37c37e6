// `make run`: the bot against real Telegram with the settings in .env.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { PIPELINE, runStep, supervise } from "./supervisor.ts";

const envFile = resolve(import.meta.dirname, "../.env");
if (existsSync(envFile)) process.loadEnvFile(envFile);
const missing = ["BOT_TOKEN", "OWNER_IDS"].filter((k) => !process.env[k]);
if (missing.length > 0) {
  process.stderr.write(`${missing.join(" and ")} must be set: copy .env.example to .env and fill them in (see README).\n`);
  process.exit(2);
}
await runStep("shared/src/db/migrate-cli.ts", [], process.env);
const stack = supervise(PIPELINE, process.env);
const stop = async (): Promise<void> => {
  await stack.stop();
  process.exit(0);
};
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());
