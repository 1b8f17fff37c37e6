import { hostname } from "node:os";
import { envSchema, type Env } from "./schema.ts";

export type { Env } from "./schema.ts";
export { ENV_KEYS } from "./schema.ts";

export class ConfigError extends Error {
  readonly problems: { variable: string; message: string }[];
  constructor(problems: { variable: string; message: string }[]) {
    super(
      "Invalid configuration:\n" +
        problems.map((p) => `  ${p.variable}: ${p.message}`).join("\n") +
        "\nFix the variable(s) above in .env or the environment (see docs/configuration.md).",
    );
    this.name = "ConfigError";
    this.problems = problems;
  }
}

export type Config = Env & {
  /** A name for this process in leases and logs. */
  workerId: string;
  /** The secrets this process knows, for the log scrubber. */
  secrets: string[];
};

/** The only reader of process.env: parse once in main.ts and pass the result down. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const raw: Record<string, string | undefined> = {};
  for (const key of Object.keys(envSchema.shape)) raw[key] = env[key];
  const parsed = envSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => ({ variable: String(i.path[0] ?? "?"), message: i.message })));
  }
  const cfg = parsed.data;
  if (cfg.INBOX_MAX_NEW > cfg.INBOX_MAX_TOTAL) {
    throw new ConfigError([
      { variable: "INBOX_MAX_NEW", message: `must not exceed INBOX_MAX_TOTAL (${cfg.INBOX_MAX_TOTAL}), got ${cfg.INBOX_MAX_NEW}` },
    ]);
  }
  if ((cfg.OPS_USER === "") !== (cfg.OPS_PASSWORD === "")) {
    const missing = cfg.OPS_USER === "" ? "OPS_USER" : "OPS_PASSWORD";
    throw new ConfigError([{ variable: missing, message: "OPS_USER and OPS_PASSWORD go together: set both, or neither" }]);
  }
  if (cfg.METRICS_PORT !== 0 && cfg.METRICS_PORT === cfg.OPS_PORT) {
    throw new ConfigError([
      { variable: "METRICS_PORT", message: `must differ from OPS_PORT (${cfg.OPS_PORT}), where the ops service listens` },
    ]);
  }
  return {
    ...cfg,
    workerId: (cfg.WORKER_ID || `${hostname()}-${process.pid}`).replace(/[^A-Za-z0-9_.@-]/g, "_"),
    secrets: [
      cfg.BOT_TOKEN,
      cfg.SIS_OWNERBOT_API_KEY,
      cfg.OPENAI_API_KEY,
      cfg.SIZEBOT_API_KEY,
      cfg.OPS_ADMIN_TOKEN,
      cfg.OPS_PASSWORD,
    ].filter((s) => s.length >= 6),
  };
}

export type PreflightProblem = { code: string; variable: string; message: string };

/** What a process that talks to real upstreams needs; a missing piece stops start-up by name. */
export function preflight(cfg: Config, needs: { telegram?: boolean } = {}): PreflightProblem[] {
  const problems: PreflightProblem[] = [];
  if (needs.telegram === true && cfg.BOT_TOKEN === "")
    problems.push({ code: "BOT_TOKEN_MISSING", variable: "BOT_TOKEN", message: "set the bot token from @BotFather in .env" });
  if (needs.telegram === true && cfg.BOT_TOKEN !== "" && !/^\d+:[A-Za-z0-9_-]{6,}$/.test(cfg.BOT_TOKEN))
    problems.push({ code: "BOT_TOKEN_INVALID", variable: "BOT_TOKEN", message: "expected <digits>:<secret> as issued by @BotFather" });
  if (needs.telegram === true && cfg.OWNER_IDS.length === 0)
    problems.push({
      code: "OWNER_IDS_MISSING",
      variable: "OWNER_IDS",
      message: "set your numeric Telegram user id (comma-separated for several owners)",
    });
  if ((cfg.ASR_PROVIDER === "openai" || cfg.LLM_PROVIDER === "OPENAI") && cfg.OPENAI_API_KEY === "")
    problems.push({
      code: "OPENAI_KEY_MISSING",
      variable: "OPENAI_API_KEY",
      message: "required by ASR_PROVIDER=openai or LLM_PROVIDER=OPENAI",
    });
  if (cfg.UPSTREAM_MODE === "SIS_HTTP" && cfg.SIS_BASE_URL === "")
    problems.push({ code: "SIS_BASE_URL_MISSING", variable: "SIS_BASE_URL", message: "required when UPSTREAM_MODE=SIS_HTTP" });
  if (cfg.UPSTREAM_MODE === "SIS_HTTP" && cfg.SIS_OWNERBOT_API_KEY === "")
    problems.push({ code: "SIS_API_KEY_MISSING", variable: "SIS_OWNERBOT_API_KEY", message: "required when UPSTREAM_MODE=SIS_HTTP" });
  return problems;
}
