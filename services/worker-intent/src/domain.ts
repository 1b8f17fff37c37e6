import type { ButtonAction, Reply } from "@ownerbot/domain/contract";
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
import { redact } from "@ownerbot/domain/tools";
import { type Intent, isCommandText, routeText, UNKNOWN_TEXT, unknownReply } from "@ownerbot/domain/intent";
import { feedTemplate, getTemplate, isOffered, startTemplate, type TemplateCancelled, type TemplateStep } from "@ownerbot/domain/templates";
import type { DomainCtx, DomainHandlers } from "./handle.ts";
import { homeStatus } from "./system-commands.ts";
import { askedPayload } from "./tool-runner.ts";
import { promptRow, type PendingInput } from "./template-input.ts";
import { ADVICE_QUESTION, adviceTopicsReply, BRIEF_PHRASES, topicOf } from "@ownerbot/domain/advice";
import type { PlannedIntent } from "@ownerbot/domain/llm";
import { wireDomain, type DomainDeps } from "./domain-wiring.ts";
import { plannerHint } from "./planner-hint.ts";

/** How a template step came: a tapped prompt button, and the input that was pending (when read already). */
type StepFrom = { tapped?: boolean; pending?: PendingInput };

/** The template's title for the line that closes its prompt. */
function titleOf(state: unknown): string {
  const id = typeof state === "object" && state !== null ? (state as { id?: unknown }).id : undefined;
  return (typeof id === "string" ? getTemplate(id)?.title : undefined) ?? "Шаблон";
}

export type { DomainDeps } from "./domain-wiring.ts";

/** What the owner experiences: routing, menus, templates and reports, wired to the pipeline. */
export function createDomain(d: DomainDeps): DomainHandlers {
  const { cfg } = d;
  const { inputs, clearTemplate, actions, wizard, run, system, tctx, advisor } = wireDomain(d);

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
