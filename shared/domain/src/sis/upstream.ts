import type { Redis } from "ioredis";
import type { Config } from "@ownerbot/core/config";
import type { Db } from "@ownerbot/core/db";
import { createDemoProvider } from "../tools/demo-provider.ts";
import type { ShopProvider } from "../tools/provider.ts";
import { createSisHttp, type SisHttp } from "./http.ts";
import { createSisReadProvider, type SisReadProvider } from "./read-provider.ts";

// Where the shop's numbers come from, decided per request: UPSTREAM_MODE from config, or the
// owner's runtime override (Redis, UPSTREAM_REDIS_KEY under the deployment's prefix) when
// UPSTREAM_RUNTIME_TOGGLE_ENABLED. DEMO answers from the demo shop; SIS_HTTP from SIS only; AUTO
// from SIS while it answers, else from DEMO with a label (the tool runner re-runs the tool).

export type UpstreamMode = "DEMO" | "SIS_HTTP" | "AUTO";
const MODES: readonly string[] = ["DEMO", "SIS_HTTP", "AUTO"];

export const overrideKeyOf = (cfg: Pick<Config, "QUEUE_PREFIX" | "UPSTREAM_REDIS_KEY">): string =>
  `${cfg.QUEUE_PREFIX}:${cfg.UPSTREAM_REDIS_KEY}`;

export type Upstream = {
  configured: UpstreamMode;
  demo: ShopProvider;
  /** Null when SIS_BASE_URL or its key is not set. */
  sis: SisReadProvider | null;
  http: SisHttp | null;
  /** The mode in force now (override or config); a read of Redis under a short deadline. */
  mode(): Promise<{ mode: UpstreamMode; override: UpstreamMode | null }>;
};

/** SIS is configured when both its address and its key are set; without either nothing calls it. */
export function sisConfigured(cfg: Pick<Config, "SIS_BASE_URL" | "SIS_OWNERBOT_API_KEY">): boolean {
  return cfg.SIS_BASE_URL !== "" && cfg.SIS_OWNERBOT_API_KEY !== "";
}

/** The SIS HTTP policies of a process; one per SIS, shared by every call so the breaker sees them all. */
export function sisHttpFromConfig(cfg: Config): SisHttp | null {
  if (!sisConfigured(cfg)) return null;
  return createSisHttp({
    baseUrl: cfg.SIS_BASE_URL,
    apiKey: cfg.SIS_OWNERBOT_API_KEY,
    timeoutMs: cfg.SIS_TIMEOUT_SEC * 1000,
    maxRetries: cfg.SIS_MAX_RETRIES,
    backoffBaseMs: cfg.SIS_RETRY_BACKOFF_BASE_SEC * 1000,
    bulkhead: cfg.SIS_MAX_IN_FLIGHT,
    breakerThreshold: cfg.SIS_BREAKER_THRESHOLD,
    breakerHalfOpenMs: cfg.SIS_BREAKER_HALF_OPEN_SEC * 1000,
  });
}

export function createUpstream(d: { cfg: Config; db: Db; redis: Redis | null; readBudgetMs?: number }): Upstream {
  const { cfg } = d;
  const http = sisHttpFromConfig(cfg);
  const demo = createDemoProvider(d.db);
  const sis = http
    ? createSisReadProvider(http, {
        apiKey: cfg.SIS_OWNERBOT_API_KEY,
        timeZone: cfg.OWNER_TZ,
        local: demo,
        ...(d.readBudgetMs !== undefined ? { budgetMs: d.readBudgetMs } : {}),
      })
    : null;
  return {
    configured: cfg.UPSTREAM_MODE,
    demo,
    sis,
    http,
    async mode() {
      if (!cfg.UPSTREAM_RUNTIME_TOGGLE_ENABLED || !d.redis) return { mode: cfg.UPSTREAM_MODE, override: null };
      const redis = d.redis;
      const raw = await Promise.race([
        redis.get(overrideKeyOf(cfg)).catch(() => null),
        new Promise<null>((r) => setTimeout(() => r(null), 300).unref()),
      ]);
      const override = raw !== null && MODES.includes(raw) ? (raw as UpstreamMode) : null;
      return { mode: override ?? cfg.UPSTREAM_MODE, override };
    },
  };
}

/** Why an answer came from another source than the one configured, in the owner's words; null when it did not. */
export function sourceNote(o: {
  configured: UpstreamMode;
  effective: UpstreamMode;
  usedDemo: boolean;
  fallbackReason?: string;
}): string | null {
  if (o.usedDemo && o.fallbackReason !== undefined)
    return `Демо-данные, не ваш магазин: ${o.fallbackReason.replace(/^SIS недоступен: /, "SIS недоступен — ").replace(/^SIS: /, "")}`;
  if (o.usedDemo && o.configured !== "DEMO") return "Демо-данные, не ваш магазин: режим переключён вручную на «Демо».";
  if (!o.usedDemo && o.configured === "DEMO") return "Данные из SIS: режим переключён вручную.";
  return null;
}
