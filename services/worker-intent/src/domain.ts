import type { Redis } from "ioredis";
import type { Config } from "@ownerbot/shared/config/index";
import type { Db } from "@ownerbot/shared/db/pool";
import type { Reply, ShopSettings } from "@ownerbot/shared/domain/contract";
import type { ToolRegistry } from "@ownerbot/shared/domain/tools/registry";
import type { Intent } from "@ownerbot/shared/domain/intent/types";
import { isCommandText } from "@ownerbot/shared/domain/intent/slash";
import { routeText } from "@ownerbot/shared/domain/intent/route";
import { helpReply, homePanel } from "@ownerbot/shared/domain/ui/home";
import { parseNavTarget } from "@ownerbot/shared/domain/ui/nav";
import { sectionPanel } from "@ownerbot/shared/domain/ui/sections";
import { templateCategoryPanel, templatesRoot } from "@ownerbot/shared/domain/ui/templates-menu";
import { HOME } from "@ownerbot/shared/domain/ui/keyboard";
import {
  feedTemplate,
  startTemplate,
  TEMPLATE_STATE_TTL_SECONDS,
  type TemplateStep,
  type TemplateCancelled,
} from "@ownerbot/shared/domain/templates/flow";
import type { DomainCtx, DomainHandlers } from "./handle.ts";
import { createSystemCommands, homeStatus } from "./system-commands.ts";
import { createToolRunner } from "./tool-runner.ts";

export type DomainDeps = { cfg: Config; redis: Redis; db: Db; registry: ToolRegistry; systemTools: ReadonlySet<string> };

/** What the owner experiences: routing, menus, templates and reports, wired to the pipeline. */
export function createDomain(d: DomainDeps): DomainHandlers {
  const { cfg, redis } = d;
  const shop: ShopSettings = { shopId: cfg.SHOP_ID, currency: cfg.SHOP_CURRENCY, timeZone: cfg.OWNER_TZ, locale: cfg.SHOP_LOCALE };
  const tplKey = (chatId: number): string => `${cfg.QUEUE_PREFIX}:tpl:${chatId}`;
  const clearTemplate = async (chatId: number): Promise<void> => void (await redis.del(tplKey(chatId)));
  const runTool = createToolRunner({
    registry: d.registry,
    db: d.db,
    shop,
    systemTools: d.systemTools,
    ...(cfg.SIS_BASE_URL !== "" && cfg.SIS_OWNERBOT_API_KEY !== ""
      ? { sis: { baseUrl: cfg.SIS_BASE_URL, apiKey: cfg.SIS_OWNERBOT_API_KEY, timeoutMs: cfg.SIS_TIMEOUT_SEC * 1000 } }
      : {}),
    system: async (ctx) => {
      const s = await ctx.status();
      return {
        configuredMode: s.configuredMode,
        effectiveMode: s.effectiveMode,
        override: s.override,
        dbOk: s.db,
        redisOk: s.redis,
        sisConfigured: cfg.SIS_BASE_URL !== "" && cfg.SIS_OWNERBOT_API_KEY !== "",
        managerChats: cfg.MANAGER_CHAT_IDS.length,
        asr: cfg.ASR_PROVIDER,
        llm: cfg.LLM_PROVIDER === "OFF" ? "off" : cfg.LLM_PROVIDER,
      };
    },
  });
  const system = createSystemCommands({ cfg, redis, registry: d.registry, clearTemplate });
  const tctx = () => ({ shop, now: new Date() });

  async function pendingTemplate(chatId: number): Promise<unknown> {
    const raw = await redis.get(tplKey(chatId));
    if (raw === null) return undefined;
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      return undefined;
    }
  }

  async function onStep(step: TemplateStep | TemplateCancelled, ctx: DomainCtx): Promise<Reply[]> {
    switch (step.kind) {
      case "ask":
        await redis.set(tplKey(ctx.chatId), JSON.stringify(step.state), "EX", TEMPLATE_STATE_TTL_SECONDS);
        return [step.reply];
      case "error":
        if (step.state) await redis.set(tplKey(ctx.chatId), JSON.stringify(step.state), "EX", TEMPLATE_STATE_TTL_SECONDS);
        else await clearTemplate(ctx.chatId);
        return [step.reply];
      case "cancelled":
        await clearTemplate(ctx.chatId);
        return [step.reply];
      case "run":
        await clearTemplate(ctx.chatId);
        return runTool(step.tool, step.input, ctx, step.presentation ? { presentation: step.presentation } : {});
    }
  }

  async function navigate(to: string, ctx: DomainCtx, fromButton: boolean): Promise<Reply[]> {
    const target = parseNavTarget(to);
    const edit = (r: Reply): Reply => ({ ...r, editInPlace: fromButton });
    if (!target) return [{ text: "Этот раздел больше не существует. Откройте меню: /start", buttons: [[HOME]] }];
    switch (target.kind) {
      case "panel": {
        if (target.panel === "home") return [edit(homePanel(homeStatus(await ctx.status(), cfg)))];
        if (target.panel === "help") return [edit(helpReply())];
        if (target.panel === "templates") return [edit(templatesRoot())];
        const panel = sectionPanel(target.panel, homeStatus(await ctx.status(), cfg));
        return panel ? [edit(panel)] : [];
      }
      case "tpl_cat":
        return [edit(templateCategoryPanel(target.category, target.page))];
      case "tpl_run":
        return onStep(startTemplate(target.templateId, tctx()), ctx);
      case "tpl_preset":
        return onStep(
          feedTemplate(await pendingTemplate(ctx.chatId), { id: target.templateId, step: target.step, preset: target.index }, tctx()),
          ctx,
        );
      case "tpl_cancel":
        return system("cancel", "", ctx);
      case "upstream_set":
        return system(target.mode === "DEMO" ? "upstream_demo" : target.mode === "SIS_HTTP" ? "upstream_sis" : "upstream_auto", "", ctx);
      case "upstream_clear":
        return system("upstream_clear", "", ctx);
      case "advisor_preset":
        return [
          { text: "🧠 Советник (гипотезы по данным магазина) ещё не подключён в этой версии. Отчёты доступны: /help", buttons: [[HOME]] },
        ];
      case "command":
        return system(target.name, "", ctx);
    }
  }

  async function onIntent(intent: Intent, ctx: DomainCtx): Promise<Reply[]> {
    switch (intent.kind) {
      case "tool":
        return runTool(intent.tool, intent.input, ctx, {
          ...(intent.presentation ? { presentation: intent.presentation } : {}),
          ...(intent.notes ? { notes: intent.notes } : {}),
        });
      case "nav":
        return navigate(intent.to, ctx, false);
      case "help":
        return [helpReply()];
      case "command":
        return system(intent.name, intent.args, ctx);
      case "clarify":
      case "unknown":
        return [intent.reply];
    }
  }

  return {
    text: async (text, ctx) => {
      // A pending template step takes the text, but a command always means the command (reference gap #1).
      if (!isCommandText(text)) {
        const state = await pendingTemplate(ctx.chatId);
        if (state !== undefined) return onStep(feedTemplate(state, text, tctx()), ctx);
      }
      return onIntent(routeText(text, { shop, now: new Date() }), ctx);
    },
    action: async (action, ctx) => {
      if (action.t === "tool") return runTool(action.tool, action.input, ctx, action.edit ? { edit: true } : {});
      if (action.t === "nav") return navigate(action.to, ctx, true);
      return [];
    },
  };
}
