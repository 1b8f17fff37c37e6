import type pg from "pg";
import type { Redis } from "ioredis";
import type { Config } from "@ownerbot/core/config";
import type { Db } from "@ownerbot/core/db";
import type { Logger } from "@ownerbot/core/logger";
import type { Queues } from "@ownerbot/core/queue";
import type { PreflightReport } from "@ownerbot/domain/preflight";
import { isActionName, type WizardHint } from "@ownerbot/domain/actions";
import type { Reply, ShopSettings } from "@ownerbot/domain/contract";
import { shopNow, type ToolRegistry } from "@ownerbot/domain/tools";
import { isCommandText } from "@ownerbot/domain/intent";
import { createSisActions, createUpstream, sisConfigured } from "@ownerbot/domain/sis";
import type { DomainCtx } from "./handle.ts";
import { createSystemCommands } from "./system-commands.ts";
import { createToolRunner, type RunOptions } from "./tool-runner.ts";
import { createActionsUi } from "./actions-ui.ts";
import { createTemplateInputs } from "./template-input.ts";
import { createAdvisor } from "./advisor.ts";
import { createBriefCache } from "./brief-cache.ts";
import { createWizard } from "./wizard-input.ts";

// The parts the owner's handlers (domain.ts) are made of, built once per process from the config:
// the upstream (DEMO / SIS), the tool runner with its provenance line, the action UI, the parameter
// wizard, the system commands, the shop's clock and the advisor.

export type DomainDeps = {
  cfg: Config;
  /** The start-up preflight, shown by /systems. */
  preflight?: () => PreflightReport;
  redis: Redis;
  db: Db;
  registry: ToolRegistry;
  systemTools: ReadonlySet<string>;
  /** For actions: their rows are written outside the finishing statement, and their jobs added. */
  pool: pg.Pool;
  queues: Queues;
  log: Logger;
};

/** Every part createDomain uses, wired to each other. */
export function wireDomain(d: DomainDeps) {
  const { cfg, redis } = d;
  const shop: ShopSettings = { shopId: cfg.SHOP_ID, currency: cfg.SHOP_CURRENCY, timeZone: cfg.OWNER_TZ, locale: cfg.SHOP_LOCALE };
  // A SIS read inside a chat turn stops before the intent job's own deadline, retries included.
  const upstream = createUpstream({ cfg, db: d.db, redis, readBudgetMs: Math.max(500, cfg.INTENT_TIMEOUT_MS - 3000) });
  const sisActions = upstream.http ? createSisActions(upstream.http, { apiKey: cfg.SIS_OWNERBOT_API_KEY }) : undefined;
  const sisReady = sisConfigured(cfg);
  const inputs = createTemplateInputs({ redis, db: d.db, key: (chatId) => `${cfg.QUEUE_PREFIX}:tpl:${chatId}` });
  const clearTemplate = inputs.clear;
  const runTool = createToolRunner({
    registry: d.registry,
    db: d.db,
    shop,
    systemTools: d.systemTools,
    upstream,
    log: d.log,
    ...(sisReady ? { sis: { baseUrl: cfg.SIS_BASE_URL, apiKey: cfg.SIS_OWNERBOT_API_KEY, timeoutMs: cfg.SIS_TIMEOUT_SEC * 1000 } } : {}),
    system: async (ctx) => {
      const s = await ctx.status();
      return {
        configuredMode: s.configuredMode,
        effectiveMode: s.effectiveMode,
        override: s.override,
        dbOk: s.db,
        redisOk: s.redis,
        sisConfigured: sisReady,
        managerChats: cfg.MANAGER_CHAT_IDS.length,
        asr: cfg.ASR_PROVIDER,
        llm: cfg.LLM_PROVIDER === "OFF" ? "off" : cfg.LLM_PROVIDER,
      };
    },
  });
  const actions = createActionsUi({
    pool: d.pool,
    db: d.db,
    queues: d.queues,
    log: d.log,
    shop,
    managerChatIds: cfg.MANAGER_CHAT_IDS,
    sisConfigured: sisReady,
    confirmTtlSec: cfg.ACTION_CONFIRM_TTL_SEC,
    previewTimeoutMs: cfg.ACTION_PREVIEW_TIMEOUT_MS,
    readTool: runTool,
    upstream: async () => {
      const { mode } = await upstream.mode();
      // SIS_HTTP and AUTO never apply an action to demo data: without a SIS client it is refused (CONFIG_MISSING).
      return mode === "DEMO" ? { upstream: "demo" } : { upstream: "sis", auto: mode === "AUTO", ...(sisActions ? { sisActions } : {}) };
    },
  });
  const wizard = createWizard({
    redis,
    db: d.db,
    key: (chatId) => `${cfg.QUEUE_PREFIX}:wizard:${chatId}`,
    clock: async () => ({ now: await shopClockNow(), timeZone: shop.timeZone }),
    preview: (tool, input, ctx) => actions.preview(tool, input, ctx),
    clearTemplate: (chatId) => inputs.clear(chatId),
  });
  /**
   * Every tool call of a phrase, a template or a button: an action goes to its preview, never
   * straight to a commit. An action asked for in words (typed, spoken or planned by the LLM) that
   * misses a parameter the owner must choose goes to the parameter wizard first.
   */
  const run = async (
    name: string,
    input: Record<string, unknown>,
    ctx: DomainCtx,
    o: RunOptions & { hint?: WizardHint } = {},
  ): Promise<Reply[]> => {
    if (!isActionName(name)) return runTool(name, input, ctx, o);
    if (o.asked?.by === "text" || o.asked?.by === "llm") {
      const asked = await wizard.start(name, input, ctx, o.asked.by, o.hint);
      if (asked) return asked;
    }
    return actions.preview(name, input, ctx, o.notes);
  };
  const system = createSystemCommands({
    cfg,
    redis,
    registry: d.registry,
    clearTemplate,
    sis: { upstream, db: d.db, shop, ...(d.preflight ? { preflight: d.preflight } : {}) },
  });
  // Dates the owner types are the shop's days: in DEMO the demo shop's clock, which the tools read too.
  // With SIS behind the bot «вчера» means SIS's yesterday: its as_of (its clock against ours, kept
  // from the last ping for a minute). A fresh ping waits at most a second, and commands never wait
  // for one: /start must not depend on SIS (RELIABILITY.md promise 6).
  const shopClockNow = async (text?: string): Promise<Date> => {
    const sis = upstream.sis;
    if ((await upstream.mode()).mode === "DEMO" || !sis) return shopNow({ db: d.db, shop, now: new Date() }).catch(() => new Date());
    if ((text !== undefined && isCommandText(text)) || sis.pingAge() < 60_000) return sis.nowEstimate();
    const late = new Promise<Date>((r) => setTimeout(() => r(sis.nowEstimate()), 1000).unref());
    return Promise.race([
      sis.ping().then(
        (p) => p.asOf,
        () => sis.nowEstimate(),
      ),
      late,
    ]);
  };
  const tctx = async (text?: string) => ({ shop, now: await shopClockNow(text) });
  const advisor = createAdvisor({
    redis,
    prefix: cfg.QUEUE_PREFIX,
    shop,
    runTool,
    preview: actions.preview,
    shopNow: () => shopClockNow(),
    briefs: createBriefCache({ redis, prefix: cfg.QUEUE_PREFIX, ttlSec: cfg.ADVICE_BRIEF_CACHE_SEC }),
    briefCooldownSec: cfg.ADVICE_BRIEF_COOLDOWN_SEC,
  });

  return { shop, inputs, clearTemplate, actions, wizard, run, system, tctx, advisor };
}
