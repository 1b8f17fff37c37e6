import type pg from "pg";
import type { Redis } from "ioredis";
import type { Config } from "@ownerbot/core/config";
import type { Db } from "@ownerbot/core/db";
import type { Logger } from "@ownerbot/core/logger";
import type { Queues } from "@ownerbot/core/queue";
import { isActionName, type WizardHint } from "@ownerbot/domain/actions";
import type { ButtonAction, Reply, ShopSettings } from "@ownerbot/domain/contract";
import {
  helpReply,
  HOME,
  homePanel,
  parseNavTarget,
  sectionPanel,
  settleNavigation,
  templateCategoryPanel,
  templatesRoot,
} from "@ownerbot/domain/ui";
import { redact, shopNow, type ToolRegistry } from "@ownerbot/domain/tools";
import { type Intent, isCommandText, routeText, UNKNOWN_TEXT, unknownReply } from "@ownerbot/domain/intent";
import { feedTemplate, getTemplate, isOffered, startTemplate, type TemplateCancelled, type TemplateStep } from "@ownerbot/domain/templates";
import type { DomainCtx, DomainHandlers } from "./handle.ts";
import { createSystemCommands, homeStatus } from "./system-commands.ts";
import { askedPayload, createToolRunner, type RunOptions } from "./tool-runner.ts";
import { createActionsUi } from "./actions-ui.ts";
import { createTemplateInputs, promptRow, type PendingInput } from "./template-input.ts";
import { ADVICE_QUESTION, adviceTopicsReply, BRIEF_PHRASES, topicOf } from "@ownerbot/domain/advice";
import { createAdvisor } from "./advisor.ts";
import type { PlannedIntent } from "@ownerbot/domain/llm";
import { createSisActions, createUpstream } from "@ownerbot/domain/sis";
import type { PreflightReport } from "@ownerbot/domain/preflight";
import { createWizard } from "./wizard-input.ts";

/** How a template step came: a tapped prompt button, and the input that was pending (when read already). */
type StepFrom = { tapped?: boolean; pending?: PendingInput };

/** The template's title for the line that closes its prompt. */
function titleOf(state: unknown): string {
  const id = typeof state === "object" && state !== null ? (state as { id?: unknown }).id : undefined;
  return (typeof id === "string" ? getTemplate(id)?.title : undefined) ?? "Шаблон";
}

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

/** What the owner experiences: routing, menus, templates and reports, wired to the pipeline. */
export function createDomain(d: DomainDeps): DomainHandlers {
  const { cfg, redis } = d;
  const shop: ShopSettings = { shopId: cfg.SHOP_ID, currency: cfg.SHOP_CURRENCY, timeZone: cfg.OWNER_TZ, locale: cfg.SHOP_LOCALE };
  // A SIS read inside a chat turn stops before the intent job's own deadline, retries included.
  const upstream = createUpstream({ cfg, db: d.db, redis, readBudgetMs: Math.max(500, cfg.INTENT_TIMEOUT_MS - 3000) });
  const sisActions = upstream.http ? createSisActions(upstream.http, { apiKey: cfg.SIS_OWNERBOT_API_KEY }) : undefined;
  const inputs = createTemplateInputs({ redis, db: d.db, key: (chatId) => `${cfg.QUEUE_PREFIX}:tpl:${chatId}` });
  const clearTemplate = inputs.clear;
  const runTool = createToolRunner({
    registry: d.registry,
    db: d.db,
    shop,
    systemTools: d.systemTools,
    upstream,
    log: d.log,
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
  const sisConfigured = cfg.SIS_BASE_URL !== "" && cfg.SIS_OWNERBOT_API_KEY !== "";
  const actions = createActionsUi({
    pool: d.pool,
    db: d.db,
    queues: d.queues,
    log: d.log,
    shop,
    managerChatIds: cfg.MANAGER_CHAT_IDS,
    sisConfigured,
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
  });

  /**
   * One template step. The prompt that asked closes: a tapped prompt is edited (into the next
   * question, or a line saying the input is done or cancelled), an earlier one loses its buttons.
   */
  async function onStep(step: TemplateStep | TemplateCancelled, ctx: DomainCtx, from: StepFrom): Promise<Reply[]> {
    const pending = from.pending ?? (await inputs.load(ctx.chatId));
    const tapped = from.tapped ? ctx.buttonMessageId : undefined;
    // The pending prompt, unless it is the tapped message itself (that one is edited instead).
    const shown = await inputs.messageOf(pending?.prompt);
    const earlier = shown !== null && shown !== tapped ? shown : null;
    const closing = (r: Reply): Reply => (earlier !== null ? { ...r, closeKeyboardOf: earlier } : r);
    const asking = step.kind === "ask" || (step.kind === "error" && step.state !== undefined);
    if (asking) {
      if (tapped !== undefined) {
        await inputs.save(ctx.chatId, step.state!, { messageId: tapped });
        return [closing({ ...step.reply, editInPlace: true })];
      }
      const replies = [closing(step.reply)];
      await inputs.save(ctx.chatId, step.state!, promptRow(ctx.correlationId, replies, 0, ctx.buttonMessageId !== undefined));
      return replies;
    }
    await clearTemplate(ctx.chatId);
    const title = titleOf(pending?.state ?? (step.kind === "run" ? { id: step.templateId } : undefined));
    if (step.kind === "run") {
      const result = await run(step.tool, step.input, ctx, {
        ...(step.presentation ? { presentation: step.presentation } : {}),
        asked: { by: "template" },
      });
      if (tapped !== undefined) return [closing({ text: `🧩 ${title}: ответы приняты.`, editInPlace: true }), ...result];
      return result.length > 0 ? [closing(result[0]!), ...result.slice(1)] : result;
    }
    if (step.kind === "cancelled" && tapped !== undefined)
      return [closing({ text: `✖️ ${title}: ввод отменён.`, editInPlace: true, buttons: step.reply.buttons ?? [[HOME]] })];
    return [closing(step.reply)];
  }

  /** «✖️ Отмена» on a prompt, /cancel or «отмена»: the pending input closes with its prompt. */
  async function cancelInput(ctx: DomainCtx, tapped: boolean): Promise<Reply[]> {
    const pending = await inputs.load(ctx.chatId);
    if (!pending) {
      await clearTemplate(ctx.chatId);
      return tapped
        ? [{ text: "Этот ввод уже закрыт.", editInPlace: true, buttons: [[HOME]] }]
        : [{ text: "Отменено.", buttons: [[HOME]] }];
    }
    return onStep({ kind: "cancelled", reply: { text: "Отменено.", buttons: [[HOME]] } }, ctx, { tapped, pending });
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
      case "tpl_run": {
        // An old button of a template this version cannot run answers at once, not after its questions.
        const def = getTemplate(target.templateId);
        if (def && !isOffered(def)) return run(def.tool, {}, ctx, { asked: { by: "button" } });
        return onStep(startTemplate(target.templateId, await tctx()), ctx, {});
      }
      case "tpl_preset": {
        const pending = await inputs.load(ctx.chatId);
        const answer = { id: target.templateId, step: target.step, preset: target.index };
        return onStep(feedTemplate(pending?.state, answer, await tctx()), ctx, { tapped: true, ...(pending ? { pending } : {}) });
      }
      case "tpl_cancel":
        return cancelInput(ctx, true);
      case "wizard_preset":
        return wizard.preset(target, ctx);
      case "wizard_cancel":
        return (await wizard.cancel(ctx, true)) ?? [];
      case "upstream_set":
        return system(target.mode === "DEMO" ? "upstream_demo" : target.mode === "SIS_HTTP" ? "upstream_sis" : "upstream_auto", "", ctx);
      case "upstream_clear":
        return system("upstream_clear", "", ctx);
      case "advisor_preset":
        return [edit(await advisor.advice(target.topic, ctx))];
      case "advisor_step":
        return advisor.step(target.step, target.topic, ctx);
      case "command":
        return system(target.name, "", ctx);
    }
  }

  /** «/tpl_rate_set <id>» answers the rate-set step of a pending PRC_FX_REPRICE (reference §2.1). */
  async function rateSet(args: string, ctx: DomainCtx): Promise<Reply[]> {
    const pending = await inputs.load(ctx.chatId);
    const id = (pending?.state as { id?: unknown } | undefined)?.id;
    if (pending && id === "PRC_FX_REPRICE")
      return onStep(feedTemplate(pending.state, args.trim() || "latest", await tctx()), ctx, { pending });
    return [
      {
        text: "/tpl_rate_set <id> отвечает на последний шаг шаблона «Пересчитать цены по курсу» (id набора курсов: дата, например 2026-11-23, или latest). Запустите шаблон или скажите «пересчитай цены по курсу доллара».",
        buttons: [[{ text: "💱 Пересчёт по курсу", action: { t: "nav", to: "tpl:run:PRC_FX_REPRICE" } }], [HOME]],
      },
    ];
  }

  async function onIntent(intent: Intent, text: string, ctx: DomainCtx): Promise<Reply[]> {
    switch (intent.kind) {
      case "tool":
        return run(intent.tool, intent.input, ctx, {
          ...(intent.presentation ? { presentation: intent.presentation } : {}),
          ...(intent.notes ? { notes: intent.notes } : {}),
          ...(intent.wizard ? { hint: intent.wizard } : {}),
          asked: { by: "text", text },
        });
      case "nav":
        return navigate(intent.to, ctx, false);
      case "plan":
        return actions.plan(intent.plan, ctx);
      case "help":
        return [helpReply()];
      case "command":
        if (intent.name === "cancel") return (await wizard.cancel(ctx, false)) ?? cancelInput(ctx, false);
        return intent.name === "tpl_rate_set" ? rateSet(intent.args, ctx) : system(intent.name, intent.args, ctx);
      case "clarify":
        return [intent.reply];
      case "unknown":
        // Plain "no rule matched" goes to the LLM planner when it is on; other unknowns (a paste too
        // long to read) already say what to do.
        // Reference §9 step 4: a question on an advisor topic is advice (the brief when it asks for data), before the LLM.
        if (intent.reply.text === UNKNOWN_TEXT) {
          const topic = topicOf(text);
          if (topic && BRIEF_PHRASES.test(text.toLowerCase()))
            return [await advisor.advice(topic, ctx), ...(await advisor.step("brief", topic, ctx))];
          if (topic && ADVICE_QUESTION.test(text.toLowerCase())) return [await advisor.advice(topic, ctx)];
        }
        if (ctx.defer && intent.reply.text === UNKNOWN_TEXT) {
          ctx.defer(text);
          return [];
        }
        // retro_summary and retro_gaps count these; the phrase is kept (redacted) to grow the rules.
        ctx.audit({ type: "intent_unknown", payload: { text: redact(text), ...askedPayload({ by: "text", text }) } });
        return [intent.reply];
    }
  }

  /** A planner's checked intent (planned.ts); numbers still come only from tools. */
  async function onPlanned(p: PlannedIntent, text: string, ctx: DomainCtx): Promise<Reply[]> {
    if (p.kind === "tool") {
      // Checked again here: the allowed list is this process's config, whatever the llm worker had.
      if (p.action && !cfg.LLM_ALLOWED_ACTION_TOOLS.includes(p.tool))
        return onPlanned({ kind: "unknown", reason: "action_not_allowed", tool: p.tool }, text, ctx);
      ctx.audit({ type: "llm_intent_planned", payload: { tool: p.tool, action: p.action, confidence: p.confidence } });
      return run(p.tool, p.input, ctx, { ...(p.presentation ? { presentation: p.presentation } : {}), asked: { by: "llm", text } });
    }
    if (p.kind === "advice") {
      const topic = p.topic ?? topicOf(text);
      ctx.audit({ type: "llm_intent_planned", payload: { advice: topic, confidence: p.confidence } });
      return [topic ? await advisor.advice(topic, ctx) : adviceTopicsReply()];
    }
    ctx.audit({ type: "llm_intent_failed", payload: { reason: p.reason, ...(p.tool ? { tool: p.tool } : {}), text: redact(text) } });
    return [unknownReply(plannerHint(p))];
  }

  async function onText(text: string, ctx: DomainCtx): Promise<Reply[]> {
    // A pending wizard or template step takes the text, but a command always means the command
    // (reference gap #1); the wizard stays pending meanwhile (only /cancel ends it).
    if (!isCommandText(text)) {
      const answered = await wizard.text(text, ctx);
      if (answered) return answered;
      const pending = await inputs.load(ctx.chatId);
      if (pending !== undefined) return onStep(feedTemplate(pending.state, text, await tctx()), ctx, { pending });
    }
    // «записка …» before the rules: «записка по скидкам» is the memo, not a discount.
    if (advisor.isMemoRequest(text)) return advisor.memoByPhrase(text, ctx);
    return onIntent(routeText(text, await tctx(text)), text, ctx);
  }

  async function onAction(action: ButtonAction, ctx: DomainCtx): Promise<Reply[]> {
    if (action.t === "tool")
      // A page flip (edit) is the same request again, not a new one to remember.
      return run(action.tool, action.input, ctx, action.edit ? { edit: true } : { asked: { by: "button" } });
    // A panel's own button replaces it; a result's button opens the panel below the result.
    if (action.t === "nav") return navigate(action.to, ctx, action.fresh !== true);
    if (action.t === "act") return actions.press(action, ctx);
    return [];
  }

  return {
    planned: async (p, text, ctx) => settleNavigation(await onPlanned(p, text, ctx)),
    text: async (text, ctx) => settleNavigation(await onText(text, ctx)),
    action: async (action, ctx) => settleNavigation(await onAction(action, ctx)),
  };
}

/** «Не понял» after the planner, with what the owner can do; nothing ran. */
function plannerHint(p: Extract<PlannedIntent, { kind: "unknown" }>): string {
  const base = "🤔 Не понял запрос.";
  switch (p.reason) {
    case "no_match":
      return `${base} ${p.hint ?? "Спросите иначе, например: «выручка за неделю» или «что горит»."}`;
    case "action_not_allowed":
      return `${base} Такое действие по свободному тексту я не запускаю — воспользуйтесь шаблонами (/templates) или скажите точнее, например «подними цены на 5 %».`;
    case "unknown_tool":
    case "invalid_payload":
      return `${base} Такого отчёта у меня нет. Список того, что я умею: /help`;
    case "unavailable":
      return `${base} Планировщик запросов сейчас недоступен — спросите короче, например «выручка за неделю», или откройте /start.`;
    default:
      return `${base} Переформулируйте, пожалуйста, например: «выручка за неделю» или «зависшие заказы».`;
  }
}
