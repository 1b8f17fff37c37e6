import { execFile } from "node:child_process";
import { access, constants } from "node:fs/promises";
import type pg from "pg";
import type { Redis } from "ioredis";
import { preflight as configProblems, type Config } from "@ownerbot/core/config";
import { readMigrations } from "@ownerbot/core/db";
import { createSisHttp, reasonOf } from "./sis/http.ts";
import { createSisReadProvider } from "./sis/read-provider.ts";
import { sisConfigured } from "./sis/upstream.ts";
import type { ShopProvider } from "./tools/provider.ts";

// What a running bot needs, checked once at start (reference §10.6 "preflight"): the settings, the
// database and its migrations, Redis, SIS with a valid key, ASR/LLM configuration, Chromium and
// ffmpeg. Each check is ok / warn / fail / skip; a *critical* failure is one that waiting cannot
// fix (a missing setting, an unapplied migration, a key SIS rejects in SIS_HTTP mode), and with
// PREFLIGHT_FAIL_FAST it stops start-up. An unreachable database, Redis or SIS is a failure too,
// but not critical: the services wait for them and resume (RELIABILITY.md A2, B2, D1).

export type CheckStatus = "ok" | "warn" | "fail" | "skip";
export type PreflightCheck = { code: string; status: CheckStatus; critical: boolean; message: string };
export type PreflightReport = { checkedAt: string; checks: PreflightCheck[]; critical: PreflightCheck[] };

const CHECK_MS = 2000;

function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let t: NodeJS.Timeout | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(t)),
    new Promise<T>((_, reject) => {
      t = setTimeout(() => reject(new Error(`${what}: no answer in ${ms} ms`)), ms);
    }),
  ]);
}

const msg = (e: unknown): string => (e instanceof Error ? e.message : String(e)).slice(0, 200);

function runs(bin: string, arg: string): Promise<boolean> {
  return new Promise((resolve) => {
    execFile(bin, [arg], { timeout: CHECK_MS }, (err) => resolve(err === null));
  });
}

async function database(pool: pg.Pool): Promise<PreflightCheck[]> {
  try {
    await within(pool.query("SELECT 1"), CHECK_MS, "database");
  } catch (e) {
    return [
      { code: "DB_UNREACHABLE", status: "fail", critical: false, message: msg(e) },
      { code: "MIGRATIONS", status: "skip", critical: false, message: "database unreachable" },
    ];
  }
  const db: PreflightCheck = { code: "DB", status: "ok", critical: false, message: "reachable" };
  try {
    const files = await readMigrations();
    const { rows } = await pool.query<{ version: number }>("SELECT version FROM schema_migrations");
    const applied = new Set(rows.map((r) => r.version));
    const missing = files.filter((f) => !applied.has(f.version)).map((f) => f.name);
    if (missing.length > 0)
      return [
        db,
        {
          code: "MIGRATIONS_PENDING",
          status: "fail",
          critical: true,
          message: `not applied: ${missing.slice(0, 5).join(", ")} (run make migrate)`,
        },
      ];
    return [db, { code: "MIGRATIONS", status: "ok", critical: false, message: `${files.length} applied` }];
  } catch (e) {
    return [db, { code: "MIGRATIONS_UNKNOWN", status: "fail", critical: true, message: msg(e) }];
  }
}

async function sis(cfg: Config, local: ShopProvider): Promise<PreflightCheck> {
  const needed = cfg.UPSTREAM_MODE === "SIS_HTTP";
  if (!sisConfigured(cfg))
    return {
      code: "SIS",
      status: cfg.UPSTREAM_MODE === "DEMO" ? "skip" : "warn",
      critical: false,
      message: "SIS_BASE_URL or its key not set",
    };
  // One attempt under a short deadline: start-up must not wait SIS_TIMEOUT_SEC × retries.
  const http = createSisHttp({
    baseUrl: cfg.SIS_BASE_URL,
    apiKey: cfg.SIS_OWNERBOT_API_KEY,
    timeoutMs: CHECK_MS,
    maxRetries: 0,
    backoffBaseMs: 1,
    bulkhead: 1,
  });
  try {
    const p = await createSisReadProvider(http, { apiKey: cfg.SIS_OWNERBOT_API_KEY, timeZone: cfg.OWNER_TZ, local }).ping();
    return { code: "SIS", status: "ok", critical: false, message: `ping ${p.latencyMs} ms, shop ${p.shopId}` };
  } catch (e) {
    const reason = reasonOf(e);
    if (reason === "auth") return { code: "SIS_KEY_REJECTED", status: "fail", critical: needed, message: msg(e) };
    if (reason === "schema" || reason === "json") return { code: "SIS_CONTRACT", status: "fail", critical: needed, message: msg(e) };
    return { code: "SIS_UNREACHABLE", status: needed ? "fail" : "warn", critical: false, message: msg(e) };
  }
}

/**
 * `blocking`: what start-up waits for — the settings, the database and its migrations, and SIS when
 * UPSTREAM_MODE=SIS_HTTP (the checks whose failure is critical). `background`: the rest, run while
 * the worker already answers (Redis, SIS in other modes, ASR/LLM, Chromium, ffmpeg).
 */
export async function runPreflight(
  d: { cfg: Config; pool: pg.Pool; redis: Redis; local: ShopProvider },
  part: "blocking" | "background" | "all" = "all",
): Promise<PreflightReport> {
  const { cfg } = d;
  const sisBlocks = cfg.UPSTREAM_MODE === "SIS_HTTP";
  const checks: PreflightCheck[] = [];
  if (part !== "background") {
    const env: PreflightCheck[] = configProblems(cfg).map((p) => ({
      code: p.code,
      status: "fail",
      critical: true,
      message: `${p.variable}: ${p.message}`,
    }));
    if (env.length === 0) env.push({ code: "ENV", status: "ok", critical: false, message: "settings complete" });
    const [db, sisCheck] = await Promise.all([database(d.pool), sisBlocks ? sis(cfg, d.local) : Promise.resolve(null)]);
    checks.push(...env, ...db, ...(sisCheck ? [sisCheck] : []));
  }
  if (part !== "blocking") checks.push(...(await background(d, !sisBlocks)));
  return { checkedAt: new Date().toISOString(), checks, critical: checks.filter((c) => c.critical && c.status === "fail") };
}

/** A blocking report completed by the background one. */
export function mergePreflight(a: PreflightReport, b: PreflightReport): PreflightReport {
  const checks = [...a.checks, ...b.checks];
  return { checkedAt: b.checkedAt, checks, critical: checks.filter((c) => c.critical && c.status === "fail") };
}

async function background(d: { cfg: Config; redis: Redis; local: ShopProvider }, withSis: boolean): Promise<PreflightCheck[]> {
  const { cfg } = d;
  const [redis, sisCheck, chromium, ffmpeg] = await Promise.all([
    within(d.redis.ping(), CHECK_MS, "redis").then(
      (): PreflightCheck => ({ code: "REDIS", status: "ok", critical: false, message: "reachable" }),
      (e: unknown): PreflightCheck => ({ code: "REDIS_UNREACHABLE", status: "fail", critical: false, message: msg(e) }),
    ),
    withSis ? sis(cfg, d.local) : Promise.resolve(null),
    access(cfg.CHROMIUM_PATH, constants.X_OK).then(
      (): PreflightCheck => ({ code: "CHROMIUM", status: "ok", critical: false, message: cfg.CHROMIUM_PATH }),
      (): PreflightCheck => ({
        code: "CHROMIUM_MISSING",
        status: "warn",
        critical: false,
        message: `${cfg.CHROMIUM_PATH} not executable: ${cfg.REPORT_CHART_RENDERER === "chromium" ? "charts and PDFs fail" : "PDFs fail (resvg still draws charts)"}`,
      }),
    ),
    runs(cfg.FFMPEG_PATH, "-version").then((ok): PreflightCheck =>
      ok
        ? { code: "FFMPEG", status: "ok", critical: false, message: cfg.FFMPEG_PATH }
        : { code: "FFMPEG_MISSING", status: "warn", critical: false, message: `${cfg.FFMPEG_PATH} not runnable: voice messages fail` },
    ),
  ]);
  const asr: PreflightCheck =
    cfg.ASR_PROVIDER === "openai"
      ? { code: "ASR", status: cfg.OPENAI_API_KEY ? "ok" : "fail", critical: false, message: `openai ${cfg.OPENAI_ASR_MODEL}` }
      : { code: "ASR", status: "ok", critical: false, message: "mock (demo transcripts)" };
  const llm: PreflightCheck =
    cfg.LLM_PROVIDER === "OPENAI"
      ? { code: "LLM", status: cfg.OPENAI_API_KEY ? "ok" : "fail", critical: false, message: `openai ${cfg.OPENAI_LLM_MODEL}` }
      : { code: "LLM", status: "ok", critical: false, message: cfg.LLM_PROVIDER.toLowerCase() };
  return [redis, ...(sisCheck ? [sisCheck] : []), asr, llm, chromium, ffmpeg];
}

/** One line per problem, worst first: what the log and /systems show. */
export function preflightProblems(r: PreflightReport): PreflightCheck[] {
  const rank: Record<CheckStatus, number> = { fail: 0, warn: 1, skip: 2, ok: 3 };
  return r.checks
    .filter((c) => c.status === "fail" || c.status === "warn")
    .sort((a, b) => Number(b.critical) - Number(a.critical) || rank[a.status] - rank[b.status]);
}
