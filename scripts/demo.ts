// `make demo`: the whole bot on local defaults against the in-repo fake Telegram, no token needed.
// `make demo-sis` (DEMO_UPSTREAM=SIS_HTTP): the same with UPSTREAM_MODE=SIS_HTTP against the SIS
// simulator (scripts/sis-sim.ts), which serves its own generated shop from a second database.
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { startFakeTelegram } from "@ownerbot/testkit/fake-telegram";
import { ALL_IN_ONE, PIPELINE, runStep, splitRequested, supervise, withMetricsPorts } from "./supervisor.ts";

const ROOT = resolve(import.meta.dirname, "..");
const OWNER = 1001;
const port = Number(process.env.FAKE_TELEGRAM_PORT ?? 8081);

const tg = await startFakeTelegram({ port, webChatUserId: OWNER }).catch(() => startFakeTelegram({ port: 0, webChatUserId: OWNER }));

const sisMode = process.env.DEMO_UPSTREAM === "SIS_HTTP";
const sisPort = process.env.SIS_SIM_PORT ?? "8091";
const sisKey = process.env.SIS_SIM_KEY ?? "sis-sim-key";
const sisDb = process.env.SIS_SIM_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/ownerbot_sis_sim";

const env: NodeJS.ProcessEnv = {
  ...process.env,
  BOT_TOKEN: "100000:DEMO-local-fake-token",
  OWNER_IDS: String(OWNER),
  TELEGRAM_API_ROOT: tg.apiRoot,
  DATABASE_URL: process.env.DEMO_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/ownerbot_demo",
  REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379/0",
  QUEUE_PREFIX: process.env.DEMO_QUEUE_PREFIX ?? "obdemo",
  UPSTREAM_MODE: sisMode ? "SIS_HTTP" : "DEMO",
  ...(sisMode ? { SIS_BASE_URL: `http://127.0.0.1:${sisPort}`, SIS_OWNERBOT_API_KEY: sisKey } : {}),
  // Free text the rules miss goes to the planner: the deterministic MOCK unless a real key is given.
  LLM_PROVIDER: process.env.LLM_PROVIDER ?? (process.env.OPENAI_API_KEY ? "OPENAI" : "MOCK"),
  LOG_LEVEL: process.env.LOG_LEVEL ?? "info",
  // The demo's ops board needs credentials like any other: a pair made for this run unless given.
  OPS_USER: process.env.OPS_USER || "demo",
  OPS_PASSWORD: process.env.OPS_PASSWORD || randomBytes(12).toString("base64url"),
  OPS_PORT: process.env.OPS_PORT ?? "9464",
};
const opsUrl = `http://${env.OPS_HOST ?? "127.0.0.1"}:${env.OPS_PORT}/`;
// One process by default (the small-server footprint); SPLIT=1 runs one per service.
const split = splitRequested(env);
const { services, ports } = withMetricsPorts(split ? PIPELINE : ALL_IN_ONE, env);

await runStep("shared/core/src/db/migrate-cli.ts", ["--recreate-if-changed"], env);
if (existsSync(resolve(ROOT, "shared/domain/src/demo/seed-cli.ts"))) {
  await runStep("shared/domain/src/demo/seed-cli.ts", ["--scale", process.env.SCALE ?? "5000", "--if-empty"], env);
}
if (sisMode) {
  // SIS's shop is another generated shop (another seed), so /shadow_check has differences to show.
  const simEnv = { ...env, DATABASE_URL: sisDb };
  await runStep("shared/core/src/db/migrate-cli.ts", ["--recreate-if-changed"], simEnv);
  await runStep("shared/domain/src/demo/seed-cli.ts", ["--scale", process.env.SCALE ?? "5000", "--seed", "7", "--if-empty"], simEnv);
}
const all = sisMode
  ? [
      {
        name: "sis-sim",
        script: "scripts/sis-sim.ts",
        env: { SIS_SIM_DATABASE_URL: sisDb, SIS_SIM_PORT: sisPort, SIS_SIM_KEY: sisKey, SIS_SIM_ACTORS: String(OWNER) },
      },
      ...services,
    ]
  : services;
const stack = supervise(all, env);

const banner = [
  "",
  sisMode
    ? `  OwnerBot demo is running with UPSTREAM_MODE=SIS_HTTP against the SIS simulator on :${sisPort}.`
    : "  OwnerBot demo is running.",
  `  Open the web chat:   ${tg.webChatUrl}`,
  `  Fake Bot API root:   ${tg.apiRoot}`,
  `  Processes:           ${split ? "one per service (SPLIT=1)" : "all services in one (SPLIT=1 for one per service)"}`,
  `  Queues (bull-board): ${opsUrl}  user ${env.OPS_USER}, password ${env.OPS_PASSWORD}${env.OPS_ALLOW_WRITE ? "" : " (read-only; OPS_ALLOW_WRITE=1 allows retries)"}`,
  `  Work tables:         ${opsUrl}ops/tables`,
  `  Metrics:             ${
    Object.entries(ports)
      .map(([n, p]) => `${n} :${p}`)
      .join(", ") || "off"
  } (/metrics, /healthz, /readyz)`,
  "  Type /start there. Ctrl-C stops everything.",
  "  Voice: the 🎤 button records (where the browser allows the microphone), 📎 uploads a file;",
  "  the demo's mock transcriber hears MOCK_ASR_TEXT (ASR_PROVIDER=openai for a real one).",
  `  text no rule understands goes to the LLM planner: ${env.LLM_PROVIDER} (try «покажи хиты», «дай идеи по акциям»).`,
  "",
].join("\n");
process.stdout.write(`\x1b[1m${banner}\x1b[0m\n`);

let stopping = false;
const stop = async (): Promise<void> => {
  if (stopping) return;
  stopping = true;
  process.stdout.write("\nstopping the demo…\n");
  await stack.stop();
  await tg.close();
  process.exit(0);
};
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());
