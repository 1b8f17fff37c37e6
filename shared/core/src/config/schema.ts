import { z } from "zod";
import { bool, idList, num, oneOf, str, timeZone, url, wordList } from "./env-parsers.ts";

/**
 * Every environment variable OwnerBot reads. docs/configuration.md documents each one;
 * a test keeps the two in step.
 */
export const envSchema = z.object({
  // Telegram
  BOT_TOKEN: str(""),
  OWNER_IDS: idList(),
  MANAGER_CHAT_IDS: idList(),
  TELEGRAM_API_ROOT: url("https://api.telegram.org"),
  TELEGRAM_TIMEOUT_MS: num(10_000, { min: 100, max: 120_000, int: true }),
  TELEGRAM_POLL_TIMEOUT_SEC: num(25, { min: 0, max: 30, int: true }),
  TELEGRAM_GLOBAL_RATE_PER_SEC: num(30, { min: 0, max: 10_000 }),
  TELEGRAM_CHAT_RATE_PER_SEC: num(1, { min: 0, max: 1000 }),
  ACCESS_DENY_AUDIT_ENABLED: bool(true),
  ACCESS_DENY_AUDIT_TTL_SEC: num(60, { min: 1, max: 86_400, int: true }),
  ACCESS_DENY_NOTIFY_ONCE: bool(false),

  // Storage and queues
  DATABASE_URL: url("postgres://postgres@127.0.0.1:5432/ownerbot"),
  DATABASE_POOL_SIZE: num(10, { min: 1, max: 200, int: true }),
  REDIS_URL: url("redis://127.0.0.1:6379/0"),
  QUEUE_PREFIX: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const p = v === undefined || v.trim() === "" ? "ob" : v.trim();
      if (!/^[A-Za-z0-9_-]{1,40}$/.test(p)) {
        ctx.addIssue({ code: "custom", message: `expected 1-40 letters, digits, _ or -, got "${v}"` });
        return z.NEVER;
      }
      return p;
    }),
  INBOX_MAX_NEW: num(5_000, { min: 1, int: true }),
  INBOX_MAX_TOTAL: num(50_000, { min: 1, int: true }),
  OVERLOAD_NOTICE_WINDOW_SEC: num(60, { min: 1, max: 3600, int: true }),
  LEASE_SEC: num(3, { min: 1, max: 3600, int: true }),
  JOB_BACKOFF_BASE_MS: num(500, { min: 10, max: 600_000, int: true }),
  JOB_BACKOFF_MAX_MS: num(15_000, { min: 10, max: 3_600_000, int: true }),
  INTENT_CONCURRENCY: num(16, { min: 1, max: 512, int: true }),
  INTENT_MAX_ATTEMPTS: num(5, { min: 1, max: 50, int: true }),
  INTENT_TIMEOUT_MS: num(15_000, { min: 100, max: 600_000, int: true }),
  SENDER_CONCURRENCY: num(32, { min: 1, max: 512, int: true }),
  SENDER_MAX_ATTEMPTS: num(8, { min: 1, max: 100_000, int: true }),
  SENDER_RETRY_WINDOW_SEC: num(3600, { min: 0, max: 7 * 86_400, int: true }),
  SENDER_REPLY_MAX_AGE_SEC: num(86_400, { min: 60, max: 30 * 86_400, int: true }),
  SENDER_AUTH_PROBE_SEC: num(5, { min: 1, max: 3600, int: true }),
  SWEEP_INTERVAL_MS: num(1_000, { min: 100, max: 600_000, int: true }),
  SWEEP_STALE_MS: num(2_000, { min: 100, max: 600_000, int: true }),
  // Reports (charts drawn by worker-report with resvg or Chromium; PDFs always in a headless Chromium)
  CHROMIUM_PATH: str("/usr/bin/chromium"),
  REPORT_CHART_RENDERER: oneOf(["resvg", "chromium"] as const, "resvg", false),
  REPORT_FONT_DIR: str("/usr/share/fonts/truetype/dejavu"),
  REPORT_CONCURRENCY: num(1, { min: 1, max: 16, int: true }),
  REPORT_TIMEOUT_MS: num(30_000, { min: 1_000, max: 600_000, int: true }),
  REPORT_BROWSER_IDLE_SEC: num(60, { min: 0, max: 86_400, int: true }),
  REPORT_MAX_ATTEMPTS: num(3, { min: 1, max: 20, int: true }),
  // Actions (preview → confirm → commit; the commit runs in worker-action)
  ACTION_CONFIRM_TTL_SEC: num(300, { min: 10, max: 86_400, int: true }),
  ACTION_PREVIEW_TIMEOUT_MS: num(5_000, { min: 100, max: 120_000, int: true }),
  ACTION_CONCURRENCY: num(8, { min: 1, max: 256, int: true }),
  ACTION_MAX_ATTEMPTS: num(5, { min: 1, max: 50, int: true }),
  ACTION_TIMEOUT_MS: num(30_000, { min: 100, max: 600_000, int: true }),

  // Shop (the reference hard-coded these; here they are settings)
  SHOP_ID: str("shop_001"),
  SHOP_CURRENCY: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const c = (v ?? "RUB").trim().toUpperCase();
      if (!/^[A-Z]{3}$/.test(c)) {
        ctx.addIssue({ code: "custom", message: `expected an ISO 4217 code such as RUB or EUR, got "${v}"` });
        return z.NEVER;
      }
      return c;
    }),
  OWNER_TZ: timeZone("Europe/Moscow"),
  SHOP_LOCALE: str("ru-RU"),

  // Upstream (SIS)
  UPSTREAM_MODE: oneOf(["DEMO", "SIS_HTTP", "AUTO"] as const, "DEMO"),
  SIS_BASE_URL: url("", { optional: true }),
  SIS_OWNERBOT_API_KEY: str(""),
  SIS_TIMEOUT_SEC: num(15, { min: 0.1, max: 300 }),
  SIS_MAX_RETRIES: num(2, { min: 0, max: 10, int: true }),
  SIS_RETRY_BACKOFF_BASE_SEC: num(0.7, { min: 0, max: 60 }),
  // The breaker opens after this many consecutive failed calls and lets one trial through after the pause.
  SIS_BREAKER_THRESHOLD: num(3, { min: 1, max: 100, int: true }),
  SIS_BREAKER_HALF_OPEN_SEC: num(10, { min: 0.1, max: 3600 }),
  // Calls to SIS in flight per process; more are refused at once, so a stalled SIS holds at most these slots.
  SIS_MAX_IN_FLIGHT: num(4, { min: 1, max: 256, int: true }),
  UPSTREAM_RUNTIME_TOGGLE_ENABLED: bool(true),
  UPSTREAM_REDIS_KEY: str("ownerbot:upstream_mode"),
  DIAGNOSTICS_ENABLED: bool(true),
  SHADOW_CHECK_ENABLED: bool(true),
  SIS_CONTRACT_CHECK_ENABLED: bool(true),
  PREFLIGHT_FAIL_FAST: bool(true),
  SIZEBOT_BASE_URL: url("", { optional: true }),
  SIZEBOT_API_KEY: str(""),
  SIZEBOT_CHECK_ENABLED: bool(false),
  SHADOW_AUTO_ON_TOOL_CALLS: bool(false),

  // Voice and language models
  ASR_PROVIDER: oneOf(["mock", "openai"] as const, "mock", false),
  ASR_CONFIDENCE_THRESHOLD: num(0.75, { min: 0, max: 1 }),
  OPENAI_API_KEY: str(""),
  OPENAI_ASR_MODEL: str("gpt-4o-mini-transcribe"),
  OPENAI_LLM_MODEL: str("gpt-4.1-mini"),
  OPENAI_BASE_URL: url("https://api.openai.com"),
  LLM_PROVIDER: oneOf(["OFF", "MOCK", "OPENAI"] as const, "OFF"),
  LLM_TIMEOUT_SECONDS: num(20, { min: 0.1, max: 300 }),
  LLM_MAX_INPUT_CHARS: num(2000, { min: 1, max: 100_000, int: true }),
  LLM_ALLOWED_ACTION_TOOLS: wordList(["notify_team", "flag_order"]),
  LLM_ORDER_WAIT_SEC: num(15, { min: 0, max: 600 }),
  LLM_CONCURRENCY: num(4, { min: 1, max: 64, int: true }),
  LLM_MAX_ATTEMPTS: num(2, { min: 1, max: 10, int: true }),
  // The advisor's data brief is kept this long and served again (its facts show their as_of); a
  // refresh inside the cooldown shows the kept one (reference §10.1: 900 s and 120 s).
  ADVICE_BRIEF_CACHE_SEC: num(900, { min: 0, max: 86_400, int: true }),
  ADVICE_BRIEF_COOLDOWN_SEC: num(120, { min: 0, max: 3600, int: true }),
  ASR_TIMEOUT_SEC: num(20, { min: 0.1, max: 300 }),
  // Telegram lets bots download files of up to 20 MB.
  ASR_MAX_FILE_MB: num(20, { min: 0.01, max: 20 }),
  ASR_MAX_SECONDS: num(300, { min: 1, max: 3600, int: true }),
  // How long a chat's later messages wait behind a voice being transcribed (promise 6 bounds it).
  ASR_ORDER_WAIT_SEC: num(20, { min: 0, max: 600 }),
  ASR_RETRY_WINDOW_SEC: num(6 * 3600, { min: 10, max: 7 * 86_400, int: true }),
  ASR_BACKOFF_MAX_SEC: num(120, { min: 1, max: 3600 }),
  ASR_CONVERT_TIMEOUT_SEC: num(20, { min: 0.2, max: 600 }),
  ASR_FFMPEG_CPU_SEC: num(10, { min: 1, max: 600, int: true }),
  ASR_CONCURRENCY: num(4, { min: 1, max: 64, int: true }),
  ASR_TRANSCRIBE_CONCURRENCY: num(2, { min: 1, max: 64, int: true }),
  FFMPEG_PATH: str("ffmpeg"),
  ASR_PROMPT: str("OwnerBot, SIS, SKU, KPI, выручка, заказы, склад, купон, скидка, репрайс, курс, USD, EUR, RUB"),
  MOCK_ASR_TEXT: str("дай kpi за вчера"),
  MOCK_ASR_CONFIDENCE: num(0.93, { min: 0, max: 1 }),

  // Operations
  NOTIFY_WORKER_ENABLED: bool(true),
  NOTIFY_TICK_SEC: num(60, { min: 1, max: 3600, int: true }),
  LOG_LEVEL: oneOf(["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const, "info", false),
  // The ops service (bull-board, the tables page, its own /metrics): where it listens, who may use
  // it (basic auth or a bearer token; it does not start without one) and whether it may change things.
  OPS_PORT: num(9464, { min: 0, max: 65_535, int: true }),
  OPS_HOST: str("127.0.0.1"),
  OPS_USER: str(""),
  OPS_PASSWORD: str(""),
  OPS_ADMIN_TOKEN: str(""),
  OPS_ALLOW_WRITE: bool(false),
  // Every other process serves /metrics, /healthz and /readyz here; 0 = none. Each process needs its
  // own port on a shared host (make demo / make run give ingress METRICS_PORT, the next one +1, …).
  METRICS_PORT: num(0, { min: 0, max: 65_535, int: true }),
  METRICS_HOST: str("127.0.0.1"),
  WORKER_ID: str(""),

  // Retention (the scheduler deletes finished rows older than these; docs/operations.md)
  // At least 2 days: Telegram re-sends an update it thinks unconfirmed for 24 h, and the inbox row's
  // unique (bot_id, update_id) key is what drops the repeat — deleted sooner, it would run twice.
  RETENTION_INBOX_DAYS: num(14, { min: 2, max: 3650, int: true }),
  RETENTION_OUTBOX_DAYS: num(14, { min: 1, max: 3650, int: true }),
  RETENTION_REPORT_DAYS: num(7, { min: 1, max: 3650, int: true }),
  // At least 7 days: ops alerts count errors in audit_events over up to 168 h (ops_errors_window_hours).
  RETENTION_AUDIT_DAYS: num(90, { min: 7, max: 3650, int: true }),
  RETENTION_TOKEN_GRACE_HOURS: num(24, { min: 0, max: 8760, int: true }),
  // What the owner did is worth keeping a while (and the idempotency ledger must outlive any retry).
  RETENTION_ACTION_DAYS: num(90, { min: 2, max: 3650, int: true }),
  RETENTION_ASR_DAYS: num(7, { min: 1, max: 3650, int: true }),
  RETENTION_ASR_CACHE_DAYS: num(30, { min: 1, max: 3650, int: true }),
  RETENTION_BATCH: num(1000, { min: 1, max: 50_000, int: true }),
  RETENTION_INTERVAL_SEC: num(600, { min: 1, max: 86_400, int: true }),
});

export type Env = z.output<typeof envSchema>;
export const ENV_KEYS = Object.keys(envSchema.shape) as (keyof Env)[];
